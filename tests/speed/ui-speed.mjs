// How fast the clerk's screen answers, in Chromium against `archivedesk serve` on a generated
// archive (1M entries by default), printed as figures beside a baseline measured in the same run:
//
//   node tests/speed/ui-speed.mjs [--entries 1000000] [--queries 200] [--work DIR]
//
// - start: opening the app's URL until the search box has focus and the archive's status has
//   arrived; baseline: fetching index.html alone.
// - keystroke to results: the time from the last keystroke of a query to the frame that shows the
//   answer for it (debounce, HTTP, engine, rendering); baseline: the same search as a bare
//   fetch of the API from the page (HTTP and engine only).
// - page image: from opening a record to its page drawn in the viewer, for a 300-dpi A4 scan;
//   baseline: fetching the full scan's bytes alone (what showing it without a preview would
//   cost before any decoding).
//
// Needs the release CLI ($CARGO_TARGET_DIR/release/archivedesk) and the built UI (ui/dist).
import { chromium } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { deflateSync, crc32 } from 'node:zlib';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const entries = Number(arg('entries', 1_000_000));
const queryCount = Number(arg('queries', 200));
const target = process.env.CARGO_TARGET_DIR ?? join(repo, 'target');
const bin = process.env.ARCHIVEDESK_BIN ?? join(target, 'release', 'archivedesk');
const ui = join(repo, 'ui', 'dist');
for (const need of [bin, join(ui, 'index.html')]) {
  if (!existsSync(need)) throw new Error(`missing ${need}: build the release CLI and the UI first`);
}

const work = arg('work', null) ?? mkdtempSync(join(tmpdir(), 'archivedesk-speed-'));
const keepWork = arg('work', null) !== null;
mkdirSync(work, { recursive: true });
const data = join(work, `archive-${entries}`);
const corpus = join(work, `corpus-${entries}.csv`);

function run(args) {
  return execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** A grayscale PNG of a 300-dpi A4 page (2480×3508) with text-like strokes and paper noise. */
function writeScan(path) {
  const width = 2480;
  const height = 3508;
  const raw = Buffer.alloc((width + 1) * height);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 24);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    raw[row] = 0; // filter: none
    const inLine = y % 60 > 30 && y % 60 < 48 && y > 300 && y < height - 300;
    for (let x = 0; x < width; x++) {
      const ink = inLine && x > 200 && x < width - 200 && (x * 7 + y * 3) % 23 < 9;
      raw[row + 1 + x] = ink ? 40 + noise() : 230 + noise();
    }
  }
  const chunk = (type, body) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), body])) >>> 0, 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return png.length;
}

/** The clerk the measurements log in as. */
const CLERK = { login: 'speed', password: 'timing-at-the-counter' };

function prepare() {
  if (existsSync(join(data, 'archive.sqlite3'))) return;
  console.error(`building an archive of ${entries} entries in ${data} …`);
  run(['demo', '--corpus', String(entries), '--out', corpus]);
  run(['--data-dir', data, 'import', corpus, '--json']);
  const first = readFileSync(corpus, 'utf8').split('\n')[1].split(',')[0];
  writeScan(join(work, 'scans', first, '1.png'));
  run(['--data-dir', data, 'import', join(work, 'scans'), '--json']);
}

/** The clerk's account, made once per archive (a kept archive has it already). */
function ensureClerk() {
  const clerks = JSON.parse(run(['--data-dir', data, 'clerk', 'list', '--json']));
  if (clerks.some((c) => c.login === CLERK.login)) return;
  execFileSync(bin, ['--data-dir', data, 'clerk', 'add', CLERK.login, '--name', '测速', '--role', 'supervisor'], {
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });
}

/** Opens the printed URL (the token cookie) and logs in (the login cookie), as a clerk does. */
async function logIn(page, url) {
  await page.goto(url);
  const answer = await page.request.post(new URL('/api/login', url).href, { data: CLERK });
  if (!answer.ok()) throw new Error(`login failed: ${answer.status()} ${await answer.text()}`);
}

