// The desktop app itself, driven through tauri-driver and WebKitWebDriver: the first start asks
// for the supervisor's account and the clerk is then at the desk, the window opens with the search
// box ready, a name finds people, a record opens with its scan (served by the app's `page`
// protocol, not by any HTTP server), starting the app a second time brings back the window
// already open instead of opening another, and a request registered from a record gets its
// certificate, whose PDF pages pdf.js draws on screen; 设置 → 局域网主机 serves the archive to a desk
// that pairs with the code the app shows.
//
// Run by desktop/run.sh, which builds the demo archive, starts Xvfb, a session bus and
// tauri-driver, and hands over TAURI_DRIVER_URL, ARCHIVEDESK_DESKTOP_BIN and ARCHIVEDESK_DATA_DIR.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  APP,
  CLERK,
  TITLE,
  TEST_IDENTIFIER,
  sleep,
  within,
  session,
  STEP_MS,
  byTestId,
  find,
  text,
  attribute,
  count,
  poll,
  script,
  click,
  typeInto,
  atDesk,
  screenshot,
  desktopTest,
  home,
  search,
  firstHitNaming,
  cleanName,
  scannedDocument,
  citizen,
  startApp,
  quitApp,
  registerFromRecord,
  issueCertificate,
  letPagesGoUncovered,
} from './driver.mjs';

const CLI = process.env.ARCHIVEDESK_BIN;
if (!CLI) throw new Error('ARCHIVEDESK_BIN is not set: run the tests with tests/desktop/run.sh');

