// Two archives as real processes: B serves its peer door (`serve --lan … --peer-door …` on
// 127.0.0.12) and A is a clerk's browser door (`serve`, with its own peer door on 127.0.0.13). In
// Chromium at A, the supervisor adds B in 设置 → 跨馆档案馆 with B's key hash, registers a 跨馆
// request for a citizen B holds, and asks B from the request: B's answer says it has records —
// counts, categories, years — and carries nothing personal. Then the round trip: A sends the
// application with the citizen's ID card; B's clerk (at B's command line) accepts it, attaches
// the record and issues the certificate; A's page shows each step as it comes, and the PDF A
// downloads is the one B issued.
import { expect, test } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLERK } from './account';
import { binary, startServer, stopServer, type Server } from './server';

const started: ChildProcess[] = [];
let work = '';
let a: Server | null = null;
let bPin = '';
let bPeerDoor = '';
let aData = '';
let bData = '';

/// A demo archive named `name` with the supervisor the tests log in as.
function demoArchive(folder: string, name: string): string {
  const data = join(work, folder);
  execFileSync(binary(), ['--data-dir', data, 'demo', '--entries', '300', '--no-images', '--json'], { stdio: 'ignore' });
  execFileSync(binary(), ['--data-dir', data, 'init', '--name', name], { stdio: 'ignore' });
  execFileSync(binary(), ['--data-dir', data, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });
  return data;
}

/// The archive's own key hash, as `peers` prints it.
function ownPin(data: string): string {
  const listed = execFileSync(binary(), ['--data-dir', data, 'peers'], { encoding: 'utf8' });
  const line = listed.split('\n').find((l) => l.startsWith('本馆密钥 SHA-256'));
  if (!line) throw new Error(`no key hash in: ${listed}`);
  return line.replace('本馆密钥 SHA-256', '').trim();
}

/// A plainly written person of B's with a valid ID, and every name and ID B holds.
function citizenOfB(): { name: string; id18: string; ref_code: string; names: string[]; ids: string[] } {
  const rows = readFileSync(join(bData, 'demo-source', 'truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { name: string; id18: string; mess: string[]; written_id: string; kind: string; ref_code: string });
  const person = rows.find((r) => r.kind === 'wage' && r.mess.length === 0 && r.written_id === r.id18 && r.id18.length === 18);
  if (!person) throw new Error('no plainly written wage row in B');
  return { name: person.name, id18: person.id18, ref_code: person.ref_code, names: rows.map((r) => r.name), ids: rows.map((r) => r.id18) };
}

/// An address on 127.0.0.13 with a port free now, for A's peer door (B must know it first).
async function freeAddress(): Promise<string> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.13', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(`127.0.0.13:${port}`));
    });
  });
}

function atB(args: string[]): string {
  return execFileSync(binary(), ['--data-dir', bData, ...args], { encoding: 'utf8' });
}

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'archivedesk-peers-'));
  aData = demoArchive('甲县档案', '甲县档案馆');
  bData = demoArchive('乙县档案', '乙县档案馆');
  bPin = ownPin(bData);
  const aPeerDoor = await freeAddress();
  execFileSync(binary(), ['--data-dir', bData, 'peers', 'add', '--name', '甲县档案馆', '--address', aPeerDoor, '--pin', ownPin(aData)], {
    stdio: 'ignore',
  });
  const b = spawn(binary(), ['--data-dir', bData, 'serve', '--lan', '127.0.0.12:0', '--peer-door', '127.0.0.12:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(b);
  bPeerDoor = await new Promise<string>((done, fail) => {
    createInterface({ input: b.stdout! }).on('line', (line) => {
      if (line.startsWith('跨馆地址')) done(line.replace('跨馆地址', '').trim());
    });
    b.once('exit', (code) => fail(new Error(`B exited with ${code}`)));
  });
  a = await startServer(aData, aPeerDoor);
});

