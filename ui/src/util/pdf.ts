// pdf.js, loaded only when a PDF scan is opened. Its decoders for JPEG 2000 and JBIG2 (common in
// scanned PDFs) and its colour profiles are copied next to the built UI by vite.config.ts.
import type { PDFDocumentProxy } from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'
import { ApiError, reportUnauthorized } from '../api/client'
import { i18n } from '../i18n'
import { errorText } from './errors'

/// A PDF that pdf.js cannot finish opening in this time is given up: a damaged or hostile file
/// says so instead of a viewer that spins for ever.
const PDF_OPEN_LIMIT_MS = 20_000

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
    if (response.status === 401) {
      const error = new ApiError('unauthorized', message, 401)
      if (await reportUnauthorized(error)) return fetchBytes(url)
      throw error
    }
    throw new ApiError(message ? 'unknown' : 'http', message, response.status)
  }
  return new Uint8Array(await response.arrayBuffer())
}

export async function openPdf(url: string): Promise<PDFDocumentProxy> {
  const [, data] = await Promise.all([import('pdfjs-dist'), fetchBytes(url)])
  return openPdfBytes(data)
}

/// A PDF already in hand (a certificate, which comes as base64 in an operation's answer).
export async function openPdfBytes(data: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await import('pdfjs-dist')
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl
  const asset = (folder: string) => new URL(`pdfjs/${folder}/`, document.baseURI).href
  const loading = pdfjs.getDocument({
    data,
    wasmUrl: asset('wasm'),
    iccUrl: asset('iccs'),
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: asset('standard_fonts'),
    // The server's content security policy allows no eval.
    isEvalSupported: false,
  })
  return withinLimit(loading.promise, () => void loading.destroy())
}

/// `work` (opening a PDF, getting or drawing a page), or a clear error once it has taken longer
/// than a damaged or hostile file should: `giveUp` then stops it.
export async function withinLimit<T>(work: Promise<T>, giveUp: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const givenUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      giveUp()
      reject(new ApiError('unknown', i18n.global.t('record.pdfTooSlow', { seconds: PDF_OPEN_LIMIT_MS / 1000 })))
    }, PDF_OPEN_LIMIT_MS)
  })
  try {
    return await Promise.race([work, givenUp])
  } finally {
    clearTimeout(timer)
  }
}

/// pdf.js's own words for a file it cannot read (as opposed to a page that failed to load).
const DAMAGED_FILE_ERRORS = new Set(['InvalidPDFException', 'FormatError', 'UnknownErrorException', 'MissingPDFException'])

/// What the clerk reads when a scan cannot be drawn: the door's own errors as they are, and
/// pdf.js's (in English, about the file's insides) as a damaged file, with its words beside.
export function pdfFailureText(error: unknown): string {
  if (error instanceof Error && DAMAGED_FILE_ERRORS.has(error.name)) {
    return i18n.global.t('record.pdfDamaged', { detail: error.message })
  }
  return errorText(error)
}