/** The app's top-level X windows: id, title, size, and whether they are on the screen. */
function appWindows() {
  const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8', timeout: 5_000 });
  const windows = [];
  for (const line of tree.split('\n')) {
    const m = line.match(/^\s*(0x[0-9a-f]+) "(.*)": \("archivedesk-desktop" "[^"]*"\)\s+(\d+)x(\d+)/);
    // GTK's 10x10 group leader is a window of the app's class too, never shown.
    if (!m || Number(m[3]) < 100) continue;
    const info = execFileSync('xwininfo', ['-id', m[1]], { encoding: 'utf8', timeout: 5_000 });
    windows.push({ id: m[1], width: Number(m[3]), height: Number(m[4]), viewable: /Map State: IsViewable/.test(info) });
  }
  return windows;
}

/** The title the window manager would show: the window's _NET_WM_NAME. */
function windowTitle(id) {
  const out = execFileSync('xprop', ['-id', id, '_NET_WM_NAME'], { encoding: 'utf8', timeout: 5_000 });
  const m = out.match(/= "(.*)"\s*$/);
  if (!m) throw new Error(`window ${id} has no _NET_WM_NAME: ${out.trim()}`);
  // Outside a UTF-8 locale xprop writes the bytes it cannot show as \ooo.
  const bytes = [];
  for (const part of m[1].split(/(\\[0-7]{3}|\\.)/)) {
    if (/^\\[0-7]{3}$/.test(part)) bytes.push(parseInt(part.slice(1), 8));
    else if (part.startsWith('\\')) bytes.push(...Buffer.from(part.slice(1)));
    else bytes.push(...Buffer.from(part));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** What the page itself knows of its window: shown or hidden, focused or not. */
const pageState = () => script('return { visibility: document.visibilityState, focused: document.hasFocus() }');
before(() => startApp());

after(() => quitApp());

desktopTest('the window opens with its title, the first clerk logs in, and the search box has focus', '1-start', async () => {
  await atDesk();
  const box = await find('search-input', 30_000);
  const windows = await poll('the app window on the screen', () => {
    const shown = appWindows().filter((w) => w.viewable);
    return shown.length > 0 ? shown : null;
  });
  assert.equal(windows.length, 1, `one window, not ${JSON.stringify(windows)}`);
  assert.equal(windowTitle(windows[0].id), TITLE);
  assert.equal(await within(10_000, 'title', () => session().getTitle()), TITLE);
  // The test build keeps to its own folders: its log folder is named after the test identifier.
  const logs = join(process.env.XDG_DATA_HOME ?? join(process.env.HOME, '.local', 'share'), TEST_IDENTIFIER, 'logs');
  assert.ok(existsSync(logs), `the app is not the test build (no ${logs})`);

  await poll('the search box focused', () => script('return document.hasFocus() && document.activeElement?.dataset?.testid === "search-input"'));
  const active = await within(10_000, 'active element', () => session().switchTo().activeElement());
  assert.equal(await attribute(active, 'data-testid'), 'search-input');
  assert.equal(await attribute(box, 'value'), '');
  // What has the focus gets the keys: typed without clicking anywhere, they land in the box.
  const name = cleanName();
  await within(15_000, 'type without clicking', () => session().actions().sendKeys(name).perform());
  await poll('the typed name in the search box', async () => (await attribute(box, 'value')) === name);
  await screenshot('1-start');
});

desktopTest('after 切换账号 the clerk logs in again, and a name finds the person with the total', '2-search', async () => {
  await atDesk();
  // 切换账号 hands the desk over: the login panel takes the app's place until someone logs in.
  await click('切换账号', () => find('switch-clerk'));
  await find('login');
  assert.equal(await count(byTestId('desk-caller')), 0);
  await home();
  const name = cleanName();
  await search(name);
  const { hit, total } = await firstHitNaming(name);
  assert.ok(total >= 1, `total ${total}`);
  assert.match(await text(await find('search-total')), /^\d+$/);
  assert.ok((await text(hit)).includes(name));
  await screenshot('2-search');
});

desktopTest('a record opens with its scan, served by the page protocol', '3-record', async () => {
  await home();
  const { ref, firstPage } = scannedDocument();
  await search(ref);
  const { hit } = await firstHitNaming(ref);
  await within(10_000, 'open the first hit', () => hit.click());
  const recordRef = await find('record-ref');
  assert.equal(await text(recordRef), ref);
  await find('page-viewer');
  const image = await find('page-image');
  // The viewer sets these once the image has come through `page://` and loaded.
  const width = Number(await poll('the page image loaded', async () => (await attribute(image, 'data-natural-width')) || null));
  const height = Number(await attribute(image, 'data-natural-height'));
  assert.match(String(width), /^[1-9]\d{2,}$/);
  assert.ok(width <= firstPage.width, `shown ${width} px wide, the scan is ${firstPage.width}`);
  // The preview keeps the scan's proportions: it is this scan, upright.
  const ratio = height / width;
  const scanRatio = firstPage.height / firstPage.width;
  assert.ok(Math.abs(ratio - scanRatio) < 0.01, `shown ${width}x${height}, the scan is ${firstPage.width}x${firstPage.height}`);
  assert.equal(await count(byTestId('page-load-failed')), 0);
  // No HTTP server here: inside the app every image address is the page protocol's.
  const source = await script("return window.__TAURI_INTERNALS__.convertFileSrc('1/1?size=preview', 'page')");
  assert.match(source, /^(page:\/\/localhost\/|http:\/\/page\.localhost\/)/);
  await screenshot('3-record');
});

desktopTest('a second launch brings back the first window and exits', '4-second-launch', async (t) => {
  await home();
  const name = cleanName(1);
  await search(name);
  await firstHitNaming(name);

  // Minimized first, so that bringing it back is something the second launch has to do.
  await within(10_000, 'minimize', () => session().manage().window().minimize());
  await poll('the window minimized', async () => {
    const state = await pageState();
    return state.visibility === 'hidden' && appWindows().every((w) => !w.viewable);
  });
  await sleep(1_000);
  assert.equal((await pageState()).visibility, 'hidden', 'the window came back by itself');

  const started = Date.now();
  const second = spawn(APP, [], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  second.stdout.on('data', (d) => (output += d));
  second.stderr.on('data', (d) => (output += d));
  const exit = await new Promise((ok) => {
    const timer = setTimeout(() => ok(null), 10_000);
    second.on('exit', (code, signal) => {
      clearTimeout(timer);
      ok({ code, signal });
    });
  });
  const took = Date.now() - started;
  if (!exit) second.kill('SIGKILL');
  assert.ok(exit, `the second launch still ran after 10 s; it said:\n${output}`);
  assert.deepEqual(exit, { code: 0, signal: null }, `the second launch ended with ${JSON.stringify(exit)}; it said:\n${output}`);

  const state = await poll('the first window shown and focused again', async () => {
    const s = await pageState();
    return s.visibility === 'visible' && s.focused ? s : null;
  }, 5_000);
  assert.deepEqual(state, { visibility: 'visible', focused: true });
  const windows = appWindows();
  assert.equal(windows.length, 1, `one window, not ${JSON.stringify(windows)}`);
  assert.ok(windows[0].viewable, 'the window is on the screen');

  // The same window, with what the clerk had typed, and it still answers.
  assert.equal(await attribute(await find('search-input'), 'value'), name);
  await screenshot('4-second-launch');
  const other = cleanName(2);
  await search(other);
  await firstHitNaming(other);
  t.diagnostic(`the second launch handed over and exited in ${took} ms`);
});
desktopTest('a request registered from a record gets its certificate, drawn page by page', '5-certificate', async (t) => {
  await home();
  const person = citizen();
  t.diagnostic(`${person.name}, ${person.ref_code}`);

  await registerFromRecord(person, '5');

  // The wage table's page holds colleagues' rows: 出证 waits until they are covered, or until the
  // supervisor at this desk lets the page go out with a reason.
  await letPagesGoUncovered('查档人同意复印整页，已当面核对');

  const { number, pageCount, ink } = await issueCertificate('A', '5');
  t.diagnostic(`${number}: ${pageCount} pages, ink ${ink.map((p) => p.dark.toFixed(3)).join(' ')}`);
});

desktopTest('设置 → 局域网主机 serves this archive to a desk that pairs with the code shown', '6-lan-host', async (t) => {
  await home();
  await script("window.location.hash = '#/settings'");
  // On the LAN door's own loopback address here; an office types the PC's LAN address.
  await typeInto('lan-host-listen', '127.0.0.4:0');
  await click('作为局域网档案库主机', () => find('lan-host-switch'));
  const address = await poll('the address the door listens on', async () => text(await find('lan-host-address')));
  assert.match(address, /^127\.0\.0\.4:\d+$/);
  const code = await text(await find('lan-host-code'));
  assert.match(await text(await find('lan-host-pin')), /^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
  await screenshot('6-lan-host');

  // A desk without the app pairs with that code and works on this archive, as desk B.
  const deskFolder = mkdtempSync(join(tmpdir(), 'archivedesk-desk-'));
  const desk = spawn(CLI, ['--data-dir', deskFolder, 'serve', '--connect', address, '--pair', code, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let said = '';
    desk.stderr.on('data', (chunk) => (said += chunk));
    const url = await new Promise((done, fail) => {
      createInterface({ input: desk.stdout }).once('line', done);
      desk.once('exit', (status) => fail(new Error(`the desk exited with ${status}: ${said}`)));
    });
    const { origin, searchParams } = new URL(url.trim());
    const headers = { Authorization: `Bearer ${searchParams.get('token')}`, 'Content-Type': 'application/json' };
    const login = await fetch(`${origin}/api/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ login: CLERK.login, password: CLERK.password }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const session = await (await fetch(`${origin}/api/desk_session`, { method: 'POST', headers: { ...headers, Cookie: cookie }, body: '{}' })).json();
    assert.equal(session.caller.desk, 'B');
    t.diagnostic(`desk B paired with ${address}`);
  } finally {
    desk.kill();
    rmSync(deskFolder, { recursive: true, force: true });
  }
  // The desk is listed under 局域网柜台 once the list is read again: reopen 设置.
  await script("window.location.hash = '#/'");
  await find('search-input');
  await script("window.location.hash = '#/settings'");
  await find('lan-desk-state-B');

  await click('关闭局域网主机', () => find('lan-host-switch'));
  await poll('the door closed', async () => (await count(byTestId('lan-host-facts'))) === 0);
});
