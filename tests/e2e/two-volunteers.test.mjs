// Two volunteers of one team, on two phones, working offline and then online:
// each sees the other's households (and that they were visited), and a
// household edited on both phones surfaces as a conflict that the second
// volunteer settles by choosing a version — nothing is overwritten silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, setUpServerAndPhones, signIn, syncedAll } from './server.mjs';

const world = setUpServerAndPhones('trang', 'huy');

async function editAddress(page, address) {
  await page.getByRole('link', { name: 'Sửa thông tin hộ' }).click();
  await page.fill('#address', address);
  await page.click('button[type=submit]');
  await page.getByText(address).first().waitFor();
}

test('two phones of one team share households and surface a conflict', async () => {
  const { server, trang, huy } = world;
  await signIn(trang.page, server.base, 'tinhnguyen1');
  await signIn(huy.page, server.base, 'tinhnguyen2');

  // Trang records a household and syncs; Huy's phone learns of it.
  await addHousehold(trang.page, server.base, 'Vũ Thị Lan', 'Số 8, xóm Giữa', 'Thôn Tây');
  await syncedAll(trang.page, server.base, 'Trang');
  await huy.page.reload();
  await syncedAll(huy.page, server.base, 'Huy');
  await huy.page.goto(`${server.base}/households`);
  await huy.page.locator('.household-card', { hasText: 'Vũ Thị Lan' }).waitFor({ timeout: 30_000 });

  // Both go offline. Each edits the same household; Huy also records a new one and visits it.
  await trang.context.setOffline(true);
  await huy.context.setOffline(true);
  await trang.page.goto(`${server.base}/households`);
  await trang.page.locator('.household-card', { hasText: 'Vũ Thị Lan' }).locator('a').click();
  await editAddress(trang.page, 'Số 8A, xóm Giữa');
  await huy.page.locator('.household-card', { hasText: 'Vũ Thị Lan' }).locator('a').click();
  await editAddress(huy.page, 'Số 10, xóm Giữa');
  await addHousehold(huy.page, server.base, 'Ngô Văn Tùng', 'Số 3, xóm Đồng', 'Thôn Tây');
  await huy.page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).click();
  await huy.page.getByRole('button', { name: 'Không có ai ở nhà' }).click();
  await huy.page.click('button[type=submit]');
  await huy.page.getByTestId('today').waitFor();

  // Trang comes back first: her edit is applied. Then Huy: his edit conflicts.
  await trang.context.setOffline(false);
  await syncedAll(trang.page, server.base, 'Trang');
  await huy.context.setOffline(false);
  await huy.page.goto(`${server.base}/households`);
  await huy.page.locator('.household-card', { hasText: 'Vũ Thị Lan' }).locator('a').click();
  await huy.page.getByText('Hộ này đã được sửa ở máy khác').waitFor({ timeout: 60_000 });
  await huy.page.getByText('Số 8A, xóm Giữa').waitFor({ timeout: 60_000 });
  assert.ok(await huy.page.getByText('Số 10, xóm Giữa').count() > 0, 'both versions are shown');

  let token = await server.login('tinhnguyen1');
  let lan = (await server.households(token)).find((h) => h.head_name === 'Vũ Thị Lan');
  assert.equal(lan.address, 'Số 8A, xóm Giữa', 'the first edit to arrive is kept, not overwritten');

  // Huy keeps his version: it becomes an edit of the server's.
  await huy.page.getByRole('button', { name: 'Giữ bản của tôi' }).click();
  await syncedAll(huy.page, server.base, 'Huy');
  lan = (await server.households(token)).find((h) => h.head_name === 'Vũ Thị Lan');
  assert.equal(lan.address, 'Số 10, xóm Giữa');
  assert.equal(lan.revision, 3);

  // Trang's phone now shows Huy's household, visited by Huy.
  await trang.page.reload();
  await syncedAll(trang.page, server.base, 'Trang');
  await trang.page.goto(`${server.base}/households`);
  const tung = trang.page.locator('.household-card', { hasText: 'Ngô Văn Tùng' });
  await tung.waitFor({ timeout: 30_000 });
  await tung.getByText('Đã đến').waitFor();
  await tung.getByText('Lần cuối: Đỗ Quang Huy').waitFor();
  assert.deepEqual([...trang.errors, ...huy.errors], []);
});
