// One volunteer, two phones (her own and the one she borrows when hers is
// flat), both offline: on one she adds a note to a visit, on the other she
// changes its outcome. The first phone's edit reaches the server first; the
// second is told of the conflict and, saving the visit again, keeps both
// changes: the form opens merged and says so, and the note written on the
// other phone is never silently overwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, logNobodyHome, setUpServerAndPhones, signIn, syncedAll } from './server.mjs';

const world = setUpServerAndPhones('own', 'borrowed');

/** Opens the visit's form on `page`, lets `change` fill it, and saves it (offline: kept on the phone). */
async function editVisit(page, base, id, change) {
  await page.goto(`${base}/visits/${id}/edit`);
  await page.locator('#note').waitFor();
  await change(page);
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();
}

test('saving a visit again after a conflict keeps the other phone\'s change where this one made none', async () => {
  const { server, own, borrowed } = world;
  await signIn(own.page, server.base, 'tinhnguyen1');
  await signIn(borrowed.page, server.base, 'tinhnguyen1');
  await addHousehold(own.page, server.base, 'Đinh Văn Hòa', 'Xóm Giếng');
  await logNobodyHome(own.page);
  await syncedAll(own.page, server.base, 'Lan (own)');
  const token = await server.login('totruong');
  const [visit] = (await server.visits(token)).filter((v) => v.outcome === 'nobody_home');
  assert.ok(visit, 'the visit reached the server');
  await syncedAll(borrowed.page, server.base, 'Lan (borrowed)');
  await borrowed.page.locator(`.visit-card[data-visit-id="${visit.id}"]`).waitFor({ timeout: 60_000 });

  await own.context.setOffline(true);
  await borrowed.context.setOffline(true);
  await editVisit(own.page, server.base, visit.id, (page) => page.fill('#note', 'Con trai sẽ về cài giúp.'));
  await editVisit(borrowed.page, server.base, visit.id, (page) => page.getByRole('button', { name: 'Từ chối' }).click());

  await own.context.setOffline(false);
  await syncedAll(own.page, server.base, 'Lan (own)');
  await borrowed.context.setOffline(false);
  await borrowed.page.goto(`${server.base}/`);
  await borrowed.page.getByTestId('sync-state').filter({ hasText: '1 mục cần bạn xem lại' }).waitFor({ timeout: 60_000 });

  // She opens the visit again on the borrowed phone: merged, and it says so.
  await borrowed.page.goto(`${server.base}/visits/${visit.id}/edit`);
  await borrowed.page.getByTestId('edit-in-conflict').waitFor();
  assert.equal(await borrowed.page.inputValue('#note'), 'Con trai sẽ về cài giúp.', 'the other phone\'s note is in the form');
  assert.equal(await borrowed.page.getByRole('button', { name: 'Từ chối' }).getAttribute('aria-pressed'), 'true');
  await borrowed.page.click('button[type=submit]');
  await borrowed.page.getByTestId('today').waitFor();
  await syncedAll(borrowed.page, server.base, 'Lan (borrowed)');

  const stored = (await server.visits(token)).find((v) => v.id === visit.id);
  assert.equal(stored.outcome, 'declined', 'this phone\'s change');
  assert.equal(stored.note, 'Con trai sẽ về cài giúp.', 'the other phone\'s note is kept');
  await syncedAll(own.page, server.base, 'Lan (own)');
  await own.page.goto(`${server.base}/visits/${visit.id}/edit`);
  assert.equal(await own.page.inputValue('#note'), 'Con trai sẽ về cài giúp.');
  assert.equal(await own.page.getByRole('button', { name: 'Từ chối' }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual([...own.errors, ...borrowed.errors], []);
});
