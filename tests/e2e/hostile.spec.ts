// A hostile clerk at the counter, in a real browser against `archivedesk serve` on the demo archive:
// searches for the words around ID numbers, opens the records and their full text, probes the
// register list digit by digit, fetches page images of records never opened, guesses a password —
// and finds no ID number whole, while every look is on the audit trail. A supervisor's change to
// the account then ends the login, and the app asks for it again over the screen it keeps.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLERK } from './account';
import { binary } from './server';

interface Truth {
  name: string;
  id18: string;
  kind: string;
  ref_code: string;
  ref_code_written: string;
}

const HOSTILE = { login: 'xiaoli', name: '小李', password: '窗口二号-柜台密码' };

const url = () => process.env.ARCHIVEDESK_URL!;
const data = () => process.env.ARCHIVEDESK_DATA!;
const api = (op: string) => new URL(`/api/${op}`, url()).href;

function truth(): Truth[] {
  return readFileSync(join(data(), 'demo-source', 'truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/// The hidden part of every ID number of the demo, in both its 18- and 15-digit forms: what a
/// masked ID must never show (its first six digits, the region, are shown).
function hiddenParts(): string[] {
  const parts = new Set<string>();
  for (const t of truth()) {
    if (!t.id18) continue;
    parts.add(t.id18.slice(6));
    parts.add(t.id18.slice(8, 17)); // the 15-digit form's birth and sequence
    parts.add(t.id18.slice(6, 14) + t.id18.slice(14, 17));
  }
  return [...parts];
}

/// Digits of `text` as they would run on, separators and widths dropped.
function digitsOf(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-‐-―－.．·・]/g, '');
}

function assertNoIdShown(text: string, hidden: string[], where: string) {
  const digits = digitsOf(text);
  const leaked = hidden.find((h) => digits.includes(h));
  expect(leaked, `${where} shows an ID number's hidden digits`).toBeUndefined();
}

const screens = resolve(__dirname, 'artifacts', 'screens');
mkdirSync(screens, { recursive: true });
async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screens, `${name}.png`) });
}

let hostileMade = false;
function makeHostileClerk() {
  if (hostileMade) return;
  execFileSync(binary(), ['--data-dir', data(), 'clerk', 'add', HOSTILE.login, '--name', HOSTILE.name], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: HOSTILE.password },
  });
  hostileMade = true;
}

async function logInAtTheScreen(page: Page, who: { login: string; password: string }) {
  await page.goto(url());
  await expect(page.getByTestId('login')).toBeVisible();
  await page.getByTestId('login-name').fill(who.login);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('search-input')).toBeVisible();
}

/// The supervisor in a context of their own: the audit trail and account changes.
async function supervisor(request: APIRequestContext) {
  await request.get(url());
  const login = await request.post(api('login'), { data: { login: CLERK.login, password: CLERK.password } });
  expect(login.ok(), await login.text()).toBeTruthy();
  return {
    call: async (op: string, body: unknown) => {
      const answer = await request.post(api(op), { data: body });
      expect(answer.ok(), `${op}: ${await answer.text()}`).toBeTruthy();
      return answer.json();
    },
  };
}