/** Queries a clerk types, taken from the corpus: names, ID numbers, name + year, units. */
function queries() {
  const lines = readFileSync(corpus, 'utf8').split('\n').slice(1).filter(Boolean);
  const out = [];
  const step = Math.max(1, Math.floor(lines.length / queryCount));
  for (let i = 0; out.length < queryCount && i < lines.length; i += step) {
    const [, , year, name, , , id, unit] = lines[i].split(',');
    const kind = out.length % 4;
    out.push(kind === 0 ? name : kind === 1 ? id : kind === 2 ? `${name} ${year}` : unit);
  }
  return out;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function row(label, values, baseline) {
  const f = (v) => v.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(34)} p50 ${f(percentile(values, 50))} ms  p95 ${f(percentile(values, 95))} ms` +
      `   | baseline p50 ${f(percentile(baseline, 50))} ms  p95 ${f(percentile(baseline, 95))} ms`,
  );
}

async function main() {
  prepare();
  ensureClerk();
  const server = spawn(bin, ['--data-dir', data, 'serve', '--listen', '127.0.0.1:0', '--ui', ui], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((ok) => createInterface({ input: server.stdout }).once('line', (l) => ok(l.trim())));
  const origin = new URL(url).origin;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await logIn(page, url);

    // Start: a new page each time, the browser's cache kept as a clerk's would be.
    const starts = [];
    const startBaseline = [];
    for (let i = 0; i < 10; i++) {
      const fresh = await context.newPage();
      const t0 = Date.now();
      await fresh.goto(`${origin}/`);
      await fresh.getByTestId('search-input').waitFor();
      await fresh.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'search-input');
      starts.push(Date.now() - t0);
      startBaseline.push(
        await fresh.evaluate(async () => {
          const t = performance.now();
          await (await fetch('/index.html', { cache: 'no-store' })).text();
          return performance.now() - t;
        }),
      );
      await fresh.close();
    }

    // Keystroke to results.
    await page.goto(`${origin}/`);
    const box = page.getByTestId('search-input');
    await box.waitFor();
    const typed = [];
    const fetched = [];
    await page.evaluate(() => {
      window.__lastKey = 0;
      // 'input', not 'keydown': Chinese text arrives from an input method without key events.
      document.addEventListener('input', () => (window.__lastKey = performance.now()), { capture: true });
    });
    for (const q of queries()) {
      await box.fill('');
      await page.waitForFunction(() => !document.querySelector('[data-testid="hit"]'));
      await box.pressSequentially(q);
      const ms = await page.evaluate(
        (query) =>
          new Promise((ok) => {
            const done = () => requestAnimationFrame(() => ok(performance.now() - window.__lastKey));
            const shown = () => document.querySelector('.search-results')?.getAttribute('data-query') === query;
            if (shown()) return done();
            const watch = new MutationObserver(() => {
              if (shown()) {
                watch.disconnect();
                done();
              }
            });
            watch.observe(document.body, { subtree: true, attributes: true, childList: true });
          }),
        q,
      );
      typed.push(ms);
      fetched.push(
        await page.evaluate(async (query) => {
          const t = performance.now();
          const r = await fetch('/api/search', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ query, limit: 20, offset: 0 }),
          });
          await r.json();
          return performance.now() - t;
        }, q),
      );
    }

    // Page image first view: the record with the 300-dpi scan.
    const first = readFileSync(corpus, 'utf8').split('\n')[1].split(',')[0];
    const views = [];
    const fullBytes = [];
    for (let i = 0; i < 10; i++) {
      const fresh = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const p = await fresh.newPage();
      await logIn(p, url);
      await p.goto(`${origin}/`);
      await p.getByTestId('search-input').fill(first);
      await p.getByTestId('hit').first().waitFor();
      const t0 = Date.now();
      await p.getByTestId('hit').first().click();
      await p.locator('[data-testid="page-image"][data-natural-width]').waitFor({ timeout: 30_000 });
      views.push(Date.now() - t0);
      const doc = Number(new URL(p.url().replace('#/', '')).pathname.split('/').pop());
      fullBytes.push(
        await p.evaluate(async (id) => {
          const t = performance.now();
          await (await fetch(`/api/page/${id}/1?size=full`, { cache: 'no-store' })).arrayBuffer();
          return performance.now() - t;
        }, doc),
      );
      await fresh.close();
    }

    console.log(`\nArchiveDesk in Chromium against archivedesk serve, ${entries} entries, ${typed.length} queries`);
    row('start to usable search box', starts, startBaseline);
    console.log('  (baseline: fetching index.html alone)');
    row('keystroke to results shown', typed, fetched);
    console.log('  (baseline: the same search as a bare API fetch from the page)');
    row('page image first view (300 dpi A4)', views, fullBytes);
    console.log('  (baseline: fetching the full scan alone, no decoding or drawing)');
  } finally {
    await browser.close();
    server.kill();
    if (!keepWork) rmSync(work, { recursive: true, force: true });
  }
}

await main();
