// A clerk's work at the counter, in a real browser against `archivedesk serve` on the demo
// archive: find a person however the record was written, open the record and its scan, follow
// the person through the years, import a vendor's file, all from the keyboard if need be.
import { test, expect, type Page } from '@playwright/test';
import { readdirSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLERK } from './account';
import { truth } from './truth';

const data = () => process.env.ARCHIVEDESK_DATA!;

const screens = resolve(__dirname, 'artifacts', 'screens');
mkdirSync(screens, { recursive: true });
async function screenshot(page: Page, name: string) {
  // A frame for the last DOM change to paint.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screens, `${name}.png`) });
}

/// Opens the printed URL (it leaves the token in a cookie) and logs in as the supervisor the
/// setup made; the login screen itself is tested in counter.spec.ts.
async function open(page: Page) {
  const url = process.env.ARCHIVEDESK_URL!;
  await page.goto(url);
  const login = await page.request.post(new URL('/api/login', url).href, {
    data: { login: CLERK.login, password: CLERK.password },
  });
  expect(login.ok(), await login.text()).toBeTruthy();
  // Loaded again, the app asks who is at the desk and finds the login.
  await page.reload();
  await expect(page.getByTestId('search-input')).toBeVisible();
}

async function search(page: Page, query: string) {
  const box = page.getByTestId('search-input');
  await box.fill(query);
  await expect(page.getByTestId('search-total')).toBeVisible();
}

test('the search box has focus at start and a name finds the person', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('search-input')).toBeFocused();
  await expect(page.getByText('演示数据').first()).toBeVisible();
  const person = truth().find((t) => t.mess.length === 0 && t.written_name === t.name)!;
  await page.keyboard.type(person.name);
  const first = page.getByTestId('hit').first();
  await expect(first).toContainText(person.name);
  await expect(page.getByTestId('search-total')).toContainText(/\d/);
  await screenshot(page, '1-search');
});

test('an 18-digit ID finds the record written with the old 15-digit number', async ({ page }) => {
  await open(page);
  const row = truth().find((t) => t.mess.includes('id15'))!;
  expect(row.written_id).toHaveLength(15);
  await search(page, row.id18);
  // The person may have other records, written with the 18-digit number: all rank as exact.
  const hit = page.getByTestId('hit').filter({ hasText: row.ref_code_written });
  await expect(hit.first()).toBeVisible();
  await expect(hit.first()).toContainText(row.written_name);
  await expect(page.getByTestId('hit').first()).toContainText(row.written_name);
});

test('pinyin finds the name', async ({ page }) => {
  await open(page);
  const row = truth().find((t) => t.name === '赵静敏');
  expect(row, 'the demo archive has 赵静敏, README’s example').toBeTruthy();
  await search(page, 'zhaojingmin');
  await expect(page.getByTestId('hit').first()).toContainText('赵静敏');
});

test('a year facet narrows the results to that year', async ({ page }) => {
  await open(page);
  await search(page, '工资调整');
  const total = async () => Number((await page.getByTestId('search-total').innerText()).match(/\d+/)![0]);
  const before = await total();
  const facet = page.getByTestId('facet-year').first();
  const year = (await facet.innerText()).match(/\d{4}/)![0];
  await facet.click();
  await expect.poll(total).toBeLessThan(before);
  const hits = page.getByTestId('hit');
  const n = await hits.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) await expect(hits.nth(i)).toContainText(year);
});

/** A document of the demo archive that has scanned pages: its folder name is its 档号. */
function scannedRefCode(): string {
  const scans = join(data(), 'demo-source', 'scans');
  const folder = readdirSync(scans, { withFileTypes: true }).find((d) => d.isDirectory())!;
  return folder.name;
}

test('a record opens with its scan rendered at its natural size', async ({ page }) => {
  await open(page);
  const ref = scannedRefCode();
  await search(page, ref);
  await page.getByTestId('hit').first().click();
  await expect(page.getByTestId('record-ref')).toContainText(ref.slice(0, 4));
  await expect(page.getByTestId('page-viewer')).toBeVisible();
  const viewer = page.getByTestId('page-image');
  // The viewer says what it drew: the page image's own pixel size once it has loaded.
  await expect(viewer).toHaveAttribute('data-natural-width', /^[1-9]\d{2,}$/);
  const width = Number(await viewer.getAttribute('data-natural-width'));
  const height = Number(await viewer.getAttribute('data-natural-height'));
  expect(height / width).toBeGreaterThan(1.3); // an A4 page, upright
  await expect(page.getByTestId('page-thumb').first()).toBeVisible();
  await screenshot(page, '2-record');
});