test('a hostile clerk finds nothing unmasked, and every look is on the trail', async ({ page, browser }) => {
  test.setTimeout(180_000);
  makeHostileClerk();
  const hidden = hiddenParts();
  await logInAtTheScreen(page, HOSTILE);

  // The words around ID numbers in the approvals' text, an ID number itself, a name.
  const someone = truth().find((t) => t.kind === 'retirement' && t.id18)!;
  for (const query of ['居民身份证号码', '身份证', someone.id18, someone.name]) {
    await page.getByTestId('search-input').fill(query);
    await expect(page.getByTestId('search-total')).toBeVisible();
    await expect(page.getByTestId('hit').first()).toBeVisible();
    assertNoIdShown(await page.getByTestId('hit-list').innerText(), hidden, `hits for ${query}`);
    const answer = await page.request.post(api('search'), { data: { query } });
    assertNoIdShown(await answer.text(), hidden, `search answer for ${query}`);
  }

  // A record with its full text: the text is shown, masked, with the words searched for marked;
  // its page image is served within the view and never cached.
  const scans = new Set(readdirSync(join(data(), 'demo-source', 'scans')));
  const approval = truth().find((t) => t.kind === 'retirement' && t.id18 && scans.has(t.ref_code))!;
  await page.getByTestId('search-input').fill(`${approval.name} 居民身份证号码`);
  const served = page.waitForResponse((r) => r.url().includes('/api/page/'), { timeout: 30_000 });
  await page.getByTestId('hit').filter({ hasText: approval.ref_code_written }).first().click();
  const pageImage = await served;
  expect(pageImage.status()).toBe(200);
  expect(pageImage.headers()['cache-control']).toBe('no-store');
  await expect(page.getByTestId('full-text')).toBeVisible();
  const marks = await page.getByTestId('full-text-mark').allInnerTexts();
  expect(marks).toContain('居民身份证号码');
  await screenshot(page, '11-record-full-text');
  assertNoIdShown(await page.locator('body').innerText(), hidden, 'the record view');

  // The register list, probed digit by digit for a requester's ID: nothing until the whole number.
  const supervisorContext = await browser.newContext();
  const boss = await supervisor(supervisorContext.request);
  const citizen = truth().find((t) => t.kind === 'wage' && t.id18 && t.id18 !== someone.id18)!;
  await boss.call('register_request', {
    requester_name: citizen.name,
    requester_id: citizen.id18,
    requester_phone: '13912345678',
    relationship: 'self',
    purpose: '工龄认定',
    channel: '窗口',
    sought: '招工审批表',
  });
  for (const n of [7, 10, 14, 17]) {
    const probe = await page.request.post(api('lookup_requests'), { data: { text: citizen.id18.slice(0, n) } });
    expect((await probe.json()).total, `the first ${n} digits`).toBe(0);
  }
  const whole = await page.request.post(api('lookup_requests'), { data: { text: citizen.id18 } });
  const list = await whole.json();
  expect(list.total).toBe(1);
  assertNoIdShown(JSON.stringify(list), hidden, 'the register list');
  const phone = await page.request.post(api('lookup_requests'), { data: { text: '1391234' } });
  expect((await phone.json()).total).toBe(0);

  // Page images of a record never opened: refused; of the record opened: served, never cached.
  const scanned = truth().find((t) => t.kind === 'wage' && t.ref_code !== someone.ref_code)!;
  const doc = await boss.call('document', { reference: scanned.ref_code });
  const never = await page.request.get(new URL(`/api/page/${doc.id}/1?size=preview`, url()).href);
  expect(never.status()).toBe(403);

  // A password guessed: refused, then slowed down.
  const guesses: number[] = [];
  for (let n = 0; n < 8; n++) {
    const guess = await supervisorContext.request.post(api('login'), {
      data: { login: HOSTILE.login, password: `guess-${n}` },
    });
    guesses.push(guess.status());
  }
  expect(guesses.slice(0, 3)).toEqual([401, 401, 401]);
  expect(guesses).toContain(429);

  // Every look is on the trail, under the clerk's name.
  const boss2Context = await browser.newContext();
  const boss2 = await supervisor(boss2Context.request);
  const rows: { actor: string; action: string; detail: string }[] = await boss2.call('audit_rows', { limit: 1000 });
  const mine = rows.filter((r) => r.actor.startsWith(HOSTILE.login));
  const actions = mine.map((r) => r.action);
  for (const action of ['login', 'search', 'view_record', 'search_register']) {
    expect(actions, `${action} on the trail`).toContain(action);
  }
  const searched = mine.filter((r) => r.action === 'search').map((r) => JSON.parse(r.detail).query);
  for (const query of ['居民身份证号码', someone.id18, someone.name]) {
    expect(searched, `the search for ${query} on the trail`).toContain(query);
  }
  const failed = rows.filter((r) => r.actor.startsWith(HOSTILE.login) && r.action === 'login_failed');
  expect(failed.length).toBeGreaterThanOrEqual(3);
  expect(rows.some((r) => r.action === 'login_slowed' || r.action === 'login_delay')).toBeTruthy();

  // Clear the delay so the screen can log in again below, then end the login from outside.
  await boss2.call('clear_login_delay', { login: HOSTILE.login });
  const clerks: { id: number; login: string }[] = await boss2.call('clerks', {});
  const hostileId = clerks.find((c) => c.login === HOSTILE.login)!.id;
  // The screen shows search results; a role change ends the login at once.
  await page.goto(url());
  await page.getByTestId('search-input').fill(someone.name);
  await expect(page.getByTestId('hit').first()).toBeVisible();
  await boss2.call('change_clerk', { clerk_id: hostileId, role: 'supervisor' });
  await boss2.call('change_clerk', { clerk_id: hostileId, role: 'clerk' });
  await page.getByTestId('search-input').fill(`${someone.name} `);
  await expect(page.getByTestId('relogin-dialog')).toBeVisible();
  await expect(page.getByTestId('relogin-reason')).toContainText('主管');
  await screenshot(page, '12-login-asked-again');
  // The results are still there under the dialog; logging in again carries on.
  await expect(page.getByTestId('hit').first()).toBeAttached();
  await page.getByTestId('relogin-password').fill(HOSTILE.password);
  await page.getByTestId('relogin-submit').click();
  await expect(page.getByTestId('relogin-dialog')).toBeHidden();
  await expect(page.getByTestId('hit').first()).toBeVisible();
  await supervisorContext.close();
  await boss2Context.close();
});
