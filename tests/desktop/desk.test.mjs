// The desktop app itself, driven through tauri-driver and WebKitWebDriver: the window opens
// with the search box ready, a name finds people, a record opens with its scan (served by the
// app's `page` protocol, not by any HTTP server), and starting the app a second time brings back
// the window already open instead of opening another.
//
// Run by desktop/run.sh, which builds the demo archive, starts Xvfb, a session bus and
// tauri-driver, and hands over TAURI_DRIVER_URL, ARCHIVEDESK_DESKTOP_BIN and ARCHIVEDESK_DATA_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, Key, until } from 'selenium-webdriver';

const APP = process.env.ARCHIVEDESK_DESKTOP_BIN;
const DRIVER = process.env.TAURI_DRIVER_URL;
const DATA = process.env.ARCHIVEDESK_DATA_DIR;
for (const [name, value] of Object.entries({ ARCHIVEDESK_DESKTOP_BIN: APP, TAURI_DRIVER_URL: DRIVER, ARCHIVEDESK_DATA_DIR: DATA })) {
  if (!value) throw new Error(`${name} is not set: run the tests with tests/desktop/run.sh`);
}

/** The window's title in tauri.conf.json; tauri.conf.test.json changes the product name only. */
const TITLE = '档案查询台';
const TEST_IDENTIFIER = 'cn.archivedesk.desk.test';

const artifacts = fileURLToPath(new URL('artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * `work` (a promise or a function returning one), failing after `ms`: a WebDriver call to an app
 * that did not start or has hung never answers, and the test must fail instead of waiting.
 */
async function within(ms, what, work) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([typeof work === 'function' ? work() : work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** @type {import('selenium-webdriver').WebDriver | undefined} */
let driver;

function session() {
  if (!driver) throw new Error('no WebDriver session: the app did not start (see tauri-driver.log)');
  return driver;
}

const byTestId = (id) => By.css(`[data-testid="${id}"]`);

async function find(id, ms = 15_000) {
  return within(ms + 2_000, `find ${id}`, () => session().wait(until.elementLocated(byTestId(id)), ms, `no ${id} within ${ms} ms`));
}

const STEP_MS = 10_000;
const text = (element) => within(STEP_MS, 'read text', () => element.getText());
const attribute = (element, name) => within(STEP_MS, `read ${name}`, () => element.getAttribute(name));
const count = (locator) => within(STEP_MS, 'count elements', async () => (await session().findElements(locator)).length);

/** Polls `probe` until it returns something truthy; fails with `what` after `ms`. */
async function poll(what, probe, ms = 15_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await within(5_000, what, probe);
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(200);
  }
}

const script = (code, ...args) => within(10_000, 'execute script', () => session().executeScript(code, ...args));

async function screenshot(name) {
  // Element Plus fades its loading masks out; then a frame for the last DOM change to paint.
  await poll('loading masks gone', async () => (await count(By.css('.el-loading-mask'))) === 0, 5_000).catch(() => {});
  await sleep(500);
  const png = await within(15_000, `screenshot ${name}`, () => session().takeScreenshot());
  writeFileSync(join(artifacts, `${name}.png`), png, 'base64');
}

/** A test whose screen is kept when it fails, to see what the clerk would have seen. */
function desktopTest(name, shot, body) {
  test(name, { timeout: 120_000 }, async (t) => {
    try {
      await body(t);
    } catch (e) {
      if (driver) await screenshot(`${shot}-failed`).catch(() => {});
      throw e;
    }
  });
}

/** Back to the search screen, as the app shows it at start. */
async function home() {
  await script("window.location.hash = '#/'");
  await find('search-input');
}

/** Replaces the search box's text with `query`, typed as a clerk types it. */
async function search(query) {
  const box = await find('search-input');
  await within(10_000, 'clear the search box', async () => {
    await box.click();
    await box.sendKeys(Key.CONTROL, 'a');
    await box.sendKeys(Key.BACK_SPACE);
  });
  // An empty box empties the list: the hits seen next answer the new query.
  await poll('the list emptied', async () => (await count(byTestId('hit'))) === 0);
  await within(15_000, `type ${query}`, () => box.sendKeys(query));
  return box;
}

/** The first hit once it names `text` and no search is under way, and the total then shown. */
async function firstHitNaming(wanted) {
  const hit = await poll(`a first hit naming ${wanted}`, async () => {
    if ((await count(byTestId('search-loading'))) > 0) return null;
    const hits = await within(STEP_MS, 'find hits', () => session().findElements(byTestId('hit')));
    if (hits.length === 0) return null;
    return (await text(hits[0])).includes(wanted) ? hits[0] : null;
  });
  const total = Number(await attribute(await find('search-total'), 'data-total'));
  return { hit, total };
}

const truth = () =>
  readFileSync(join(DATA, 'demo-source', 'truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** The `skip`+1-th name, written as it is, of a record with no deliberate mess. */
const cleanName = (skip = 0) => [...new Set(truth().filter((t) => t.mess.length === 0 && t.written_name === t.name).map((t) => t.name))][skip];

/** Width and height of a PNG or JPEG file, from its header. */
function imageSize(file) {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) throw new Error(`${file}: not a JPEG marker at ${i}`);
      const marker = b[i + 1];
      const length = b.readUInt16BE(i + 2);
      // SOF0…SOF15 carry the frame size; C4, C8 and CC are other segments.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
  }
  throw new Error(`${file}: neither PNG nor JPEG`);
}

/** A document of the demo archive with a scanned image: its folder name is its 档号. */
function scannedDocument() {
  const scans = join(DATA, 'demo-source', 'scans');
  for (const folder of readdirSync(scans, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const pages = readdirSync(join(scans, folder))
      .filter((f) => ['.png', '.jpg', '.jpeg'].includes(extname(f).toLowerCase()))
      .sort();
    if (pages.length > 0) return { ref: folder, firstPage: imageSize(join(scans, folder, pages[0])) };
  }
  throw new Error(`no folder of scanned images in ${scans}`);
}

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

before(async () => {
  const capabilities = { browserName: 'wry', 'tauri:options': { application: APP, args: [] } };
  driver = await within(60_000, 'start the app through tauri-driver', () =>
    new Builder().withCapabilities(capabilities).usingServer(DRIVER).build(),
  );
  await within(10_000, 'set timeouts', () => driver.manage().setTimeouts({ script: 10_000, pageLoad: 30_000, implicit: 0 }));
});

after(async () => {
  if (driver) await within(20_000, 'close the app', () => driver.quit()).catch((e) => console.error(`# ${e.message}`));
});

desktopTest('the window opens with its title and the search box has focus', '1-start', async () => {
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

desktopTest('a name finds the person and the total is shown', '2-search', async () => {
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