test('a record scanned as a multi-page PDF is drawn page by page', async ({ page }) => {
  await open(page);
  const ref = process.env.ARCHIVEDESK_PDF_REF!;
  await search(page, ref);
  await page.getByTestId('hit').first().click();
  const pdf = page.getByTestId('page-pdf');
  await expect(pdf).toHaveAttribute('data-pdf-pages', '2');
  await expect(pdf).toHaveAttribute('data-rendered-page', '1');
  const darkPixels = () =>
    pdf.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 64 && data[i + 3] > 0) dark++;
      return dark;
    });
  expect(await darkPixels()).toBeGreaterThan(1000);
  await page.getByTestId('pdf-next').click();
  await expect(pdf).toHaveAttribute('data-rendered-page', '2');
  expect(await darkPixels()).toBeGreaterThan(1000);
  await screenshot(page, '2b-record-pdf');
});

test('a PDF scan whose page tree refers to itself says it cannot be shown, and the clerk goes on', async ({ page }) => {
  await open(page);
  await search(page, process.env.ARCHIVEDESK_LOOPED_PDF_REF!);
  await page.getByTestId('hit').first().click();
  await expect(page.getByTestId('page-pdf-failed')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('page-pdf-failed')).toContainText('扫描件无法打开：文件已损坏');
  // Not a hung screen: back at the search, the next search answers.
  await page.getByRole('link', { name: '查询' }).click();
  await search(page, process.env.ARCHIVEDESK_PDF_REF!);
  await expect(page.getByTestId('hit').first()).toBeVisible();
});

test('the timeline follows a person across documents', async ({ page }) => {
  await open(page);
  // A person with records in more than one document.
  const counts = new Map<string, number>();
  for (const t of truth()) counts.set(t.id18, (counts.get(t.id18) ?? 0) + 1);
  const row = truth().find((t) => (counts.get(t.id18) ?? 0) >= 3 && t.mess.length === 0)!;
  await search(page, row.id18);
  await page.getByTestId('hit-person').first().click();
  await expect(page.getByTestId('timeline-name')).toContainText(row.name);
  await expect.poll(() => page.getByTestId('timeline-event').count()).toBeGreaterThanOrEqual(2);
  await screenshot(page, '3-person');
  await page.getByTestId('timeline-event').first().getByTestId('event-open').click();
  await expect(page.getByTestId('record-ref')).toBeVisible();
});

test('importing a GBK CSV with a bad row shows the report naming the row', async ({ page }) => {
  await open(page);
  await page.goto(new URL('/#/import', process.env.ARCHIVEDESK_URL!).toString());
  const file = resolve(__dirname, 'fixtures', '招工名册_GBK含坏行.csv');
  await page.getByTestId('import-file-input').setInputFiles(file);
  await page.getByTestId('import-preview').click();
  await expect(page.getByText('身份证号').first()).toBeVisible();
  await page.getByTestId('import-commit').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 30_000 });
  const rejected = page.getByTestId('rejected-row');
  await expect(rejected).toHaveCount(1);
  // Columns: file, sheet, row, column, reason.
  const cells = rejected.locator('td');
  await expect(cells.nth(0)).toHaveText('招工名册_GBK含坏行.csv');
  await expect(cells.nth(2)).toHaveText('3');
  await expect(cells.nth(3)).toHaveText('身份证号');
  await expect(cells.nth(4)).toContainText('科学计数法');
  await screenshot(page, '4-import');
  // The rows that were accepted are searchable at once, in traditional or simplified writing.
  await page.goto(new URL('/#/', process.env.ARCHIVEDESK_URL!).toString());
  await search(page, '诸葛长青');
  await expect(page.getByTestId('hit').first()).toContainText('諸葛長青');
});

