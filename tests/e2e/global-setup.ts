// Builds a demo archive in a temporary folder, starts `archivedesk serve` on it with the built
// UI, and hands its URL (with the token) to the tests. The server stops when the run ends.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSelfReferencingPdf, writeTwoPagePdf } from './pdf-scan';
import { CLERK, DESK_CLERK } from './account';
import { binary, startServer, stopServer, uiDir } from './server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = binary();
  uiDir();

  // A folder name with Chinese characters, as on a clerk's PC.
  const work = mkdtempSync(join(tmpdir(), 'archivedesk-e2e-'));
  const data = join(work, '演示档案');
  execFileSync(bin, ['--data-dir', data, 'demo', '--entries', '2000', '--json'], { stdio: 'ignore' });

  // One document scanned as a two-page PDF: one without page images of its own.
  const scanned = new Set(readdirSync(join(data, 'demo-source', 'scans')));
  const truth = readFileSync(join(data, 'demo-source', 'truth.jsonl'), 'utf8').split('\n').filter(Boolean);
  const [pdfRef, loopedRef] = [...new Set(truth.map((l) => JSON.parse(l).ref_code as string))].filter(
    (r) => !scanned.has(r),
  );
  if (!pdfRef || !loopedRef) throw new Error('the demo has fewer than two documents without scans');
  const pdfScans = join(work, 'PDF扫描件');
  mkdirSync(join(pdfScans, pdfRef), { recursive: true });
  writeTwoPagePdf(join(pdfScans, pdfRef, '1.pdf'));
  // And one whose PDF's page tree refers to itself.
  mkdirSync(join(pdfScans, loopedRef), { recursive: true });
  writeSelfReferencingPdf(join(pdfScans, loopedRef, '1.pdf'));
  execFileSync(bin, ['--data-dir', data, 'import', pdfScans, '--json'], { stdio: 'ignore' });
  process.env.ARCHIVEDESK_PDF_REF = pdfRef;
  process.env.ARCHIVEDESK_LOOPED_PDF_REF = loopedRef;

  // The supervisor the tests log in as, made as IT would make it (the first-run screen is
  // tested on an archive of its own).
  execFileSync(bin, ['--data-dir', data, 'clerk', 'add', CLERK.login, '--name', CLERK.name, '--role', 'supervisor'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: CLERK.password },
  });

  execFileSync(bin, ['--data-dir', data, 'clerk', 'add', DESK_CLERK.login, '--name', DESK_CLERK.name, '--role', 'clerk'], {
    stdio: 'ignore',
    env: { ...process.env, ARCHIVEDESK_PASSWORD: DESK_CLERK.password },
  });

  const server = await startServer(data);
  process.env.ARCHIVEDESK_URL = server.url;
  process.env.ARCHIVEDESK_DATA = data;

  return async () => {
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  };
}
