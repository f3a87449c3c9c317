// The counter's side of a visit, in a real browser against `archivedesk serve`: the first start
// makes the supervisor's account; a clerk logs in, finds the citizen's record, registers the
// request, attaches the row, issues the certificate — whose PDF holds the 档号 and the requester
// as text and whose pages render — and the statistics and the audit trail show the visit.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLERK } from './account';
import { plainScannedWageRows, type Truth } from './truth';
import { startServer, stopServer } from './server';

const screens = resolve(__dirname, 'artifacts', 'screens');
mkdirSync(screens, { recursive: true });

async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screens, `${name}.png`) });
}

/// A wage-table row written plainly (its full ID as written) whose document has a scan.
function citizen(): Truth {
  const row = plainScannedWageRows()[0];
  expect(row, 'the demo archive has a plainly written wage row with a scan').toBeTruthy();
  return row;
}

function poppler(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8' });
}

test('the first start makes the supervisor, who is then at the desk', async ({ page }) => {
  const work = mkdtempSync(join(tmpdir(), 'archivedesk-first-run-'));
  const server = await startServer(join(work, '新档案库'));
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('first-run-clerk')).toBeVisible();
    await page.getByTestId('first-run-login').fill('lizhuren');
    await page.getByTestId('first-run-name').fill('李主任');
    await page.getByTestId('first-run-password').fill('short');
    await page.getByTestId('first-run-password2').fill('short');
    await page.getByTestId('first-run-submit').click();
    // Refused at the form: the password is too short, and nobody is at the desk yet.
    await expect(page.getByRole('alert').filter({ hasText: '至少 8 位' })).toBeVisible();
    await expect(page.getByTestId('desk-caller')).toHaveCount(0);
    await page.getByTestId('first-run-password').fill('chaxun-2026');
    await page.getByTestId('first-run-password2').fill('chaxun-2026');
    await page.getByTestId('first-run-submit').click();
    await expect(page.getByTestId('desk-caller')).toContainText('李主任');
    await expect(page.getByTestId('desk-role')).toHaveAttribute('data-role', 'supervisor');
    await screenshot(page, '6-first-run-done');
  } finally {
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
});

