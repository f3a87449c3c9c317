// The desktop app as the holding archive (协办馆) of a 跨馆 round trip. The app works on an archive
// of its own, 乙县档案馆; A, 甲县档案馆, is a real process (`archivedesk serve --peer-door` on
// 127.0.0.5) whose clerk works at its command line. In 设置 → 跨馆档案馆 the supervisor adds A by its
// key hash and opens 本馆跨馆端口 (on 127.0.0.6 here). A sends a citizen's application with the ID
// card; it shows in the app's 跨馆协办 inbox; the clerk opens it, 受理, adds the citizen's row from
// the record, lets the page go out and issues the certificate. Each step reaches A, and the PDF A
// receives is the one the app issued, byte for byte, verified at A as issued by 乙县档案馆.
//
// Run by desktop/run.sh after lan_desk.test.mjs (one app at a time), with ARCHIVEDESK_BIN set.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { By } from 'selenium-webdriver';
import {
  CLERK,
  session,
  byTestId,
  find,
  text,
  attribute,
  count,
  poll,
  script,
  click,
  typeInto,
  screenshot,
  desktopTest,
  home,
  citizen,
  startApp,
  quitApp,
  addRowFromRecord,
  letPagesGoUncovered,
  issueCertificate,
  within,
  STEP_MS,
} from './driver.mjs';

const CLI = process.env.ARCHIVEDESK_BIN;
if (!CLI) throw new Error('ARCHIVEDESK_BIN is not set: run the tests with tests/desktop/run.sh');

/** A's loopback address, and the one the app's peer door listens on. */
const A_IP = '127.0.0.5';
const B_IP = '127.0.0.6';

const work = mkdtempSync(join(tmpdir(), 'archivedesk-cross-'));
const aData = join(work, '甲县档案');
const bData = join(work, '乙县档案');
let aProcess;
let aDoor = '';
let bDoor = '';
let person;
let aRequest = '';

const at = (data, args) => execFileSync(CLI, ['--data-dir', data, ...args], { encoding: 'utf8' });

/** The archive's own key hash, as `peers` prints it. */
function ownPin(data) {
  const line = at(data, ['peers']).split('\n').find((l) => l.startsWith('本馆密钥 SHA-256'));
  if (!line) throw new Error(`no key hash of ${data}`);
  return line.replace('本馆密钥 SHA-256', '').trim();
}

/** An address on `ip` with a port free now. */
function freeAddress(ip) {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, ip, () => {
      const { port } = probe.address();
      probe.close(() => done(`${ip}:${port}`));
    });
  });
}

/**
 * The text of the element `id` as the page holds it: 设置 is long, and WebDriver reads no text of
 * what lies below the window's fold.
 */
async function textOf(id) {
  return String(await script(`return document.querySelector('[data-testid="${id}"]')?.textContent ?? ''`)).trim();
}

/** A's view of the application it sent, as its clerk's `register show` has it. */
const sentAtA = () => JSON.parse(at(aData, ['register', 'show', aRequest, '--json'])).cross_sent[0];

