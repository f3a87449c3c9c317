// What the desktop tests share: the app started and quit through tauri-driver, and the steps a
// clerk takes in its window (find, type, click, wait), each bounded in time so that an app that
// hangs fails the test instead of stalling it; and the demo archive's facts the tests look for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, Key, until } from 'selenium-webdriver';

export const APP = process.env.ARCHIVEDESK_DESKTOP_BIN;
export const DRIVER = process.env.TAURI_DRIVER_URL;
export const DATA = process.env.ARCHIVEDESK_DATA_DIR;
for (const [name, value] of Object.entries({ ARCHIVEDESK_DESKTOP_BIN: APP, TAURI_DRIVER_URL: DRIVER, ARCHIVEDESK_DATA_DIR: DATA })) {
  if (!value) throw new Error(`${name} is not set: run the tests with tests/desktop/run.sh`);
}

/** The window's title in tauri.conf.json; tauri.conf.test.json changes the product name only. */
export const TITLE = '档案查询台';
export const TEST_IDENTIFIER = 'cn.archivedesk.desk.test';

export const artifacts = fileURLToPath(new URL('artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * `work` (a promise or a function returning one), failing after `ms`: a WebDriver call to an app
 * that did not start or has hung never answers, and the test must fail instead of waiting.
 */
export async function within(ms, what, work) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([typeof work === 'function' ? work() : work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** @type {import('selenium-webdriver').WebDriver | undefined} */
let driver;

/**
 * Starts the app through tauri-driver with `args` on its command line; one app at a time (the
 * single-instance plugin hands a second one over to the first).
 */
export async function startApp(args = []) {
  const capabilities = { browserName: 'wry', 'tauri:options': { application: APP, args } };
  driver = await within(60_000, 'start the app through tauri-driver', () =>
    new Builder().withCapabilities(capabilities).usingServer(DRIVER).build(),
  );
  await within(10_000, 'set timeouts', () => driver.manage().setTimeouts({ script: 10_000, pageLoad: 30_000, implicit: 0 }));
}

/** Quits the app started last, if it started. */
export async function quitApp() {
  if (driver) await within(20_000, 'close the app', () => driver.quit()).catch((e) => console.error(`# ${e.message}`));
  driver = undefined;
}

export function session() {
  if (!driver) throw new Error('no WebDriver session: the app did not start (see tauri-driver.log)');
  return driver;
}

export const byTestId = (id) => By.css(`[data-testid="${id}"]`);

/**
 * The supervisor the tests act as. run.sh builds a new archive for every run, so the first test
 * to reach the desk meets the first-run panel and makes this account; later ones find it made.
 */
export const CLERK = { login: 'zhuguan', name: '测试主管', password: 'desk-test-2026' };

export async function find(id, ms = 15_000) {
  return within(ms + 2_000, `find ${id}`, () => session().wait(until.elementLocated(byTestId(id)), ms, `no ${id} within ${ms} ms`));
}

export const STEP_MS = 10_000;
export const text = (element) => within(STEP_MS, 'read text', () => element.getText());
export const attribute = (element, name) => within(STEP_MS, `read ${name}`, () => element.getAttribute(name));
export const count = (locator) => within(STEP_MS, 'count elements', async () => (await session().findElements(locator)).length);

/** Polls `probe` until it returns something truthy; fails with `what` after `ms`. */
export async function poll(what, probe, ms = 15_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await within(5_000, what, probe);
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(200);
  }
}

export const script = (code, ...args) => within(10_000, 'execute script', () => session().executeScript(code, ...args));

/**
 * Clicks `target` (an element, or a function that finds it) once it takes the click: a toast or
 * a fading mask over it, or an element not laid out yet, makes WebDriver refuse the click.
 */
export async function click(what, target) {
  await poll(`click ${what}`, async () => {
    const element = typeof target === 'function' ? await target() : target;
    await element.click();
    return true;
  });
}

/**
 * Types `value` into the text field `id` (the testid is on the `<input>` itself), as a clerk does;
 * again from the start when the field was redrawn meanwhile.
 */
export async function typeInto(id, value) {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const typed = await within(30_000, `type into ${id}`, async () => {
        const input = await find(id);
        await input.click();
        await input.sendKeys(Key.CONTROL, 'a');
        await input.sendKeys(Key.BACK_SPACE);
        await input.sendKeys(value);
        return input.getAttribute('value');
      });
      if (typed === value) return;
      last = `it holds ${JSON.stringify(typed)}`;
    } catch (e) {
      // Redrawn meanwhile, or covered for a moment (a list or a toast fading out): again.
      if (!['StaleElementReferenceError', 'ElementClickInterceptedError', 'ElementNotInteractableError'].includes(e.name)) throw e;
      last = e.message;
    }
    await sleep(300);
  }
  throw new Error(`${id} does not hold ${JSON.stringify(value)}: ${last}`);
}

/** What the window shows in place of the app, or the app itself once a clerk is at the desk. */
export async function deskState(ms = 30_000) {
  return poll('the first-run panel, the login panel or a clerk at the desk', async () => {
    if ((await count(byTestId('desk-caller'))) > 0) return 'desk';
    if ((await count(byTestId('first-run-clerk'))) > 0) return 'first-run';
    if ((await count(byTestId('login'))) > 0) return 'login';
    return null;
  }, ms);
}

/**
 * Gets the supervisor to the desk through the panels a clerk sees: on a new archive the first-run
 * panel makes the account (and logs it in); otherwise the login panel logs in. Does nothing when
 * the supervisor is at the desk already.
 */
export async function atDesk() {
  for (let round = 0; round < 3; round++) {
    const state = await deskState();
    if (state === 'desk') break;
    if (state === 'first-run') {
      await typeInto('first-run-login', CLERK.login);
      await typeInto('first-run-name', CLERK.name);
      await typeInto('first-run-password', CLERK.password);
      await typeInto('first-run-password2', CLERK.password);
      await screenshot('0-first-run');
      await click('first-run-submit', () => find('first-run-submit'));
    } else {
      await typeInto('login-name', CLERK.login);
      await typeInto('login-password', CLERK.password);
      await click('login-submit', () => find('login-submit'));
    }
    // The clerk is at the desk once the engine answered, or the panel says why not. (Between
    // the first account and its login the login panel shows for a moment: no reason to log in.)
    const error = state === 'first-run' ? 'first-run-error' : 'login-error';
    const outcome = await poll(`${state} answered`, async () => {
      if ((await count(byTestId('desk-caller'))) > 0) return 'desk';
      const refused = await within(STEP_MS, 'find errors', () => session().findElements(byTestId(error)));
      return refused.length > 0 ? `refused: ${await text(refused[0])}` : null;
    }, 30_000).catch((e) => {
      // Someone made the first account meanwhile: the login panel is left, the next round logs in.
      if (state === 'first-run') return e.message;
      throw e;
    });
    if (outcome.startsWith('refused')) throw new Error(`${state}: ${outcome}`);
  }
  const caller = await find('desk-caller');
  assert.equal(await text(await find('desk-user')), CLERK.name, `the clerk at the desk: ${await text(caller)}`);
  assert.equal(await attribute(await find('desk-role'), 'data-role'), 'supervisor');
}

export async function screenshot(name) {
  // Element Plus fades its loading masks out; then a frame for the last DOM change to paint.
  await poll('loading masks gone', async () => (await count(By.css('.el-loading-mask'))) === 0, 5_000).catch(() => {});
  await sleep(500);
  const png = await within(15_000, `screenshot ${name}`, () => session().takeScreenshot());
  writeFileSync(join(artifacts, `${name}.png`), png, 'base64');
}

/** A test whose screen is kept when it fails, to see what the clerk would have seen. */
export function desktopTest(name, shot, body) {
  test(name, { timeout: 120_000 }, async (t) => {
    try {
      await body(t);
    } catch (e) {
      if (driver) await screenshot(`${shot}-failed`).catch(() => {});
      throw e;
    }
  });
}

/** Back to the search screen, as the app shows it at start (after a login, if the desk asks for one). */
export async function home() {
  await atDesk();
  await script("window.location.hash = '#/'");
  await find('search-input');
}

/** Replaces the search box's text with `query`, typed as a clerk types it. */
export async function search(query) {
  const box = await find('search-input');
  await within(10_000, 'clear the search box', async () => {
    await box.click();
    await box.sendKeys(Key.CONTROL, 'a');
    await box.sendKeys(Key.BACK_SPACE);
  });
  // An empty box empties the list: the hits seen next answer the new query.
  await poll('the list emptied', async () => (await count(byTestId('hit'))) === 0);
  await within(15_000, `type ${query}`, () => box.sendKeys(query));
  return box;
}

/** The first hit once it names `text` and no search is under way, and the total then shown. */
export async function firstHitNaming(wanted) {
  const hit = await poll(`a first hit naming ${wanted}`, async () => {
    if ((await count(byTestId('search-loading'))) > 0) return null;
    const hits = await within(STEP_MS, 'find hits', () => session().findElements(byTestId('hit')));
    if (hits.length === 0) return null;
    return (await text(hits[0])).includes(wanted) ? hits[0] : null;
  });
  const total = Number(await attribute(await find('search-total'), 'data-total'));
  return { hit, total };
}

export const truth = (data = DATA) =>
  readFileSync(join(data, 'demo-source', 'truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

/** The `skip`+1-th name, written as it is, of a record with no deliberate mess. */
export const cleanName = (skip = 0) => [...new Set(truth().filter((t) => t.mess.length === 0 && t.written_name === t.name).map((t) => t.name))][skip];

/** Width and height of a PNG or JPEG file, from its header. */
export function imageSize(file) {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) throw new Error(`${file}: not a JPEG marker at ${i}`);
      const marker = b[i + 1];
      const length = b.readUInt16BE(i + 2);
      // SOF0…SOF15 carry the frame size; C4, C8 and CC are other segments.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
  }
  throw new Error(`${file}: neither PNG nor JPEG`);
}

/** A document of the demo archive with a scanned image: its folder name is its 档号. */
export function scannedDocument() {
  const scans = join(DATA, 'demo-source', 'scans');
  for (const folder of readdirSync(scans, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const pages = readdirSync(join(scans, folder))
      .filter((f) => ['.png', '.jpg', '.jpeg'].includes(extname(f).toLowerCase()))
      .sort();
    if (pages.length > 0) return { ref: folder, firstPage: imageSize(join(scans, folder, pages[0])) };
  }
  throw new Error(`no folder of scanned images in ${scans}`);
}

/** Whether an 18-digit resident ID number passes its check digit (GB 11643, MOD 11-2). */
export function idValid(id) {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, w, i) => total + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/**
 * A citizen at the counter: a row of the demo archive written plainly (name, 18-digit ID and 档号
 * as they are), whose document has scanned images and whose ID passes its check digit.
 */
export function citizen(data = DATA) {
  const scans = join(data, 'demo-source', 'scans');
  const scanned = new Set(
    readdirSync(scans, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .filter((folder) => readdirSync(join(scans, folder)).some((f) => ['.png', '.jpg', '.jpeg'].includes(extname(f).toLowerCase()))),
  );
  const person = truth(data).find(
    (t) =>
      t.mess.length === 0 &&
      t.written_name === t.name &&
      t.written_id === t.id18 &&
      t.ref_code_written === t.ref_code &&
      scanned.has(t.ref_code) &&
      idValid(t.id18),
  );
  if (!person) throw new Error(`no plainly written row with a valid ID of a scanned document in ${data}`);
  return person;
}

/**
 * The citizen's row found by their ID number, its record opened with its scan, and 加入查档登记
 * on the row with its page ticked (the catalogue names none) and confirmed: added to the request
 * open at the desk, or, with none open, waiting for the new-request form.
 */
export async function addRowFromRecord(person) {
  // The citizen's ID number finds their rows; the one on the scanned document opens.
  await search(person.id18);
  // Found afresh at each try: the list is redrawn while results come in.
  const personHit = async () => {
    if ((await count(byTestId('search-loading'))) > 0) return null;
    for (const candidate of await within(STEP_MS, 'find hits', () => session().findElements(byTestId('hit')))) {
      const ref = await text(await within(STEP_MS, 'hit ref', () => candidate.findElement(byTestId('hit-ref'))));
      const name = await text(await within(STEP_MS, 'hit name', () => candidate.findElement(byTestId('hit-name'))));
      if (ref.includes(person.ref_code) && name === person.name) return candidate;
    }
    return null;
  };
  await poll(`a hit of ${person.name} on ${person.ref_code}`, personHit);
  await click('the hit', async () => {
    const hit = await personHit();
    if (!hit) throw new Error('the hit is gone');
    return hit.findElement(byTestId('hit-name'));
  });
  await poll('the record opened', async () => (await text(await find('record-ref'))) === person.ref_code);
  await find('page-image');
  const hitRow = By.css('tr.entry-row-hit');
  const row = await poll('the row searched for, highlighted', async () => {
    const rows = await within(STEP_MS, 'find the hit row', () => session().findElements(hitRow));
    return rows.length === 1 ? rows[0] : null;
  });
  assert.ok((await text(row)).includes(person.name), `the highlighted row: ${await text(row)}`);

  await click('加入查档登记', () => session().findElement(hitRow).findElement(byTestId('attach-entry')));
  await find('attach-dialog');
  // Ticked once: a click WebDriver was slow to confirm is not repeated into an untick.
  const pageOne = By.css('[data-testid="page-pick"][data-page="1"]');
  await poll('第 1 页 ticked', async () => {
    const pick = await within(STEP_MS, 'find page 1', () => session().findElement(pageOne));
    if ((await attribute(pick, 'aria-checked')) === 'true') return true;
    await pick.click();
    return (await attribute(pick, 'aria-checked')) === 'true';
  });
  await click('加入', () => find('attach-confirm'));
}

/**
 * At the desk, a citizen's request registered from their record: their ID number finds the row,
 * the record opens with its scan, 加入查档登记 ticks the page and opens the form, which is filled
 * and sent; the record is then attached to the request as the requester's own.
 */
export async function registerFromRecord(person, shot) {
  // With no request open, 加入查档登记 leads to the new-request form on 登记, with the row's name.
  await addRowFromRecord(person);
  await find('request-form-prefilled');
  await find('request-form-pending');
  assert.equal(await attribute(await find('request-form-name'), 'value'), person.name);
  await typeInto('request-form-id', person.id18);
  await poll('the ID number checked', async () => (await attribute(await find('request-form-id-check'), 'data-status')) === 'valid18');
  // Element Plus's select: a click opens its list (in a popper at the end of the page), a click on
  // the option chooses it.
  const purpose = '退休待遇核定';
  const option = By.css(`[data-testid="request-form-purpose-option"][data-value="${purpose}"]`);
  await click('利用目的', () => find('request-form-purpose'));
  await click(`the option ${purpose}`, async () => {
    const element = await within(STEP_MS, 'find the option', () => session().findElement(option));
    if (!(await within(STEP_MS, 'option shown', () => element.isDisplayed()))) throw new Error('the option is not shown yet');
    return element;
  });
  await poll(`${purpose} chosen`, async () => (await text(await find('request-form-purpose'))).includes(purpose));
  // Its list closes with a fade, over the fields below it.
  await poll('the list of purposes closed', async () => {
    const shown = await within(STEP_MS, 'find options', () => session().findElements(byTestId('request-form-purpose-option')));
    for (const o of shown) if (await within(STEP_MS, 'option shown', () => o.isDisplayed())) return false;
    return true;
  }, 5_000);
  await typeInto('request-form-sought', '本人工资调整审批记录');
  await screenshot(`${shot}-register`);
  await click('登记', () => find('request-form-submit'));

  // Registered; the record waiting is attached to it by itself, as the requester's own.
  await find('request-detail', 20_000);
  const attachedRecord = By.css('[data-testid="request-detail"] [data-testid="attached-record"]');
  const attached = await poll('the record attached', async () => {
    const records = await within(STEP_MS, 'find attached records', () => session().findElements(attachedRecord));
    return records.length === 1 ? records[0] : null;
  });
  assert.equal(await attribute(attached, 'data-ref'), person.ref_code);
  assert.equal(await count(byTestId('own-record-tag')), 1, 'the attached row is the requester\'s own');
  assert.equal(await text(await find('request-detail-name')), person.name);
  await poll('the request found', async () => (await attribute(await find('request-detail'), 'data-status')) === 'found');

}

/**
 * The request shown lets its pages go out uncovered (不遮盖出证), as the supervisor at the desk
 * may, with the reason recorded (boxes are drawn in the other tests).
 */
export async function letPagesGoUncovered(reason) {
  await find('uncovered-page');
  assert.notEqual(await attribute(await find('issue-certificate'), 'disabled'), null, '出证 waits for the covering');
  await click('不遮盖出证', () => find('cover-override'));
  await typeInto('reason-input', reason);
  await click('确定', () => find('reason-confirm'));
  await poll('nothing left to cover', async () => {
    // A refusal stays in the dialog: say it rather than wait it out.
    const refused = await within(STEP_MS, 'find a refusal', () => session().findElements(byTestId('reason-error')));
    if (refused.length > 0) throw new Error(`不遮盖出证 refused: ${await text(refused[0])}`);
    return (await count(byTestId('uncovered-page'))) === 0;
  });
}

/**
 * 出具证明 on the request shown, once nothing stands in the way: the preview, 确认出具, and the
 * certificate's PDF drawn page by page. Its number carries `deskCode`; answers it and the pages.
 */
export async function issueCertificate(deskCode, shot) {
  // 出证: the certificate, numbered, its PDF drawn by pdf.js page by page.
  await poll('出具证明 enabled', async () => (await attribute(await find('issue-certificate'), 'disabled')) === null);
  await click('出具证明', () => find('issue-certificate'));
  // The certificate as it will be issued, then 确认出具.
  await poll('the preview drawn', async () => (await count(byTestId('certificate-preview-ready'))) === 1, 30_000);
  await click('确认出具', () => find('certificate-preview-confirm'));
  await find('certificate-view', 30_000);
  const number = await poll('the certificate number', async () => text(await find('certificate-number')));
  assert.match(number, new RegExp(`〔\\d{4}〕${deskCode}第\\d{4}号`));
  const pages = async (name) => Number(await attribute(await find('certificate-pages'), name));
  const pageCount = await poll('the PDF opened', () => pages('data-pages'), 30_000);
  // The text pages, then the scan: at least two.
  assert.ok(pageCount >= 2, `${pageCount} pages`);
  await poll('every page drawn', async () => (await pages('data-rendered')) === pageCount, 60_000);
  assert.equal(await count(byTestId('certificate-page')), pageCount);
  assert.equal(await count(byTestId('certificate-render-error')), 0);
  await find('certificate-page-count');
  // Drawn, not blank: each canvas holds ink (dark pixels) on white paper.
  const ink = await script(`
    return [...document.querySelectorAll('[data-testid="certificate-page"]')].map((canvas) => {
      const { width, height } = canvas;
      const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      let dark = 0, seen = 0;
      for (let i = 0; i < pixels.length; i += 4 * 97) {
        seen += 1;
        if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 384) dark += 1;
      }
      return { width, height, dark: dark / seen };
    });`);
  assert.equal(ink.length, pageCount);
  for (const [i, page] of ink.entries()) {
    assert.ok(page.width > 1000 && page.height > page.width, `page ${i + 1} drawn ${page.width}x${page.height}`);
    assert.ok(page.dark > 0.001, `page ${i + 1} is blank (${JSON.stringify(page)})`);
  }
  // The toast 已出具证明 fades after a few seconds; then the first page, and the last (the scan).
  await poll('the toasts gone', async () => (await count(By.css('.el-message'))) === 0, 10_000).catch(() => {});
  await screenshot(`${shot}-certificate`);
  await script(`document.querySelector('[data-testid="certificate-page"][data-page="${pageCount}"]').scrollIntoView({ block: 'start' })`);
  await screenshot(`${shot}-certificate-last-page`);
  return { number, pageCount, ink };
}
