import { ElMessage } from 'element-plus'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as api from '../api/client'
import type { ImportJobStatus, ImportReport, ImportStartRequest } from '../api/types'
import { i18n } from '../i18n'
import { errorText, showError } from '../util/errors'
import { pollImport } from '../util/pollImport'
import { useDeskStore } from './desk'
import { useStatusStore } from './status'

export type ImportPhase = 'idle' | 'uploading' | 'running'

/// The import screen's state, kept in a store so that an import goes on (and its report waits)
/// while the clerk looks something up on another screen.
export const useImportStore = defineStore('import', () => {
  const desktop = api.inTauri()
  /// Browser: the chosen files, uploaded before the first run.
  const files = shallowRef<File[]>([])
  /// Desktop: catalogue files and scan folders on this machine.
  const paths = ref<string[]>([])
  const category = ref('')
  const phase = ref<ImportPhase>('idle')
  const status = ref<ImportJobStatus | null>(null)
  const report = ref<ImportReport | null>(null)
  const failure = ref('')
  // Upload ids of the current files, until a run starts: the engine deletes uploaded files once
  // a preview or an import has read them, so every run uploads its files again.
  let uploaded: string[] | null = null
  // Counts the clerks who left the desk: a run started before is no longer shown on this screen.
  let generation = 0

  const chosen = computed(() => (desktop ? paths.value.length : files.value.length))

  function setFiles(next: File[]): void {
    files.value = next
    uploaded = null
  }

  function addPaths(more: string[]): void {
    paths.value = [...paths.value, ...more.filter((p) => !paths.value.includes(p))]
  }

  function removePath(index: number): void {
    paths.value = paths.value.filter((_, i) => i !== index)
  }

  async function request(dryRun: boolean): Promise<ImportStartRequest> {
    const common = { category: category.value.trim() || null, mapping: null, dry_run: dryRun }
    if (desktop) return { paths: paths.value, uploads: [], ...common }
    if (!uploaded) {
      phase.value = 'uploading'
      uploaded = (await api.upload(files.value)).files.map((f) => f.upload)
    }
    return { paths: [], uploads: uploaded, ...common }
  }

  async function run(dryRun: boolean): Promise<void> {
    if (phase.value !== 'idle' || chosen.value === 0) return
    const mine = generation
    const current = () => mine === generation
    status.value = null
    report.value = null
    failure.value = ''
    try {
      const start = await request(dryRun)
      // The files were the previous clerk's: nothing is imported for the next one.
      if (!current()) return
      phase.value = 'running'
      uploaded = null
      const { job } = await api.importStart(start)
      const last = await pollImport(job, (s) => {
        if (current()) status.value = s
      })
      if (!current()) return
      report.value = last.report
      if (last.error) {
        failure.value = last.error.message
        showError(new api.ApiError(last.error.code, last.error.message))
      } else if (!dryRun) {
        ElMessage.success(i18n.global.t('import.done'))
      }
      if (!dryRun) await useStatusStore().load()
    } catch (error) {
      if (!current()) return
      failure.value = errorText(error)
      showError(error)
    } finally {
      if (current()) phase.value = 'idle'
    }
  }

  /// Nothing chosen and nothing shown, as at the start.
  function reset(): void {
    generation += 1
    files.value = []
    paths.value = []
    category.value = ''
    phase.value = 'idle'
    status.value = null
    report.value = null
    failure.value = ''
    uploaded = null
  }

  /// The next clerk does not see the previous one's files, progress or report.
  useDeskStore().onClerkLeaves(reset)

  return {
    desktop,
    files,
    paths,
    category,
    phase,
    status,
    report,
    failure,
    chosen,
    setFiles,
    addPaths,
    removePath,
    run,
  }
})
