// Two tabs of the app on one phone share its storage and its sign-in. A tab
// left open must follow what the other tab saved: otherwise its next edit
// would be made from an older copy, and the server — which trusts a device's
// own versions — would answer it as a replay and the edit would be lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

async function syncedAll(page, base, which) {
  await page.goto(`${base}/`);
  try {
    await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 60_000 });
  } catch (error) {
    throw new Error(`${which} never finished syncing: "${await page.getByTestId('sync-state').textContent()}"`);
  }
}

/** Corrects the address from the households list the page already shows (no reload). */
async function editAddress(page, name, address) {
  await page.locator('.household-card', { hasText: name }).locator('a').click();
  await page.getByRole('link', { name: 'Sửa thông tin hộ' }).click();
  await page.fill('#address', address);
  await page.click('button[type=submit]');
  await page.getByText(address).first().waitFor();
}

test('a tab left open follows the other tab, and its edit is not lost', async () => {
  const { server, phone } = world;
  const first = phone.page;
  await signIn(first, server.base, 'tinhnguyen1');
  await first.goto(`${server.base}/households/new`);
  await first.selectOption('#household-village', { label: 'Thôn Tây' });
  await first.getByLabel('Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại').check();
  await first.fill('#head-name', 'Lý Văn Hòa');
  await first.fill('#address', 'Số 1, xóm Chợ');
  await first.click('button[type=submit]');
  await first.getByRole('heading', { name: 'Lý Văn Hòa' }).waitFor();
  await syncedAll(first, server.base, 'the first tab');

  // A second tab opens, and stays open while the first one corrects the household.
  const second = await phone.context.newPage();
  await second.goto(`${server.base}/households`);
  await second.locator('.household-card', { hasText: 'Lý Văn Hòa' }).waitFor({ timeout: 30_000 });
  await first.goto(`${server.base}/households`);
  await editAddress(first, 'Lý Văn Hòa', 'Số 1A, xóm Chợ');
  await syncedAll(first, server.base, 'the first tab');

  // The second tab, never reloaded, corrects it again: from the first tab's version.
  await editAddress(second, 'Lý Văn Hòa', 'Số 1B, xóm Chợ');
  await syncedAll(second, server.base, 'the second tab');
  const token = await server.login('totruong');
  const hoa = (await server.households(token)).find((h) => h.head_name === 'Lý Văn Hòa');
  assert.equal(hoa.address, 'Số 1B, xóm Chợ', 'the second tab\'s correction reached the server');
  assert.equal(hoa.revision, 3);
  await second.close();
  assert.deepEqual(phone.errors, []);
});