test.afterAll(async () => {
  if (a) await stopServer(a);
  for (const child of started) child.kill();
  await Promise.all(
    started.map((child) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((done) => child.once('exit', () => done())),
    ),
  );
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a 跨馆 request asks another archive, which answers with document facts alone, then sends it the application and gets the certificate back', async ({ page }) => {
  test.setTimeout(180_000);
  const person = citizenOfB();
  await page.goto(a!.url);
  await page.getByTestId('login-name').fill(CLERK.login);
  await page.getByTestId('login-password').fill(CLERK.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('desk-caller')).toContainText(CLERK.name);

  // 设置 → 跨馆档案馆: this archive's key hash to read out, and B added with its own.
  await page.goto(new URL('/#/settings', a!.url).toString());
  const settings = page.getByTestId('peer-settings');
  await expect(settings.getByTestId('peer-own-pin')).toHaveText(ownPin(aData));
  await settings.getByTestId('peer-name').fill('乙县档案馆');
  await settings.getByTestId('peer-address').fill(bPeerDoor);
  await settings.getByTestId('peer-pin').fill(bPin);
  await settings.getByTestId('peer-add').click();
  await expect(settings.getByTestId('peer-list')).toContainText('乙县档案馆');

  // A 跨馆 request for the citizen, registered at the counter.
  await page.goto(new URL('/#/register?new=1', a!.url).toString());
  await page.getByTestId('request-form-name').fill(person.name);
  await page.getByTestId('request-form-id').fill(person.id18);
  await expect(page.getByTestId('request-form-id-check')).toHaveAttribute('data-status', 'valid18');
  await page.getByTestId('request-form-purpose').click();
  await page.locator('[data-testid="request-form-purpose-option"][data-value="退休待遇核定"]').click();
  await page.locator('[data-testid="request-form-channel-option"][data-value="跨馆"]').click();
  await page.getByTestId('request-form-sought').fill('本人在乙县的工资调整记录');
  await page.getByTestId('request-form-submit').click();

  // 查询其他档案馆: B chosen, by ID and by name with birth month.
  const ask = page.getByTestId('peer-ask');
  await expect(ask).toBeVisible();
  await ask.locator('[data-testid^="peer-ask-peer-"]').filter({ hasText: '乙县档案馆' }).click();
  await ask.getByTestId('peer-ask-chosen').click();
  const answer = ask.locator('[data-testid="peer-answer"][data-peer="乙县档案馆"]');
  await expect(answer).toHaveAttribute('data-state', 'found', { timeout: 15_000 });
  await expect(answer.getByTestId('peer-answer-state')).toHaveText('有记录');
  await expect(answer.getByTestId('peer-answer-group').first()).toContainText('件');
  await page.screenshot({ path: join(__dirname, 'artifacts', 'screens', 'peer-ask.png') });

  // Nothing personal of B's in what B answered: no ID number, no long run of digits, no name.
  const said = (await ask.getByTestId('peer-answers').textContent()) ?? '';
  expect(said).not.toMatch(/\d{15,}/);
  for (const id of person.id18 ? [person.id18] : []) expect(said).not.toContain(id.slice(0, 14));
  for (const name of new Set(person.names.filter((n) => n.length >= 2))) expect(said).not.toContain(name);

  // 跨馆查档申请: the citizen's ID card photographed, the application sent to B.
  const detail = page.getByTestId('request-detail');
  const requestId = await detail.getAttribute('data-id');
  const cross = detail.getByTestId('cross-application');
  await expect(cross.getByTestId('cross-missing-proof')).toBeVisible();
  const card = await page.screenshot({ type: 'jpeg', quality: 80 });
  await detail.getByTestId('proof-input').setInputFiles({ name: '身份证.jpg', mimeType: 'image/jpeg', buffer: card });
  await expect(detail.getByTestId('proof-file')).toHaveCount(1);
  await cross.getByTestId('cross-peer').click();
  await page.locator('.el-select-dropdown__item').filter({ hasText: '乙县档案馆' }).click();
  await cross.getByTestId('cross-send').click();
  const sent = cross.getByTestId('cross-sent');
  await expect(sent).toHaveCount(1);
  // B registers it and says by when it answers.
  await expect(sent.getByTestId('cross-deadline')).toBeVisible({ timeout: 20_000 });

  // At B: 受理, the record attached, the certificate issued.
  const inbox = JSON.parse(atB(['cross', 'inbox', '--json']));
  const item = inbox.items.find((i: { their_request_no: string }) => i.their_request_no === requestId);
  expect(item, 'B has the application').toBeTruthy();
  expect(item.requester_name).toBe(person.name);
  atB(['cross', 'accept', String(item.id)]);
  await expect(sent).toHaveAttribute('data-state', 'accepted', { timeout: 20_000 });
  await expect(sent.getByTestId('cross-state')).toHaveText('已受理');
  const documentId = JSON.parse(atB(['show', person.ref_code, '--json'])).id;
  atB(['register', 'attach', String(item.request_id), '--document', String(documentId)]);
  const issued = JSON.parse(atB(['certificate', 'issue', String(item.request_id), '--json']));
  await expect(sent).toHaveAttribute('data-state', 'certified', { timeout: 20_000 });
  await expect(sent).toContainText(issued.number);
  await page.screenshot({ path: join(__dirname, 'artifacts', 'screens', 'cross-round-trip.png') });

  // The PDF A downloads is the one B issued; A's request stands 已查到.
  const download = page.waitForEvent('download');
  await sent.getByTestId('cross-certificate').click();
  const saved = await (await download).path();
  const issuedPdf = join(work, 'issued.pdf');
  atB(['certificate', 'show', issued.number, '--out', issuedPdf]);
  expect(readFileSync(saved!)).toEqual(readFileSync(issuedPdf));
  await expect(detail).toHaveAttribute('data-status', 'found');
});
