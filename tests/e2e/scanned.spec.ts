// A volume catalogued by volume only (档号, 题名, 年度, 页数) whose scan is a wage table without
// text: the page is printed by Chromium itself (a table drawn in the CJK font, saved as a PNG the
// size of an A4 page at 150 dpi), imported with its catalogue and read by `archivedesk ocr --wait`.
// In the browser the clerk searches a name printed only on the page: the hit is 扫描页识别 and
// names the page; opening it shows the page with the name boxed where it stands, and ↓/↑ step
// between the two places the name is printed. 转为目录条目 beside the page makes a row of it a
// catalogue row: the clerk picks 王秀英's row, checks what was read against the scan and confirms;
// the record then lists her, and a search finds her catalogued row above the page.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLERK } from './account';
import { binary, startServer, stopServer, type Server } from './server';

const VOLUME = 'J012-WS-1998-Y-0046';
const NAME = '韩德福';
let work = '';
let server: Server | null = null;

const ROWS: [string, string, string][] = [
  ['王秀英', '女', '1956.03'],
  [NAME, '男', '1949.11'],
  ['李建国', '男', '1961.07'],
  ['陈桂珍', '女', '1963.01'],
  // Another person of the same name, further down the page.
  [NAME, '男', '1958.09'],
];

/// The wage table as a page: 1240 × 1754 px, a title, a table with lines, black on white.
async function printPage(page: Page, file: string): Promise<void> {
  const rows = ROWS.map(
    ([name, sex, birth], i) => `<tr><td>${i + 1}</td><td>${name}</td><td>${sex}</td><td>${birth}</td><td>${412 + i * 17}.00</td></tr>`,
  ).join('');
  await page.setViewportSize({ width: 1240, height: 1754 });
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 70px; background: #fbf9f2; font-family: 'Noto Sans CJK SC', sans-serif; color: #111; }
    h1 { text-align: center; font-size: 38px; font-weight: normal; margin: 40px 0 30px; }
    table { width: 100%; border-collapse: collapse; font-size: 24px; }
    td, th { border: 2px solid #222; height: 44px; text-align: center; font-weight: normal; }
    tr:nth-child(n+3) td { height: 120px; }
  </style></head><body><h1>城关镇供销社1998年职工工资调整审批表</h1>
    <table><tr><th>序号</th><th>姓名</th><th>性别</th><th>出生年月</th><th>调整后工资</th></tr>${rows}</table>
  </body></html>`);
  await page.screenshot({ path: file, fullPage: false });
}

test.beforeAll(async ({ browser }) => {
  work = mkdtempSync(join(tmpdir(), 'archivedesk-scanned-'));
  const data = join(work, '扫描档案');
  const scans = join(work, '扫描件');
  mkdirSync(join(scans, VOLUME), { recursive: true });
  const printer = await browser.newPage();
  await printPage(printer, join(scans, VOLUME, '1.png'));
  await printer.close();
  const catalogue = join(work, '案卷目录.csv');
  writeFileSync(catalogue, `\ufeff档号,题名,年度,页数\n${VOLUME},城关镇供销社1998年职工工资调整审批表,1998,1\n`);
  execFileSync(binary(), ['--data-dir', data, 'import', catalogue, scans, '--json'], { stdio: 'ignore' });
  execFileSync(binary(), ['--data-dir', data, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });
  const read = JSON.parse(execFileSync(binary(), ['--data-dir', data, 'ocr', '--wait', '--json'], { encoding: 'utf8' }));
  expect(read.read_now).toBe(1);
  server = await startServer(data);
});

test.afterAll(async () => {
  if (server) await stopServer(server);
  rmSync(work, { recursive: true, force: true });
});

async function logIn(page: Page): Promise<void> {
  await page.goto(server!.url);
  await page.getByTestId('login-name').fill(CLERK.login);
  await page.getByTestId('login-password').fill(CLERK.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('desk-caller')).toContainText(CLERK.name);
}

test('a name printed only on a scanned page is found, and the page opens with it boxed', async ({ page }) => {
  await logIn(page);

  await page.getByTestId('search-input').fill(NAME);
  const hit = page.getByTestId('hit').first();
  await expect(hit.getByTestId('tier-tag')).toHaveText('扫描页识别');
  await expect(hit).toContainText('第 1 页');
  // 档号 in the one form the counter shows them.
  await expect(hit.getByTestId('hit-ref')).toContainText('J012-WS·1998-Y-0046');
  await hit.click();

  const viewer = page.getByTestId('page-image');
  await expect(viewer).toHaveAttribute('data-word-boxes', '2');
  await expect(page.getByTestId('word-of')).toContainText('第 1 / 2 处');
  await expect(viewer).toHaveAttribute('data-current-box', '0');
  const boxes = page.locator('.word-box');
  await expect(boxes).toHaveCount(2);
  await expect(page.locator('.word-box.current')).toBeVisible();
  // The first box is the upper row's, drawn over the name's cell.
  const first = await page.locator('.word-box.current').boundingBox();

  await page.getByTestId('page-viewer').press('ArrowDown');
  await expect(viewer).toHaveAttribute('data-current-box', '1');
  await expect(page.getByTestId('word-of')).toContainText('第 2 / 2 处');
  await page.getByTestId('page-viewer').press('ArrowUp');
  await expect(viewer).toHaveAttribute('data-current-box', '0');
  expect(first!.width).toBeGreaterThan(0);
  await page.screenshot({ path: join(__dirname, 'artifacts', 'screens', 'scanned-page-boxed.png') });
});

test('a row read on the page is made a catalogue row by the clerk', async ({ page }) => {
  await logIn(page);
  await page.getByTestId('search-input').fill('王秀英');
  const hit = page.getByTestId('hit').first();
  await expect(hit.getByTestId('tier-tag')).toHaveText('扫描页识别');
  await hit.click();
  await expect(page.getByTestId('page-image')).toHaveAttribute('data-word-boxes', '1');

  await page.getByTestId('page-row-open').click();
  const row = page.getByTestId('page-row').filter({ hasText: '王秀英' });
  await expect(row).toHaveCount(1);
  await row.click();
  // The row's cells are boxed on the page, and the form holds what was read under each header.
  await expect(page.getByTestId('page-image')).toHaveAttribute('data-word-boxes', /^[45]$/);
  await expect(page.getByTestId('page-row-name')).toHaveValue('王秀英');
  await expect(page.getByTestId('page-row-gender')).toHaveValue('女');
  await expect(page.getByTestId('page-row-birth_date')).toHaveValue('1956.03');
  await expect(page.getByTestId('page-row-wage_after')).toHaveValue('412.00');
  await page.getByTestId('page-row-work_unit').fill('城关镇供销社');
  await page.screenshot({ path: join(__dirname, 'artifacts', 'screens', 'scanned-row-confirm.png') });
  await page.getByTestId('page-row-confirm').click();
  await expect(page.getByText('已建立目录条目')).toBeVisible();
  await expect(row.getByTestId('page-row-made')).toBeVisible();
  // The record lists her now.
  await expect(page.getByTestId('entry-row').filter({ hasText: '王秀英' })).toHaveCount(1);

  // Searched again, her catalogued row comes first, the page below it.
  await page.goto(new URL('/#/', server!.url).toString());
  await page.getByTestId('search-input').fill('');
  await page.getByTestId('search-input').fill('王秀英');
  const first = page.getByTestId('hit').first();
  await expect(first.getByTestId('tier-tag')).not.toHaveText('扫描页识别');
  await expect(first).toContainText('城关镇供销社');
  await expect(page.getByTestId('hit').nth(1).getByTestId('tier-tag')).toHaveText('扫描页识别');
});