before(async () => {
  at(bData, ['demo', '--entries', '2000']);
  at(bData, ['init', '--name', '乙县档案馆']);
  execFileSync(CLI, ['--data-dir', bData, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });
  at(aData, ['init', '--name', '甲县档案馆']);
  aDoor = await freeAddress(A_IP);
  aProcess = spawn(CLI, ['--data-dir', aData, 'serve', '--listen', `${A_IP}:0`, '--peer-door', aDoor], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  aProcess.stderr.on('data', (chunk) => (said += chunk));
  await new Promise((done, fail) => {
    createInterface({ input: aProcess.stdout }).on('line', (line) => {
      if (line.startsWith('跨馆地址')) done();
    });
    aProcess.once('exit', (code) => fail(new Error(`A exited with ${code}: ${said}`)));
  });
  person = citizen(bData);
  await startApp(['--data-dir', bData]);
});

after(async () => {
  await quitApp();
  if (aProcess && aProcess.exitCode === null) {
    aProcess.kill();
    await new Promise((done) => aProcess.once('exit', done));
  }
  rmSync(work, { recursive: true, force: true });
});

desktopTest('设置 → 跨馆档案馆: A added by its key hash, and 本馆跨馆端口 opened for it', 'cross-1-door', async () => {
  await home();
  await script("window.location.hash = '#/settings'");
  const settings = await find('peer-settings');
  assert.equal(await poll('this archive\'s key hash', () => textOf('peer-own-pin')), ownPin(bData));
  await typeInto('peer-name', '甲县档案馆');
  await typeInto('peer-address', aDoor);
  await typeInto('peer-pin', ownPin(aData));
  await click('添加', () => find('peer-add'));
  await poll('A listed', async () => (await textOf('peer-list')).includes('甲县档案馆'));

  // On its own loopback address here; an archive types the PC's address and the port IT opened.
  await typeInto('peer-door-listen', `${B_IP}:0`);
  await click('接受其他档案馆的连接', () => find('peer-door-switch'));
  bDoor = await poll('the address the door listens on', async () => (await find('peer-door-address')) && textOf('peer-door-address'));
  assert.match(bDoor, /^127\.0\.0\.6:\d+$/);
  // Kept for the next start, with the port it got.
  assert.equal(JSON.parse(readFileSync(join(bData, 'peer_door.json'), 'utf8')).listen, bDoor);
  await within(STEP_MS, 'scroll to the door', () => script('arguments[0].scrollIntoView({ block: "start" })', settings));
  await screenshot('cross-1-door');
});

desktopTest('an application from A is taken in the 跨馆协办 inbox, certified, and the certificate reaches A', 'cross-2-round-trip', async (t) => {
  assert.ok(bDoor, 'the peer door is open');
  // A's clerk: the app added as a peer, a 跨馆 request with the citizen's ID card, sent.
  at(aData, ['peers', 'add', '--name', '乙县档案馆', '--address', bDoor, '--pin', ownPin(bData)]);
  aRequest = String(
    JSON.parse(
      at(aData, [
        'register', 'new', '--name', person.name, '--id-number', person.id18, '--purpose', '退休待遇核定',
        '--channel', '跨馆', '--sought', '本人在乙县的工资调整记录', '--json',
      ]),
    ).id,
  );
  const card = join(work, '身份证.jpg');
  writeFileSync(card, Buffer.from(await within(15_000, 'a photo', () => session().takeScreenshot()), 'base64'));
  at(aData, ['register', 'proof', aRequest, '--kind', 'id_card', card]);
  at(aData, ['cross', 'send', '--request', aRequest, '--peer', '乙县档案馆']);
  t.diagnostic(`A's request ${aRequest} for ${person.name} (${person.ref_code})`);

  // The app registers it; 登记 lists it under 跨馆协办 (read when 登记 opens).
  const item = await poll('the application in the 跨馆协办 inbox', async () => {
    await script("window.location.hash = '#/'");
    await find('search-input');
    await script("window.location.hash = '#/register'");
    await find('request-list');
    const items = await within(STEP_MS, 'find inbox items', () => session().findElements(byTestId('cross-inbox-item')));
    for (const candidate of items) if ((await text(candidate)).includes(person.name)) return candidate;
    return null;
  }, 30_000);
  assert.match(await text(await find('cross-inbox')), /甲县档案馆/);
  await screenshot('cross-2-inbox');
  const bRequest = await attribute(item, 'data-request');
  await click('the application', item);
  const banner = await find('cross-received', 20_000);
  assert.equal(await attribute(banner, 'data-state'), 'submitted');
  assert.equal(await text(await find('request-detail-name')), person.name);
  // The requester's ID card came with it.
  await poll('the ID card kept', async () => (await count(byTestId('proof-file'))) === 1);

  // 受理, and A hears it.
  await click('受理', () => find('cross-accept'));
  await poll('已受理 here', async () => (await attribute(await find('cross-received'), 'data-state')) === 'accepted');
  await poll('已受理 at A', async () => sentAtA().state === 'accepted', 20_000);

  // 跨馆协办 follows: the application stands 已受理 there too.
  await poll('已受理 in the inbox', async () => (await text(await find('cross-inbox'))).includes('已受理'));

  // The citizen's row added from the record to this request, which is open at the desk.
  await script("window.location.hash = '#/'");
  await find('search-input');
  await addRowFromRecord(person);
  await script(`window.location.hash = '#/register/${bRequest}'`);
  await poll('the record attached', async () => {
    const records = await within(STEP_MS, 'find attached records', () =>
      session().findElements(By.css('[data-testid="request-detail"] [data-testid="attached-record"]')),
    );
    return records.length === 1 && (await attribute(records[0], 'data-ref')) === person.ref_code;
  });
  await poll('协办中 at A', async () => ['in_progress', 'certified'].includes(sentAtA().state), 20_000);

  await letPagesGoUncovered('协办馆按申请出具整页复印件，已核对');
  const { number } = await issueCertificate('A', 'cross-2');
  t.diagnostic(`certificate ${number}`);

  // A has the certificate: its request found, the PDF the one issued here, verified at A.
  const sent = await poll('the certificate at A', async () => {
    const now = sentAtA();
    return now.state === 'certified' ? now : null;
  }, 30_000);
  assert.equal(sent.certificate_number, number);
  const atA = join(work, '收到的证明.pdf');
  const here = join(work, '出具的证明.pdf');
  at(aData, ['cross', 'certificate', String(sent.id), '--out', atA]);
  at(bData, ['certificate', 'show', number, '--out', here]);
  assert.ok(readFileSync(atA).equals(readFileSync(here)), 'A received the PDF issued here');
  const verified = JSON.parse(at(aData, ['verify', sent.certificate_code, '--pdf', atA, '--json']));
  assert.equal(verified.valid, true, JSON.stringify(verified));
  assert.equal(verified.pdf_matches, true);
  assert.match(JSON.stringify(verified.issued_elsewhere), /乙县档案馆/);
  assert.equal(JSON.parse(at(aData, ['register', 'show', aRequest, '--json'])).status, 'found');
  await script(`window.location.hash = '#/register/${bRequest}'`);
  await poll('已出证 here', async () => (await attribute(await find('cross-received'), 'data-state')) === 'certified');
  await screenshot('cross-2-certified');
});
