// The desktop app as one counter desk of a LAN host: a real host (`archivedesk serve --lan` on
// 127.0.0.3) on a demo archive of its own, and the app started on an empty data folder. Its first
// start asks where to work; an address nobody answers on is refused in Chinese, the host's address
// with the pairing code the host printed pairs the app. The clerk then logs in with the host's
// account, finds a citizen, registers the request from the record, covers the colleagues' rows
// (遮盖本人以外的各行) and issues the certificate — numbered with this desk's code — and the host's
// audit trail names the desk. Nothing of the archive is written on the desk.
//
// Run by desktop/run.sh after desk.test.mjs (one app at a time), with ARCHIVEDESK_BIN set.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
  atDesk,
  screenshot,
  desktopTest,
  home,
  citizen,
  startApp,
  quitApp,
  registerFromRecord,
  issueCertificate,
  within,
  STEP_MS,
} from './driver.mjs';

const CLI = process.env.ARCHIVEDESK_BIN;
if (!CLI) throw new Error('ARCHIVEDESK_BIN is not set: run the tests with tests/desktop/run.sh');

/** The host's loopback address: not the one the app or tauri-driver use. */
const HOST_IP = '127.0.0.3';

const work = mkdtempSync(join(tmpdir(), 'archivedesk-lan-desk-'));
const hostData = join(work, '主机档案');
const deskData = join(work, '三号柜台');
let hostProcess;
let hostAddress = '';
let pairingCode = '';

/** The host started on its archive: the lines it prints first, the address and the pairing code. */
async function startHost() {
  hostProcess = spawn(CLI, ['--data-dir', hostData, 'serve', '--lan', `${HOST_IP}:0`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  hostProcess.stderr.on('data', (chunk) => (said += chunk));
  const lines = await new Promise((done, fail) => {
    const seen = [];
    const reader = createInterface({ input: hostProcess.stdout });
    reader.on('line', (line) => {
      seen.push(line.trim());
      if (seen.some((l) => l.startsWith('配对码'))) done(seen);
    });
    hostProcess.once('exit', (code) => fail(new Error(`the host exited with ${code}: ${said}`)));
  });
  const after = (prefix) => lines.find((l) => l.startsWith(prefix)).slice(prefix.length).trim();
  hostAddress = after('地址');
  pairingCode = after('配对码').split('（')[0].trim();
}

before(async () => {
  execFileSync(CLI, ['--data-dir', hostData, 'demo', '--entries', '2000'], { stdio: 'ignore' });
  execFileSync(CLI, ['--data-dir', hostData, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });
  await startHost();
  await startApp(['--data-dir', deskData]);
});

after(async () => {
  await quitApp();
  if (hostProcess && hostProcess.exitCode === null) {
    hostProcess.kill();
    await new Promise((done) => hostProcess.once('exit', done));
  }
  rmSync(work, { recursive: true, force: true });
});

desktopTest('a new PC pairs as a desk at its first start; an address nobody answers on is refused', 'lan-1-pair', async () => {
  await find('desk-place', 30_000);
  // 连接局域网档案库 is the choice shown first; a port nobody listens on is refused in Chinese.
  await typeInto('desk-place-host', `${HOST_IP}:9`);
  await typeInto('desk-place-code', pairingCode);
  await click('配对并连接', () => find('desk-place-submit'));
  const refused = await poll('the refusal', async () => {
    const shown = await within(STEP_MS, 'find the error', () => session().findElements(byTestId('desk-place-error')));
    return shown.length > 0 ? text(shown[0]) : null;
  });
  assert.match(refused, /无法连接「127\.0\.0\.3:9」上的档案库主机/);
  await screenshot('lan-1-refused');

  await typeInto('desk-place-host', hostAddress);
  await click('配对并连接', () => find('desk-place-submit'));
  // Paired: the host has the account, so the login follows.
  await find('login', 30_000);
  const pairing = JSON.parse(readFileSync(join(deskData, 'lan_desk.json'), 'utf8'));
  assert.equal(pairing.host, hostAddress);
  assert.match(pairing.desk_code, /^[B-Z]$/);
  await atDesk();
});

desktopTest('at the desk a request is registered, covered and certified under the desk code, and the trail names the desk', 'lan-2-certificate', async (t) => {
  const deskCode = JSON.parse(readFileSync(join(deskData, 'lan_desk.json'), 'utf8')).desk_code;
  await home();
  const person = citizen(hostData);
  t.diagnostic(`${person.name}, ${person.ref_code}, desk ${deskCode}`);
  await registerFromRecord(person, 'lan-2');

  // 遮盖本人以外的各行: boxes over the colleagues' rows, saved, then 已遮盖他人信息.
  await click('遮盖', () => find('uncovered-redact'));
  await find('redact-dialog');
  await click('遮盖本人以外的各行', () => find('redact-suggest'));
  const boxes = await poll('the boxes drawn', async () => {
    const n = await count(byTestId('redact-box'));
    return n > 0 ? n : null;
  });
  await screenshot('lan-2-covered');
  await click('保存', () => find('redact-save'));
  await poll('the dialog closed', async () => {
    const dialogs = await within(STEP_MS, 'find the dialog', () => session().findElements(byTestId('redact-dialog')));
    for (const d of dialogs) if (await within(STEP_MS, 'dialog shown', () => d.isDisplayed())) return false;
    return true;
  });
  await click('已遮盖他人信息', () => find('confirm-covered'));
  await poll('nothing left to cover', async () => (await count(byTestId('uncovered-page'))) === 0);

  const { number } = await issueCertificate(deskCode, 'lan-2');
  t.diagnostic(`${number}, ${boxes} boxes`);

  // The host's trail: the certificate issued by the clerk at this desk.
  await script("window.location.hash = '#/audit'");
  await find('audit-view');
  // The trail names the clerk (login and name) and the desk: zhuguan（测试主管）@柜台B.
  const actor = `${CLERK.login}（${CLERK.name}）@柜台${deskCode}`;
  await poll(`a certificate row by ${actor}`, async () => {
    for (const row of await within(STEP_MS, 'find rows', () => session().findElements(byTestId('audit-row')))) {
      const action = await attribute(await within(STEP_MS, 'action', () => row.findElement(byTestId('audit-action'))), 'data-action');
      const who = await text(await within(STEP_MS, 'actor', () => row.findElement(byTestId('audit-actor'))));
      if (action === 'certificate' && who === actor) return true;
    }
    return false;
  });
  await screenshot('lan-2-audit');

  // The desk keeps its key and its pairing, nothing of the archive.
  assert.deepEqual(readdirSync(deskData).sort(), ['lan_desk.json', 'lan_key.pem'], 'the desk keeps only its pairing and key');
  assert.equal(await count(By.css('[data-testid="host-away"]')), 0);
});
