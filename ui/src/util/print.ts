// Printing only some pages (a certificate), not the app around them: the pages go, as images,
// into a layer of their own that the print stylesheet (style.css) alone lets onto paper.

const ROOT_ID = 'print-root'

function clear(): void {
  document.getElementById(ROOT_ID)?.remove()
  document.body.classList.remove('printing')
}

/// Prints the given page images, one per sheet, and nothing else.
export async function printPages(images: string[]): Promise<void> {
  clear()
  const root = document.createElement('div')
  root.id = ROOT_ID
  root.setAttribute('data-testid', 'print-root')
  const loaded: Array<Promise<void>> = []
  for (const src of images) {
    const img = document.createElement('img')
    img.className = 'print-page'
    img.alt = ''
    loaded.push(
      new Promise((resolve) => {
        img.onload = () => resolve()
        img.onerror = () => resolve()
      }),
    )
    img.src = src
    root.appendChild(img)
  }
  document.body.appendChild(root)
  document.body.classList.add('printing')
  await Promise.all(loaded)
  // window.print() returns once the dialog is closed; afterprint covers browsers where it
  // does not block.
  window.addEventListener('afterprint', clear, { once: true })
  window.print()
}