test('a counter visit: log in, find, register, attach, certify; statistics and audit show it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const person = citizen();
  await page.goto(process.env.ARCHIVEDESK_URL!);

  // Who is at the desk: a wrong password is refused, the right one lets the clerk in.
  await expect(page.getByTestId('login')).toBeVisible();
  await page.getByTestId('login-name').fill(CLERK.login);
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await page.getByTestId('login-password').fill(CLERK.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('desk-caller')).toContainText(CLERK.name);

  // Find the citizen's records by ID number and open the wage table.
  await page.getByTestId('search-input').fill(person.id18);
  await page.getByTestId('hit').filter({ hasText: person.ref_code_written }).first().click();
  await expect(page.getByTestId('record-ref')).toContainText(person.ref_code_written);
  const row = page.locator('tr.entry-row-hit');
  await expect(row).toContainText(person.name);
  // Nobody's request is open yet: the row is masked.
  await expect(row).toHaveAttribute('data-masked', 'true');

  // 加入查档登记 with no request open: the clerk ticks the page the row is on (the catalogue names
  // none), then the form comes pre-filled with the name.
  await row.getByTestId('attach-entry').click();
  const attach = page.getByTestId('attach-dialog');
  await expect(attach).toBeVisible();
  await expect(attach.getByTestId('attach-hint')).toHaveAttribute('data-situation', 'unnamed');
  await attach.locator('[data-testid="page-pick"][data-page="1"]').click();
  await attach.getByTestId('attach-confirm').click();
  await expect(page.getByTestId('request-form-prefilled')).toBeVisible();
  await expect(page.getByTestId('request-form-name')).toHaveValue(person.name);
  await page.getByTestId('request-form-id').fill(person.id18);
  await expect(page.getByTestId('request-form-id-check')).toHaveAttribute('data-status', 'valid18');
  await page.getByTestId('request-form-purpose').click();
  await page.locator('[data-testid="request-form-purpose-option"][data-value="退休待遇核定"]').click();
  await page.getByTestId('request-form-sought').fill('本人工资调整审批记录');
  await screenshot(page, '7-register');
  await page.getByTestId('request-form-submit').click();

  // Registered, and the record attached as the requester's own.
  const detail = page.getByTestId('request-detail');
  await expect(detail).toBeVisible();
  const attached = detail.getByTestId('attached-record');
  await expect(attached).toHaveCount(1);
  await expect(attached.getByTestId('attached-ref')).toContainText(person.ref_code_written);
  await expect(attached.getByTestId('own-record-tag')).toBeVisible();
  await expect(detail).toHaveAttribute('data-status', 'found');

  // The wage table's page holds colleagues' rows: 出证 waits until they are covered and the
  // covering is confirmed.
  await expect(detail.getByTestId('uncovered-page')).toHaveCount(1);
  await expect(detail.getByTestId('issue-certificate')).toBeDisabled();
  await expect(detail.getByTestId('confirm-covered')).toBeDisabled();
  await detail.getByTestId('uncovered-redact').click();
  const redact = page.getByTestId('redact-dialog');
  await expect(redact.getByTestId('redact-overlay')).toBeVisible();
  // A drag over the visible part of the page (the scan runs on below the window's edge).
  const area = (await redact.getByTestId('redact-overlay').boundingBox())!;
  const top = Math.min(area.y + area.height * 0.3, 560);
  await page.mouse.move(area.x + area.width * 0.1, top);
  await page.mouse.down();
  await page.mouse.move(area.x + area.width * 0.9, top + 60, { steps: 5 });
  await page.mouse.up();
  await expect(redact.getByTestId('redact-box')).toHaveCount(1);
  await redact.getByTestId('redact-save').click();
  await expect(redact).toBeHidden();
  await detail.getByTestId('confirm-covered').click();
  await expect(detail.getByTestId('uncovered-pages')).toHaveCount(0);

  // 出具证明 shows the certificate as it will be issued, pages drawn, before anything is numbered.
  const requestId = await detail.getAttribute('data-id');
  await detail.getByTestId('issue-certificate').click();
  const preview = page.getByTestId('certificate-preview');
  await expect(preview.getByTestId('certificate-preview-ready')).toBeVisible({ timeout: 30_000 });
  await expect(preview.getByTestId('certificate-pages')).not.toHaveAttribute('data-rendered', '0', { timeout: 30_000 });
  await expect(preview.getByTestId('certificate-preview-blockers')).toHaveCount(0);
  await screenshot(page, '8-preview');
  await preview.getByTestId('certificate-preview-confirm').click();
  await expect(page.getByTestId('certificate-view')).toBeVisible();
  const number = (await page.getByTestId('certificate-number').innerText()).trim();
  expect(number).toMatch(/〔\d{4}〕A第\d{4}号/);
  const pages = page.getByTestId('certificate-pages');
  // The page count is known once pdf.js has read the file.
  await expect(pages).not.toHaveAttribute('data-pages', '0', { timeout: 30_000 });
  const count = Number(await pages.getAttribute('data-pages'));
  expect(count).toBeGreaterThanOrEqual(2);
  await expect(pages).toHaveAttribute('data-rendered', String(count), { timeout: 30_000 });
  await screenshot(page, '8-certificate');

  // The PDF as downloaded: real text with the 档号 and the requester; its pages render.
  const download = page.waitForEvent('download');
  await page.getByTestId('download-certificate').click();
  const work = mkdtempSync(join(tmpdir(), 'archivedesk-certificate-'));
  try {
    const pdf = join(work, 'certificate.pdf');
    await (await download).saveAs(pdf);
    const text = poppler('pdftotext', [pdf, '-']);
    expect(text).toContain(person.ref_code_written);
    expect(text).toContain(person.name);
    expect(text).toContain(number);
    expect(text).toContain('与原件核对无误');
    poppler('pdftoppm', ['-r', '40', '-png', pdf, join(work, 'page')]);
    const rendered = readdirSync(work).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(rendered).toHaveLength(count);

    // 核验: the code and the file check out against the register.
    const code = (await page.getByTestId('certificate-code').innerText()).trim();
    await page.goto(new URL('/#/verify', process.env.ARCHIVEDESK_URL!).href);
    await page.getByTestId('verify-code').fill(code);
    await page.getByTestId('verify-file').setInputFiles(pdf);
    await page.getByTestId('verify-submit').click();
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'true');
    await expect(page.getByTestId('verify-pdf')).toHaveAttribute('data-matches', 'true');
    writeFileSync(join(work, 'forged.pdf'), Buffer.concat([readFileSync(pdf), Buffer.from('%')]));
    await page.getByTestId('verify-file').setInputFiles(join(work, 'forged.pdf'));
    await page.getByTestId('verify-submit').click();
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'false');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // This month's statistics show the visit.
  await page.getByTestId('nav-stats').click();
  await expect(page.getByTestId('stats-view')).toBeVisible();
  await expect(page.getByTestId('stats-people').getByTestId('stats-value')).toHaveText('1');
  await expect(page.getByTestId('stats-certificates').getByTestId('stats-value')).toHaveText('1');
  await expect(page.getByTestId('stats-chart-period').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('stats-chart-category').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('stats-chart-outcome').locator('canvas')).toBeVisible();
  await screenshot(page, '9-statistics');

  // The audit trail is intact and holds the certificate.
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verify-result')).toHaveAttribute('data-intact', 'true');
  await expect(page.locator('[data-testid="audit-action"][data-action="certificate"]')).toHaveCount(1);
  await screenshot(page, '10-audit');

  // Issued by mistake: 作废 with a reason. The number stays, 核验 says it is void and why, and
  // the statistics count it apart.
  await page.goto(new URL(`/#/register/${requestId}`, process.env.ARCHIVEDESK_URL!).href);
  const issued = page.locator(`[data-testid="certificate-row"][data-number="${number}"]`);
  await issued.getByTestId('certificate-void').click();
  await page.getByTestId('reason-input').fill('复印页选错，重新出具');
  await page.getByTestId('reason-confirm').click();
  await expect(issued).toHaveAttribute('data-voided', 'true');
  await expect(issued.getByTestId('certificate-void-reason')).toContainText('复印页选错，重新出具');
  await expect(issued.getByTestId('certificate-void')).toHaveCount(0);
  const voidedCode = (await issued.getByTestId('certificate-row-code').innerText()).trim();
  await page.goto(new URL('/#/verify', process.env.ARCHIVEDESK_URL!).href);
  await page.getByTestId('verify-code').fill(voidedCode);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('verify-reason')).toContainText('已作废');
  await expect(page.getByTestId('verify-reason')).toContainText('复印页选错，重新出具');
  await page.getByTestId('nav-stats').click();
  await expect(page.getByTestId('stats-certificates').getByTestId('stats-value')).toHaveText('0');
  await expect(page.getByTestId('stats-voided').getByTestId('stats-value')).toHaveText('1');
});
