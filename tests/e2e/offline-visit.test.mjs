// The volunteer's day, as a volunteer lives it: sign in, lose the signal,
// reload, add a household, log a guided visit with two skills and a "nobody
// home" visit, correct one, delete one, reload — then get the signal back and
// find the server holding exactly what the phone has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, launchPhone, setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

async function addHousehold(page, name, address) {
  await page.getByRole('link', { name: '+ Thêm hộ' }).click();
  await page.selectOption('#household-village', { label: 'Thôn Đông' });
  await page.getByLabel('Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại').check();
  await page.fill('#head-name', name);
  await page.fill('#address', address);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name }).waitFor();
}

test('a day of visits logged offline reaches the server exactly once', async () => {
  const { server, phone } = world;
  const { page, context } = phone;
  await signIn(page, server.base, 'tinhnguyen1');

  await context.setOffline(true);
  await page.reload();
  await page.getByText('Phạm Thu Trang').waitFor({ timeout: 15_000 });

  // Two households, typed without a signal.
  await page.getByRole('link', { name: 'Hộ gia đình' }).click();
  await addHousehold(page, 'Nguyễn Văn An', 'Số 12, ngõ 3');
  await page.goto(`${server.base}/households`).catch(() => {});
  await page.getByRole('link', { name: '+ Thêm hộ' }).waitFor({ timeout: 15_000 });
  await addHousehold(page, 'Trần Thị Bình', 'Số 5, xóm Chùa');

  // Typing An's household again, without diacritics, warns instead of making a twin.
  await page.goto(`${server.base}/households/new`);
  await page.selectOption('#household-village', { label: 'Thôn Đông' });
  await page.getByLabel('Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại').check();
  await page.fill('#head-name', 'nguyen van an');
  await page.fill('#address', 'Ngõ 3');
  await page.click('button[type=submit]');
  await page.getByText('Hộ này có vẻ đã được ghi: Nguyễn Văn An').waitFor();
  await page.getByRole('button', { name: 'Dùng hộ này' }).click();
  await page.getByRole('heading', { name: 'Nguyễn Văn An' }).waitFor();
  await page.goto(`${server.base}/households`);
  await page.locator('.household-card', { hasText: 'Trần Thị Bình' }).locator('a').click();

  // A guided visit with two skills, one of them completed, at Bình's; a
  // reload halfway (a phone call) keeps the half-filled form.
  await page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).click();
  await page.fill('#note', 'Bà cụ đã tự quét mã QR.');
  await page.reload();
  await page.locator('#note').waitFor({ timeout: 15_000 });
  assert.equal(await page.inputValue('#note'), 'Bà cụ đã tự quét mã QR.');
  await page.getByText('Trần Thị Bình').first().waitFor();
  await page.click('[aria-label="Thêm một người – Người dân trưởng thành"]');

  await page.click('[aria-label="Thêm một người – Người dân trưởng thành"]');
  await page.click('[aria-label="Thêm một người – Trong đó người cao tuổi (60+)"]');
  await page.locator('[data-skill="vneid.level2"] >> text=Hoàn thành').click();
  await page.locator('[data-skill="payment.qr"] >> text=Hướng dẫn').click();
  await page.click('button[type=submit]');

  await page.getByTestId('today').waitFor();

  // A "nobody home" visit at An's, found by typing without diacritics.
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).click();
  await page.getByPlaceholder('Chọn hộ').fill('nguyen van an');
  await page.locator('.pick', { hasText: 'Nguyễn Văn An' }).click();
  await page.getByRole('button', { name: 'Không có ai ở nhà' }).click();
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();
  assert.match(await page.getByTestId('today').textContent(), /2 lượt gõ cửa · 2 người/);

  // Correct the guided visit's note, then delete the "nobody home" one.
  await page.locator('.visit-card', { hasText: 'Trần Thị Bình' }).locator('a').click();
  await page.fill('#note', 'Bà cụ đã tự quét mã QR, con trai đã kích hoạt VNeID.');
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator('.visit-card', { hasText: 'Nguyễn Văn An' }).locator('a').click();
  await page.getByRole('button', { name: 'Xóa' }).click();
  await page.getByTestId('today').waitFor();

  await page.reload();
  await page.getByTestId('today').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('.visit-card').count(), 1);
  await page.locator('.visit-card', { hasText: 'Trần Thị Bình' }).getByText('Chờ đồng bộ').waitFor();
  assert.match(await page.getByTestId('sync-state').textContent(), /chờ đồng bộ/);

  await context.setOffline(false);
  await page.locator('.visit-card', { hasText: 'Trần Thị Bình' }).getByText('Đã đồng bộ').waitFor({ timeout: 60_000 });
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 60_000 });

  const token = await server.login('tinhnguyen1');
  const visits = await server.visits(token);
  assert.equal(visits.length, 1, 'the server holds exactly the one visit left');
  assert.equal(visits[0].note, 'Bà cụ đã tự quét mã QR, con trai đã kích hoạt VNeID.');
  assert.equal(visits[0].revision, 2);
  assert.deepEqual(visits[0].skills, [
    { code: 'payment.qr', completed: false },
    { code: 'vneid.level2', completed: true },
  ]);
  assert.deepEqual(visits[0].people, { officials: 0, pupils: 0, adults: 2, elderly: 1, workers: 0 });
  const households = await server.households(token);
  assert.deepEqual(households.map((h) => h.head_name).sort(), ['Nguyễn Văn An', 'Trần Thị Bình']);
  assert.deepEqual(phone.errors, []);
});

test('the signal back while a sync is still failing for want of it: the phone syncs again at once', async () => {
  const { server } = world;
  const phone = await launchPhone({ serviceWorkers: 'block' });
  try {
    const { page, context } = phone;
    await page.goto(server.base);
    await page.fill('#username', 'tinhnguyen2');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('button[type=submit]');
    await page.getByRole('link', { name: '+ Ghi lượt thăm' }).waitFor();

    // The next open's sync is under way, its pull held on a dying signal, when the signal returns.
    // (Held from the reload on: the sign-in's own sync is over first.)
    await page.waitForLoadState('networkidle');
    let armed = false;
    let held;
    const holding = new Promise((resolve) => { held = resolve; });
    await page.route('**/api/v1/sync/pull*', async (route) => {
      if (!armed) return route.continue();
      armed = false;
      held();
      await new Promise((later) => setTimeout(later, 1_500));
      await route.abort('internetdisconnected');
    });
    armed = true;
    await page.reload();
    await holding;
    await context.setOffline(true);
    await context.setOffline(false);
    // Not left for the schedule's next turn (two minutes with nothing pending): a pull answers soon.
    await page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/v1/sync/pull' && response.ok(),
      { timeout: 10_000 },
    );
    assert.deepEqual(phone.errors, []);
  } finally {
    await phone.browser.close();
  }
});
