// A proxy's visit with its proof, in a real browser against `archivedesk serve`: the clerk is
// told the letter of authorization is missing, photographs it (a JPEG of several MB, more than an
// ordinary operation may carry), sees it kept with the request, views it — drawn from the
// archive, the view on the audit trail — and a file that is no picture is refused in words.
import { test, expect, type Page } from '@playwright/test';
import { CLERK } from './account';

function api(op: string): string {
  return new URL(`/api/${op}`, process.env.ARCHIVEDESK_URL!).href;
}

async function logIn(page: Page) {
  await page.goto(process.env.ARCHIVEDESK_URL!);
  await page.getByTestId('login-name').fill(CLERK.login);
  await page.getByTestId('login-password').fill(CLERK.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('desk-caller')).toContainText(CLERK.name);
}

test('a proxy’s letter of authorization is photographed, kept with the request and viewed on the record', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await logIn(page);
  const registered = await page.request.post(api('register_request'), {
    data: {
      requester_name: '赵父亲',
      requester_id: '620102193801010012',
      relationship: 'proxy',
      proxy_name: '赵儿子',
      proxy_id: '620102196501010014',
      proxy_phone: '13912345678',
      purpose: '工龄认定',
      channel: '窗口',
      sought: '父亲的招工审批表',
    },
  });
  expect(registered.ok(), await registered.text()).toBeTruthy();
  const requestId = (await registered.json()).id as number;
  await page.goto(new URL(`/#/register/${requestId}`, process.env.ARCHIVEDESK_URL!).href);
  const detail = page.getByTestId('request-detail');
  const proofs = detail.getByTestId('proof-files');
  await expect(proofs.getByTestId('proof-letter-missing')).toBeVisible();

  // A real JPEG (this page, photographed), padded past the 2 MB an ordinary operation may carry:
  // decoders stop at its end marker.
  const photo = Buffer.concat([await page.screenshot({ type: 'jpeg', quality: 90 }), Buffer.alloc(3 << 20)]);
  await proofs.getByTestId('proof-input').setInputFiles({ name: '授权委托书.jpg', mimeType: 'image/jpeg', buffer: photo });
  const kept = proofs.getByTestId('proof-file');
  await expect(kept).toHaveCount(1);
  await expect(kept).toHaveAttribute('data-kind', 'authorization');
  await expect(kept).toContainText('授权委托书.jpg');
  await expect(proofs.getByTestId('proof-letter-missing')).toHaveCount(0);

  await kept.getByTestId('proof-view').click();
  const image = page.getByTestId('proof-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await page.keyboard.press('Escape');

  // Not a picture: refused, naming the file; nothing more is kept.
  await proofs.getByTestId('proof-input').setInputFiles({
    name: '说明.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('这不是扫描件'),
  });
  await expect(page.getByRole('alert').filter({ hasText: '说明.txt' })).toBeVisible();
  await expect(kept).toHaveCount(1);

  // The trail has the proof added and viewed, under the clerk.
  for (const action of ['proof_added', 'view_proof']) {
    const trail = await page.request.post(api('audit_rows'), { data: { action, limit: 10, offset: 0 } });
    expect(trail.ok(), await trail.text()).toBeTruthy();
    const rows = (await trail.json()) as { actor: string; target: string | null }[];
    expect(rows.length, action).toBeGreaterThan(0);
    expect(rows[0].actor).toContain(CLERK.login);
    expect(rows[0].target).toBe(`request:${requestId}`);
  }
});
