// A two-page PDF scan, written byte by byte: each page carries a black bar and a line of text, so a
// drawn page has dark pixels to find. Vendors deliver multi-page scans like this as one PDF file.
import { writeFileSync } from 'node:fs';

export function writeTwoPagePdf(path: string): void {
  const page = (n: number) => `0 0 0 rg 72 560 420 60 re f BT /F1 36 Tf 72 700 Td (Scan page ${n}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> >>',
    `<< /Length ${page(1).length} >>\nstream\n${page(1)}\nendstream`,
    `<< /Length ${page(2).length} >>\nstream\n${page(2)}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  writePdf(path, objects);
}

// A PDF from a hostile or broken scanner: its page tree lists itself as its own kid, so a reader
// that walks the tree without remembering where it has been never comes back.
export function writeSelfReferencingPdf(path: string): void {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [2 0 R] /Count 1 >>',
  ];
  writePdf(path, objects);
}

// Numbered objects, the cross-reference table and the trailer around them.
function writePdf(path: string, objects: string[]): void {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  writeFileSync(path, body, 'latin1');
}
