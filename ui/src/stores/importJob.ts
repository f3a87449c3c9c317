import { ElMessage } from 'element-plus'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as api from '../api/client'
import type { ImportJobStatus, ImportReport, ImportStartRequest } from '../api/types'
import { i18n } from '../i18n'
import { errorText, showError } from '../util/errors'
import { pollImport } from '../util/pollImport'
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
  // Upload ids of the current files: a preview leaves them on the server for the import that
  // follows, which uses them up.
  let uploaded: string[] | null = null

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
    status.value = null
    report.value = null
    failure.value = ''
    try {
      const start = await request(dryRun)
      phase.value = 'running'
      const { job } = await api.importStart(start)
      if (!dryRun) uploaded = null
      const last = await pollImport(job, (s) => (status.value = s))
      report.value = last.report
      if (last.error) {
        failure.value = last.error.message
        showError(new api.ApiError(last.error.code, last.error.message))
      } else if (!dryRun) {
        ElMessage.success(i18n.global.t('import.done'))
      }
      if (!dryRun) await useStatusStore().load()
    } catch (error) {
      failure.value = errorText(error)
      showError(error)
    } finally {
      phase.value = 'idle'
    }
  }

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
