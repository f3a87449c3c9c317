import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ImportJobStatus } from '../src/api/types'
import { POLL_INTERVAL_MS, pollImport } from '../src/util/pollImport'

function status(running: boolean, filesDone: number): ImportJobStatus {
  return {
    job: 4,
    running,
    dry_run: false,
    progress: running ? { file: 'a.xlsx', sheet: 'Sheet1', rows_done: filesDone * 10, bytes_done: 5, bytes_total: 10 } : null,
    files_done: filesDone,
    files_total: 2,
    report: running ? null : { dry_run: false, files: [] },
    error: null,
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('pollImport', () => {
  it('asks again after the interval until the job stops, passing on every status', async () => {
    const answers = [status(true, 0), status(true, 1), status(false, 2)]
    const fetchStatus = vi.fn(async () => answers.shift()!)
    const seen: number[] = []
    const done = pollImport(4, (s) => seen.push(s.files_done), fetchStatus)

    await vi.advanceTimersByTimeAsync(0)
    expect(fetchStatus).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS - 1)
    expect(fetchStatus).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchStatus).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)

    const last = await done
    expect(fetchStatus).toHaveBeenCalledTimes(3)
    expect(fetchStatus).toHaveBeenCalledWith({ job: 4 })
    expect(seen).toEqual([0, 1, 2])
    expect(last.report).not.toBeNull()
  })
})
