// A volunteer choosing a household for a visit while the phone syncs in the
// background: a teammate's household that arrives meanwhile does not move the
// buttons under her thumb; it is there once she types. And home's buttons stay
// put while a sync starts, fails, is retried and ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn, addHousehold, logNobodyHome } from './server.mjs';

const world = setUpServerAndPhones('phone', 'homePhone');

test('a sync does not move the household picker under a thumb', async () => {
  const { server, phone } = world;
  const { page, context } = phone;
  await signIn(page, server.base, 'tinhnguyen1');
  await addHousehold(page, server.base, 'Phạm Văn Tâm', 'Số 3, xóm Giữa');
  await page.goto(`${server.base}/visits/new`);
  const picks = page.locator('.picker button.pick');
  await picks.first().waitFor();
  const before = await picks.allTextContents();

  // A teammate records a household; this phone pulls it when it is back online.
  const teammate = await server.login('tinhnguyen2');
  const me = await (await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${teammate}` } })).json();
  const id = '0193a3c4-0000-7f80-9a1b-2c3d4e5f6a70';
  const pushed = await fetch(`${server.base}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${teammate}`, 'content-type': 'application/json' },
    body: JSON.stringify({ households: [{ id, village_id: me.villages[0].id, head_name: 'Hà Thị Sen', address: 'Số 9, xóm Đình', consent: true }] }),
  });
  assert.equal(pushed.status, 200);
  const pulled = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/me' && response.ok());
  await context.setOffline(true);
  await context.setOffline(false);
  await pulled;
  await page.waitForTimeout(500);
  assert.deepEqual(await picks.allTextContents(), before, 'the buttons stay where they were');

  // Typing asks again, and the teammate's household is there.
  await page.getByLabel('Chọn hộ (gõ tên hoặc địa chỉ để tìm)').fill('Sen');
  await picks.filter({ hasText: 'Hà Thị Sen' }).click();
  await page.getByRole('button', { name: 'Đổi hộ' }).waitFor();
  assert.deepEqual(phone.errors, []);
});

test("a sync that starts, fails and ends does not move home's buttons", async () => {
  const { server, homePhone: phone } = world;
  const { page } = phone;
  await signIn(page, server.base, 'tinhnguyen1');
  await addHousehold(page, server.base, 'Lò Văn Pợ', 'Số 5, bản Mường');
  const synced = page.getByTestId('sync-state').filter({ hasText: 'Đã đồng bộ tất cả' });
  await page.goto(server.base);
  await synced.waitFor();
  const home = page.locator('main');
  const newVisit = home.getByRole('link', { name: '+ Ghi lượt thăm' });
  const households = home.getByRole('link', { name: 'Hộ gia đình', exact: true });
  // Where a thumb finds them: their place in the viewport (nothing here scrolls).
  const places = async () => [(await newVisit.boundingBox()).y, (await households.boundingBox()).y];
  // Before the visit below is logged: logging it changes only the tallies' numbers, not their height.
  const atRest = await places();

  // Pushes wait at a gate: the first fails, the next goes through when let.
  let fail = true;
  let letThrough;
  const gate = new Promise((resolve) => { letThrough = resolve; });
  await page.route('**/api/v1/sync/push', async (route) => {
    if (fail) {
      fail = false;
      await route.abort('internetdisconnected');
    } else {
      await gate;
      await route.continue();
    }
  });
  await households.click();
  await page.getByText('Lò Văn Pợ').first().click();
  await logNobodyHome(page);
  const retry = page.getByRole('button', { name: 'Đồng bộ ngay' });
  await retry.waitFor();
  await home.locator('.sync-bar .error').waitFor();
  assert.deepEqual(await places(), atRest, 'a failed sync, with its error and "Đồng bộ ngay", moves nothing');
  // The schedule's own retry (7.5 s or more after the page opened) may start first and hide
  // the button: either way the next push waits at the gate, and the sync is under way.
  const syncing = page.getByTestId('sync-state').filter({ hasText: 'Đang đồng bộ…' });
  await Promise.race([retry.click().catch(() => {}), syncing.waitFor()]);
  await syncing.waitFor();
  assert.deepEqual(await places(), atRest, 'a sync under way moves nothing');
  letThrough();
  await synced.waitFor();
  assert.deepEqual(await places(), atRest, 'a sync that ends moves nothing');
  assert.deepEqual(phone.errors, []);
});
