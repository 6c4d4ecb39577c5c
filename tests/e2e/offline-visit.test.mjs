// The walking skeleton, as a volunteer lives it: sign in, lose the signal,
// reload, log a visit, reload again, get the signal back — and the server
// holds the visit exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchPhone, signIn } from './server.mjs';

let server;
let phone;

before(async () => {
  server = await startServer();
  phone = await launchPhone();
});

after(async () => {
  await phone?.browser.close();
  await server?.stop();
});

test('a visit logged offline reaches the server exactly once', async () => {
  const { page, context } = phone;
  await signIn(page, server.base, 'tinhnguyen1');

  await context.setOffline(true);
  await page.reload();
  await page.getByText('Phạm Thu Trang').waitFor({ timeout: 15_000 });

  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).click();
  await page.selectOption('#village', { label: 'Thôn Đông' });
  await page.fill('#head-name', 'Nguyễn Văn An');
  await page.fill('#address', 'Số 12, ngõ 3');
  await page.click('[aria-label="Thêm một người – Người dân trưởng thành"]');
  await page.click('[aria-label="Thêm một người – Người dân trưởng thành"]');
  await page.click('[aria-label="Thêm một người – Trong đó người cao tuổi (60+)"]');
  await page.click('text=Kích hoạt định danh điện tử mức 2');
  await page.click('text=Thanh toán bằng mã QR');
  await page.fill('#note', 'Bà cụ đã tự quét mã QR.');
  await page.click('button[type=submit]');

  const card = page.locator('.visit-card', { hasText: 'Nguyễn Văn An' });
  await card.getByText('Chờ đồng bộ').waitFor();
  await page.reload();
  await card.getByText('Chờ đồng bộ').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('.visit-card').count(), 1);
  assert.match(await page.getByTestId('sync-state').textContent(), /1 lượt thăm chờ đồng bộ/);

  await context.setOffline(false);
  await card.getByText('Đã đồng bộ').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('sync-state').textContent(), /Đã đồng bộ tất cả/);

  const token = await server.login('tinhnguyen1');
  const visits = await server.visits(token);
  assert.equal(visits.length, 1, 'the server holds exactly one copy');
  assert.equal(visits[0].household.head_name, 'Nguyễn Văn An');
  assert.deepEqual(visits[0].skills, ['payment.qr', 'vneid.level2']);
  assert.deepEqual(visits[0].people, { officials: 0, pupils: 0, adults: 2, elderly: 1, workers: 0 });
  assert.deepEqual(phone.errors, []);
});
