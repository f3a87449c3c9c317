// Whole visits from the keyboard alone, in a real browser against `archivedesk serve` on the demo
// archive: no mouse click from the login to the printed certificate. A retiree's wage row is
// found by ID, attached, its page covered in one step, previewed, certified and printed; a proxy
// (代查代送) registered by one clerk is carried on by the next after 切换账号, without a second
// registration, and the father's row is his own record on it.
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLERK, DESK_CLERK } from './account';
import { plainScannedWageRows, type Truth } from './truth';

const screens = resolve(__dirname, 'artifacts', 'screens');
mkdirSync(screens, { recursive: true });

async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screens, `${name}.png`) });
}

/// A plainly written wage row with a scan; `skip` leaves the first ones to other tests
/// (counter.spec.ts takes the first).
function citizen(skip: number): Truth {
  const rows = plainScannedWageRows();
  expect(rows.length, 'the demo archive has enough plainly written wage rows with scans').toBeGreaterThan(skip);
  return rows[skip];
}

/// A valid 18-digit ID number (GB 11643 check digit) from its first 17 digits.
function id18(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

async function keys(page: Page, ...pressed: string[]) {
  for (const key of pressed) await page.keyboard.press(key);
}

/// The login screen has the caret: name, Enter, password, Enter.
async function logIn(page: Page, who: { login: string; password: string; name: string }) {
  await expect(page.getByTestId('login-name')).toBeFocused();
  await page.keyboard.type(who.login);
  await keys(page, 'Enter');
  await page.keyboard.type(who.password);
  await keys(page, 'Enter');
  await expect(page.getByTestId('desk-caller')).toContainText(who.name);
}

/// From the search box: the person's ID, then ↓ to their record of `ref` and Enter.
async function openRecordById(page: Page, person: Truth) {
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type(person.id18);
  const hits = page.getByTestId('hit');
  await expect(hits.filter({ hasText: person.ref_code_written }).first()).toBeVisible();
  const index = await hits.evaluateAll(
    (all, ref) => all.findIndex((hit) => (hit.textContent ?? '').includes(ref as string)),
    person.ref_code_written,
  );
  for (let i = 0; i < index; i++) await keys(page, 'ArrowDown');
  await expect(hits.nth(index)).toHaveAttribute('aria-selected', 'true');
  await keys(page, 'Enter');
  await expect(page.getByTestId('record-ref')).toContainText(person.ref_code_written);
  // The row searched for holds the keyboard.
  await expect(page.locator('tr.entry-row-hit')).toBeFocused();
}

/// Enter on the row: the attach dialog; the page the row stands on is ticked with Space when
/// the catalogue names none, and Ctrl+Enter adds it.
async function attachFocusedRow(page: Page) {
  await expect(page.locator('tr.entry-row-hit [data-testid="attach-key"]')).toHaveText('Enter');
  await keys(page, 'Enter');
  const attach = page.getByTestId('attach-dialog');
  await expect(attach).toBeVisible();
  if ((await attach.getByTestId('attach-hint').getAttribute('data-situation')) === 'unnamed') {
    await expect(attach.getByTestId('page-thumb').first()).toBeFocused();
    await keys(page, 'Space');
    await expect(attach.locator('[data-testid="page-pick"][data-page="1"]')).toHaveAttribute('aria-checked', 'true');
  }
  await keys(page, 'Control+Enter');
  await expect(attach).toBeHidden();
}

/// The focused 利用目的 select: ↓ opens it, ↓ again is on its first option (退休待遇核定), Enter.
async function chooseFirstPurpose(page: Page) {
  await keys(page, 'ArrowDown');
  const first = page.locator('[data-testid="request-form-purpose-option"]').first();
  await expect(first).toBeVisible();
  await keys(page, 'ArrowDown');
  await expect(first).toHaveClass(/is-hovering/);
  await keys(page, 'Enter');
  await expect(page.getByTestId('request-form-purpose')).toContainText('退休待遇核定');
}

test('a retiree’s visit from the keyboard alone: found, registered, covered, previewed, certified, printed', async ({
  page,
}) => {
  test.setTimeout(150_000);
  // The system's print dialog is the operating system's: the page counts the calls instead.
  await page.addInitScript(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  const person = citizen(1);
  await page.goto(process.env.ARCHIVEDESK_URL!);
  await logIn(page, CLERK);

  await openRecordById(page, person);
  // No request is open: the row waits for the registration, whose form has the name already.
  await attachFocusedRow(page);
  await expect(page.getByTestId('request-form-prefilled')).toBeVisible();
  await expect(page.getByTestId('request-form-id')).toBeFocused();
  await page.keyboard.type(person.id18);
  await keys(page, 'Tab', 'Tab'); // the phone, then 利用目的
  await chooseFirstPurpose(page);
  await keys(page, 'Tab', 'Tab'); // 渠道 (窗口), then 查档内容
  await page.keyboard.type('本人1990年代工资调整记录');
  await keys(page, 'Control+Enter');

  const detail = page.getByTestId('request-detail');
  await expect(detail.getByTestId('attached-record')).toHaveCount(1);
  await expect(detail.getByTestId('own-record-tag')).toBeVisible();
  // The page holds colleagues' rows: 遮盖 is the next step and has the focus.
  await expect(detail.getByTestId('uncovered-redact').first()).toBeFocused();
  await keys(page, 'Enter');
  const redact = page.getByTestId('redact-dialog');
  await expect(redact.getByTestId('redact-own')).toHaveCount(1);
  await expect(redact.getByTestId('redact-suggest')).toBeFocused();
  await keys(page, 'Enter');
  const covered = await redact.getByTestId('redact-box').count();
  expect(covered).toBeGreaterThan(0);
  await expect(redact.getByTestId('redact-suggest-note')).toContainText('请逐行核对');
  await screenshot(page, '11-keyboard-covers');
  // The clerk looks at the page, then goes to 保存 on purpose (清除, 取消, 保存).
  await keys(page, 'Tab', 'Tab', 'Tab');
  await expect(redact.getByTestId('redact-save')).toBeFocused();
  await keys(page, 'Enter');
  await expect(redact).toBeHidden();

  await expect(detail.getByTestId('confirm-covered').first()).toBeFocused();
  await keys(page, 'Enter');
  await expect(detail.getByTestId('uncovered-pages')).toHaveCount(0);
  await expect(detail.getByTestId('issue-certificate')).toBeFocused();
  await keys(page, 'Enter');
  const preview = page.getByTestId('certificate-preview');
  await expect(preview.getByTestId('certificate-preview-ready')).toBeVisible({ timeout: 30_000 });
  await expect(preview.getByTestId('certificate-preview-confirm')).toBeFocused();
  await keys(page, 'Enter');

  await expect(page.getByTestId('certificate-number')).toHaveText(/〔\d{4}〕A第\d{4}号/);
  const pages = page.getByTestId('certificate-pages');
  await expect(pages).not.toHaveAttribute('data-pages', '0', { timeout: 30_000 });
  const count = Number(await pages.getAttribute('data-pages'));
  await expect(pages).toHaveAttribute('data-rendered', String(count), { timeout: 30_000 });
  await expect(page.getByTestId('print-certificate')).toBeFocused();
  await keys(page, 'Enter');
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await expect(page.locator('[data-testid="print-root"] img')).toHaveCount(count);
});

test('a proxy visit from the keyboard alone, carried on by the next clerk after 切换账号', async ({ page }) => {
  test.setTimeout(150_000);
  const father = citizen(2);
  const son = { name: '代理人甲', id: id18('62010219800101003'), phone: '13912345678' };
  await page.goto(process.env.ARCHIVEDESK_URL!);
  await logIn(page, CLERK);

  // 登记 (Alt+3): the form has the caret in the name; the relationship above it comes first.
  await keys(page, 'Alt+3');
  await expect(page.getByTestId('request-form-name')).toBeFocused();
  await keys(page, 'Shift+Tab', 'ArrowRight'); // 本人 → 委托代理
  await expect(page.getByTestId('request-form-subject-hint')).toBeVisible();
  await keys(page, 'Tab');
  await expect(page.getByTestId('request-form-name')).toBeFocused();
  await page.keyboard.type(father.name);
  await keys(page, 'Tab');
  await page.keyboard.type(father.id18);
  await keys(page, 'Tab', 'Tab'); // 当事人电话 left empty: 代理人姓名
  await expect(page.getByTestId('request-form-proxy-name')).toBeFocused();
  await page.keyboard.type(son.name);
  await keys(page, 'Tab');
  await page.keyboard.type(son.id);
  await keys(page, 'Tab');
  await page.keyboard.type(son.phone);
  await keys(page, 'Tab');
  await chooseFirstPurpose(page);
  await keys(page, 'Tab', 'ArrowRight'); // 窗口 → 代查代送
  await expect(page.getByTestId('request-form-delivery')).toBeVisible();
  await keys(page, 'Tab', 'Tab'); // 邮寄, then the address
  await expect(page.getByTestId('request-form-delivery-address')).toBeFocused();
  await page.keyboard.type('城关镇东街12号 代理人甲收');
  await keys(page, 'Tab');
  await page.keyboard.type('父亲的工资调整记录');
  await keys(page, 'Control+Enter');

  const detail = page.getByTestId('request-detail');
  await expect(detail).toBeVisible();
  const requestId = await detail.getAttribute('data-id');
  await expect(detail.getByTestId('request-detail-proxy-phone')).toHaveText(son.phone);
  await expect(detail.getByTestId('request-detail-delivery')).toContainText('城关镇东街12号');

  // 切换账号 (Alt+Q): the next clerk logs in and lands on the same request.
  await keys(page, 'Alt+q');
  await logIn(page, DESK_CLERK);
  await expect(detail).toHaveAttribute('data-id', requestId!);
  await expect(detail.getByTestId('request-is-current')).toBeVisible();

  // The father's wage row, found by his ID, goes onto that request as his own record.
  await keys(page, 'Alt+1');
  await expect(page.getByTestId('current-request')).toBeVisible();
  await openRecordById(page, father);
  await attachFocusedRow(page);
  await keys(page, 'Alt+3');
  await expect(detail).toHaveAttribute('data-id', requestId!);
  await expect(detail.getByTestId('attached-record')).toHaveCount(1);
  await expect(detail.getByTestId('own-record-tag')).toBeVisible();
  await screenshot(page, '12-keyboard-proxy');

  // One registration for the visit, not a second one under the next clerk.
  const register = await page.request.post(new URL('/api/lookup_requests', process.env.ARCHIVEDESK_URL!).href, {
    data: { text: father.id18, from: null, to: null, status: null, limit: 10, offset: 0 },
  });
  expect(register.ok(), await register.text()).toBeTruthy();
  expect((await register.json()).total).toBe(1);
});
