// The demo archive's ground truth (demo-source/truth.jsonl): each catalogue row as the generator
// meant it and as it was written, with the mess it was written with.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Truth {
  name: string;
  id18: string;
  kind: string;
  written_id: string;
  written_name: string;
  ref_code: string;
  ref_code_written: string;
  year: number;
  mess: string[];
}

const data = () => process.env.ARCHIVEDESK_DATA!;

export function truth(): Truth[] {
  return readFileSync(join(data(), 'demo-source', 'truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Truth);
}

/// The 档号 of the documents the demo scanned.
export function scannedRefCodes(): Set<string> {
  return new Set(readdirSync(join(data(), 'demo-source', 'scans')));
}

/// Plainly written wage rows whose table was scanned, one per person, in catalogue order.
export function plainScannedWageRows(): Truth[] {
  const scanned = scannedRefCodes();
  const seen = new Set<string>();
  return truth()
    .filter((t) => t.kind === 'wage' && t.mess.length === 0 && scanned.has(t.ref_code))
    .filter((t) => !seen.has(t.id18) && seen.add(t.id18));
}
