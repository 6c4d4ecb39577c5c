// A phone whose browser storage is full cannot keep what a sync brings: it
// says so (not that the server answered wrongly), keeps what it has, and
// takes the changes in at a later sync once there is room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

const FULL = 'Bộ nhớ của trình duyệt đã đầy nên chưa nhận hết thay đổi từ máy chủ.';

/** Fills the page's local storage until the browser refuses, with keys that are not the app's. */
async function fillStorage(page) {
  return page.evaluate(() => {
    let count = 0;
    for (const size of [256 * 1024, 4 * 1024, 64]) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        try {
          localStorage.setItem(`filler.${count}`, chunk);
          count += 1;
        } catch {
          break;
        }
      }
    }
    return count;
  });
}

test('a sync that storage cannot keep says so, and a later one takes the changes in', async () => {
  const { server, phone } = world;
  const { page, errors } = phone;
  await signIn(page, server.base, 'tinhnguyen2');
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });
  assert.ok(await fillStorage(page) > 0);

  // A teammate records a household: this phone's next sync brings it.
  const token = await server.login('tinhnguyen1');
  const me = await (await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
  const household = {
    id: crypto.randomUUID(), village_id: me.villages[0].id, head_name: 'Tạ Văn Quế', address: 'Số 9, xóm Đình',
    consent: true, members: 2, revision: 1, base_revision: 0,
  };
  const pushed = await fetch(`${server.base}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ households: [household] }),
  });
  assert.equal(pushed.status, 200);

  await page.reload();
  await page.getByRole('alert').filter({ hasText: FULL }).first().waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText('nên chưa lưu được').count(), 0, 'said once, for the sync, not as a failed save');
  await page.goto(`${server.base}/households`);
  assert.equal(await page.locator('.household-card', { hasText: 'Tạ Văn Quế' }).count(), 0);

  // Room is made; the next sync takes the household in and the warning goes.
  await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('filler.')).forEach((key) => localStorage.removeItem(key)));
  await page.goto(`${server.base}/`);
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 30_000 });
  await page.goto(`${server.base}/households`);
  await page.locator('.household-card', { hasText: 'Tạ Văn Quế' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText(FULL).count(), 0);
  assert.deepEqual(errors, []);
});
