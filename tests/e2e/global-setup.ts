// Builds a demo archive in a temporary folder, starts `archivedesk serve` on it with the built
// UI, and hands its URL (with the token) to the tests. The server stops when the run ends.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { writeTwoPagePdf } from './pdf-scan';
import { CLERK } from './account';

const repo = resolve(__dirname, '..', '..');

function binary(): string {
  if (process.env.ARCHIVEDESK_BIN) return process.env.ARCHIVEDESK_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(repo, 'target');
  return join(target, 'release', 'archivedesk');
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = binary();
  if (!existsSync(bin)) throw new Error(`archivedesk not built: ${bin} (cargo build --release -p archivedesk)`);
  const ui = join(repo, 'ui', 'dist');
  if (!existsSync(join(ui, 'index.html'))) throw new Error(`UI not built: ${ui} (npm run build in ui/)`);

  // A folder name with Chinese characters, as on a clerk's PC.
  const work = mkdtempSync(join(tmpdir(), 'archivedesk-e2e-'));
  const data = join(work, '演示档案');
  execFileSync(bin, ['--data-dir', data, 'demo', '--entries', '2000', '--json'], { stdio: 'ignore' });

  // One document scanned as a two-page PDF: one without page images of its own.
  const scanned = new Set(readdirSync(join(data, 'demo-source', 'scans')));
  const truth = readFileSync(join(data, 'demo-source', 'truth.jsonl'), 'utf8').split('\n').filter(Boolean);
  const pdfRef: string = truth.map((l) => JSON.parse(l).ref_code).find((r: string) => !scanned.has(r));
  const pdfScans = join(work, 'PDF扫描件');
  mkdirSync(join(pdfScans, pdfRef), { recursive: true });
  writeTwoPagePdf(join(pdfScans, pdfRef, '1.pdf'));
  execFileSync(bin, ['--data-dir', data, 'import', pdfScans, '--json'], { stdio: 'ignore' });
  process.env.ARCHIVEDESK_PDF_REF = pdfRef;

  // The supervisor the tests log in as, made as IT would make it (the first-run screen is
  // tested on an archive of its own).
  execFileSync(bin, ['--data-dir', data, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });

  const server = spawn(bin, ['--data-dir', data, 'serve', '--listen', '127.0.0.1:0', '--ui', ui], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url: string = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout! });
    lines.once('line', (line) => ok(line.trim()));
    server.once('exit', (code) => fail(new Error(`archivedesk serve exited with ${code}`)));
  });
  process.env.ARCHIVEDESK_URL = url;
  process.env.ARCHIVEDESK_DATA = data;

  return async () => {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  };
}
