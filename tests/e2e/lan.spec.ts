// A LAN host (`archivedesk serve --lan` on 127.0.0.2) and a desk (`serve --connect`, paired with
// the code the host printed) as real processes; the supervisor works at the desk in Chromium:
// 设置 → 局域网柜台 lists the host's desks, opens a pairing whose code pairs one more desk, and
// revokes that desk, which the host then refuses.
import { expect, test } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLERK } from './account';
import { binary, uiDir } from './server';

const started: ChildProcess[] = [];
let work = '';

/// Starts the program with `args` and reads its first `count` lines.
async function run(args: string[], count: number): Promise<{ lines: string[]; process: ChildProcess }> {
  const child = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const lines: string[] = [];
  let said = '';
  child.stderr!.on('data', (chunk) => (said += chunk));
  await new Promise<void>((done, fail) => {
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => {
      lines.push(line.trim());
      if (lines.length === count) done();
    });
    child.once('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${code}: ${said}`)));
  });
  return { lines, process: child };
}

/// What follows `prefix` on the line that begins with it.
function after(lines: string[], prefix: string): string {
  const line = lines.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no line beginning with ${prefix}: ${lines.join(' | ')}`);
  return line.slice(prefix.length).trim();
}

/// A desk paired with `code`: the URL it prints (with its token).
async function desk(folder: string, host: string, code: string): Promise<string> {
  const { lines } = await run(
    ['--data-dir', join(work, folder), 'serve', '--connect', host, '--pair', code, '--listen', '127.0.0.1:0', '--ui', uiDir()],
    1,
  );
  return lines[0];
}

let host = '';
let deskUrl = '';

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'archivedesk-lan-'));
  const data = join(work, '主机档案');
  execFileSync(binary(), ['--data-dir', data, 'demo', '--entries', '300', '--no-images', '--json'], { stdio: 'ignore' });
  execFileSync(binary(), ['--data-dir', data, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });
  const { lines } = await run(['--data-dir', data, 'serve', '--lan', '127.0.0.2:0'], 3);
  host = after(lines, '地址');
  deskUrl = await desk('二号柜台', host, after(lines, '配对码').split('（')[0]);
});

test.afterAll(async () => {
  for (const child of started) child.kill();
  await Promise.all(
    started.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((done) => child.once('exit', () => done())),
    ),
  );
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a supervisor at a desk pairs one more desk from 设置 and revokes it', async ({ page }) => {
  await page.goto(deskUrl);
  const login = await page.request.post(new URL('/api/login', deskUrl).href, {
    data: { login: CLERK.login, password: CLERK.password },
  });
  expect(login.ok(), await login.text()).toBeTruthy();
  expect((await login.json()).desk).toBe('B');
  // Loaded again, the app asks who is at the desk and finds the login.
  await page.reload();
  await expect(page.getByTestId('search-input')).toBeVisible();
  await page.goto(new URL('/#/settings', deskUrl).toString());

  const desks = page.getByTestId('lan-desks');
  await expect(desks.getByTestId('lan-desk-state-B')).toHaveText('使用中');
  await expect(desks.getByTestId('lan-desk-revoke-B')).toHaveCount(0);

  await page.getByTestId('lan-pair-name').fill('三号窗口');
  await page.getByTestId('lan-pair').click();
  const shown = await page.getByTestId('lan-pairing-code').textContent();
  expect(shown).toMatch(/^\d{3} \d{3}$/);
  await expect(page.getByTestId('lan-pairing')).toContainText('柜台C「三号窗口」');

  // The code pairs the third desk, whose own door then answers for the host's archive.
  const third = await desk('三号柜台', host, shown!);
  const thirdSession = await page.request.post(new URL('/api/desk_session', third).href, {
    headers: { Authorization: `Bearer ${new URL(third).searchParams.get('token')}` },
    data: {},
  });
  expect(thirdSession.ok(), await thirdSession.text()).toBeTruthy();

  await page.reload();
  await expect(desks.getByTestId('lan-desk-state-C')).toHaveText('使用中');
  await desks.getByTestId('lan-desk-revoke-C').click();
  await page.locator('.el-message-box').getByRole('button', { name: '撤销' }).click();
  await expect(desks.getByTestId('lan-desk-state-C')).toContainText('已撤销');

  // The host refuses the revoked desk from its next request on.
  const refused = await page.request.post(new URL('/api/desk_session', third).href, {
    headers: { Authorization: `Bearer ${new URL(third).searchParams.get('token')}` },
    data: {},
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).message).toContain('撤销');
});