test('keyboard only: type, move down, open, and come back', async ({ page }) => {
  await open(page);
  // A name several people share, so that ↓ has somewhere to go.
  const counts = new Map<string, number>();
  for (const t of truth()) counts.set(t.written_name, (counts.get(t.written_name) ?? 0) + 1);
  const row = truth().find((t) => t.mess.length === 0 && (counts.get(t.written_name) ?? 0) >= 3)!;
  await page.keyboard.type(row.written_name);
  const hits = page.getByTestId('hit');
  await expect(hits.nth(1)).toBeVisible();
  const second = (await hits.nth(1).getByTestId('hit-ref').innerText()).replace(/^\S+\s*/, '');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('record-ref')).toContainText(second);
  await expect(page.locator('tr.entry-row-hit')).toContainText(row.written_name);
  await page.goBack();
  // The list is as it was left.
  await expect(page.getByTestId('search-input')).toHaveValue(row.written_name);
  await expect(hits.nth(1).getByTestId('hit-ref')).toContainText(second);
});

test('the settings screen shows the archive and its index', async ({ page }) => {
  await open(page);
  await page.goto(new URL('/#/settings', process.env.ARCHIVEDESK_URL!).toString());
  await expect(page.getByTestId('settings-data-dir')).toHaveText(data());
  await expect(page.getByTestId('settings-indexed')).toHaveText(/^[1-9]\d*$/);
  await screenshot(page, '5-settings');
});

test('a record at 1366×768: the heading stays in view, the rows fit beside the scan, 适合宽度 enlarges it', async ({
  page,
}) => {
  await open(page);
  // A wage row far down its table, so that the row is scrolled to.
  const scanned = new Set(readdirSync(join(data(), 'demo-source', 'scans')));
  const place = new Map<string, number>();
  const candidates = truth()
    .map((t) => {
      const n = (place.get(t.ref_code) ?? 0) + 1;
      place.set(t.ref_code, n);
      return { t, n };
    })
    .filter(({ t }) => t.kind === 'wage' && t.mess.length === 0 && scanned.has(t.ref_code));
  expect(candidates.length, 'plainly written wage rows in scanned tables').toBeGreaterThan(0);
  const far = candidates.reduce((a, b) => (b.n > a.n ? b : a)).t;
  await search(page, far.id18);
  await page.getByTestId('hit').filter({ hasText: far.ref_code_written }).first().click();
  const row = page.locator('tr.entry-row-hit');
  await expect(row).toContainText(far.name);
  await expect(row).toBeInViewport();
  await expect(page.getByTestId('record-title')).toBeInViewport();
  await expect(page.getByTestId('record-ref')).toBeInViewport();
  // No sideways scrolling to reach the wages: fewer columns, the rest on demand.
  const table = page.locator('.entry-table');
  const widths = await table.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(widths[0], `the rows are ${widths[0]} px wide in a ${widths[1]} px pane`).toBeLessThanOrEqual(widths[1] + 1);
  await expect(page.getByTestId('entry-more-columns')).toBeVisible();
  // Its ID number and wages are hidden: 显示完整 is there.
  await expect(row.getByTestId('reveal-entry')).toHaveCount(1);

  const viewer = page.getByTestId('page-image');
  await expect(viewer).toHaveAttribute('data-image-zoom', /\d/);
  const before = Number(await viewer.getAttribute('data-image-zoom'));
  await page.getByTestId('page-fit-width').click();
  await expect.poll(async () => Number(await viewer.getAttribute('data-image-zoom'))).toBeGreaterThan(before * 1.2);
  await screenshot(page, '2-record-1366');
});

test('显示完整 is offered only where something is hidden', async ({ page }) => {
  await open(page);
  const all = truth();
  const bare = all.find((t) => t.kind === 'recruitment' && t.mess.includes('id_missing'))!;
  await search(page, bare.ref_code);
  await page.getByTestId('hit').filter({ hasText: bare.ref_code }).first().click();
  const rows = page.getByTestId('entry-row');
  await expect(rows.first()).toBeVisible();
  const without = rows.filter({ hasText: bare.written_name });
  await expect(without.first()).toBeVisible();
  // No ID number and no wages: nothing hidden, no 显示完整 and no empty ID column.
  await expect(without.first().getByTestId('reveal-entry')).toHaveCount(0);
  await expect(page.getByTestId('entry-id-number')).toHaveCount(0);
});
