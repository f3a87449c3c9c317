import * as api from '../api/client'
import type { ImportJobRequest, ImportJobStatus } from '../api/types'

/// Often enough for a bar that moves smoothly, rarely enough to cost the import nothing.
export const POLL_INTERVAL_MS = 200

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/// Asks for the job's status until it has stopped running, handing each answer to `onStatus`;
/// resolves with the last one (with its report or error).
export async function pollImport(
  job: number,
  onStatus: (status: ImportJobStatus) => void,
  fetchStatus: (request: ImportJobRequest) => Promise<ImportJobStatus> = api.importStatus,
  intervalMs = POLL_INTERVAL_MS,
): Promise<ImportJobStatus> {
  for (;;) {
    const status = await fetchStatus({ job })
    onStatus(status)
    if (!status.running) return status
    await sleep(intervalMs)
  }
}
