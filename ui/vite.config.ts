/// <reference types="vitest/config" />
import vue from '@vitejs/plugin-vue'
import { cpSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const outDir = 'dist'

/// pdf.js loads its image decoders (JPEG 2000, JBIG2: common in scanned PDFs), colour profiles,
/// character maps and standard fonts at run time from URLs; they are copied beside the build.
function pdfjsAssets(): Plugin {
  return {
    name: 'pdfjs-assets',
    apply: 'build',
    closeBundle() {
      for (const folder of ['wasm', 'iccs', 'cmaps', 'standard_fonts']) {
        const from = fileURLToPath(new URL(`./node_modules/pdfjs-dist/${folder}`, import.meta.url))
        const to = fileURLToPath(new URL(`./${outDir}/pdfjs/${folder}`, import.meta.url))
        cpSync(from, to, { recursive: true })
      }
    },
  }
}

export default defineConfig({
  // Relative asset paths: the built UI is loaded from a Tauri webview and from `archivedesk serve`.
  base: './',
  plugins: [vue(), pdfjsAssets()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir,
    // Loaded from the local disk or loopback, so one large Element Plus chunk costs little.
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
  },
})
