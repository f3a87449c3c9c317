// pdf.js, loaded only when a PDF scan is opened. Its decoders for JPEG 2000 and JBIG2 (common in
// scanned PDFs) and its colour profiles are copied next to the built UI by vite.config.ts.
import type { PDFDocumentProxy } from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'
import { ApiError } from '../api/client'

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response
  try {
    response = await fetch(url, { credentials: 'same-origin' })
  } catch {
    throw new ApiError('network', '')
  }
  if (!response.ok) {
    let message = ''
    try {
      const body = (await response.json()) as { message?: unknown }
      if (typeof body.message === 'string') message = body.message
    } catch {
      // No JSON error: the status alone says it.
    }
    throw new ApiError(message ? 'unknown' : 'http', message, response.status)
  }
  return new Uint8Array(await response.arrayBuffer())
}

export async function openPdf(url: string): Promise<PDFDocumentProxy> {
  const [pdfjs, data] = await Promise.all([import('pdfjs-dist'), fetchBytes(url)])
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl
  const asset = (folder: string) => new URL(`pdfjs/${folder}/`, document.baseURI).href
  return pdfjs.getDocument({
    data,
    wasmUrl: asset('wasm'),
    iccUrl: asset('iccs'),
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: asset('standard_fonts'),
    // The server's content security policy allows no eval.
    isEvalSupported: false,
  }).promise
}
