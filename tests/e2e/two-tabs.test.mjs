// Two tabs of the app on one phone share its storage and its sign-in. A tab
// left open must follow what the other tab saved: otherwise its next edit
// would be made from an older copy, and the server — which trusts a device's
// own versions — would answer it as a replay and the edit would be lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, setUpServerAndPhones, signIn } from './server.mjs';

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

test('two tabs each logging a new visit keep both, though both forms began from one draft', async () => {
  const { server, phone } = world;
  // A phone of its own (another volunteer), whatever the test above left signed in.
  const context = await phone.browser.newContext({
    viewport: { width: 360, height: 740 }, locale: 'vi-VN', isMobile: true, hasTouch: true,
  });
  const errors = [];
  const tab = async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  };
  const first = await tab();
  await signIn(first, server.base, 'tinhnguyen2');
  const householdIds = [];
  for (const [name, address] of [['Đào Thị Mơ', 'Số 3, xóm Giữa'], ['Hà Văn Nam', 'Số 4, xóm Giữa']]) {
    await addHousehold(first, server.base, name, address);
    householdIds.push(new URL(first.url()).pathname.split('/').pop());
  }
  const second = await tab();
  await second.goto(`${server.base}/`);
  await context.setOffline(true);

  // The volunteer opens the visit form in one tab, then in the other (a link from a chat, say),
  // before saving either: both start from the draft the first one keeps.
  await first.goto(`${server.base}/visits/new?household=${householdIds[0]}`);
  await first.getByRole('button', { name: 'Không có ai ở nhà' }).waitFor();
  await second.goto(`${server.base}/visits/new?household=${householdIds[1]}`);
  for (const page of [first, second]) {
    await page.getByRole('button', { name: 'Không có ai ở nhà' }).click();
    await page.click('button[type=submit]');
    await page.getByTestId('today').waitFor();
  }

  await context.setOffline(false);
  await syncedAll(first, server.base, 'the first tab');
  await syncedAll(second, server.base, 'the second tab');
  const visits = await server.visits(await server.login('tinhnguyen2'));
  const logged = householdIds.map((id) => visits.filter((visit) => visit.household_id === id).length);
  assert.deepEqual(logged, [1, 1], 'one visit to each household reached the server, neither replaced by the other');
  await context.close();
  assert.deepEqual(errors, []);
});
