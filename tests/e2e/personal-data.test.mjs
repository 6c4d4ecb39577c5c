// A household's personal data is kept only with its agreement, and when a
// coordinator erases it on request the erasure reaches every phone of the team.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('trang', 'huy');

const shots = process.env.GOCUA_SHOTS;

async function synced(page) {
  await page.goto(page.url().split('/').slice(0, 3).join('/') + '/');
  await page.getByText('Đã đồng bộ tất cả').waitFor({ timeout: 60_000 });
}

async function storedWith(page, text) {
  return page.evaluate((needle) => Object.keys(localStorage)
    .filter((key) => key.startsWith('gocua.') && (localStorage.getItem(key) ?? '').includes(needle)), text);
}

test('consent is asked, and an erasure reaches both phones of the team', async () => {
  const { server, trang, huy } = world;
  await signIn(trang.page, server.base, 'tinhnguyen1');
  await signIn(huy.page, server.base, 'tinhnguyen2');
  const page = trang.page;

  // The form asks before anything is kept.
  await page.goto(`${server.base}/households/new`);
  await page.selectOption('#household-village', { label: 'Thôn Bắc' });
  await page.click('button[type=submit]');
  await page.getByText('Hãy đọc lời thông báo cho hộ nghe').waitFor();
  await page.getByText('Chỉ thành viên tổ và cán bộ xã phụ trách được xem').waitFor();
  await shot(page, 'household-consent');

  // A household that says no: only its village is kept.
  await page.getByLabel('Hộ không đồng ý: chỉ ghi thôn và số người').check();
  assert.equal(await page.locator('#head-name').count(), 0, 'no name field without agreement');
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Hộ không cho ghi thông tin' }).waitFor();

  // A household that agrees.
  await page.goto(`${server.base}/households/new`);
  await page.selectOption('#household-village', { label: 'Thôn Bắc' });
  await page.getByLabel('Hộ đồng ý cho ghi họ tên, địa chỉ, số điện thoại').check();
  await page.fill('#head-name', 'Vũ Văn Hải');
  await page.fill('#address', 'Số 21, xóm Đình');
  await page.fill('#phone', '0987 654 321');
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Vũ Văn Hải' }).waitFor();
  await synced(page);
  await synced(huy.page);
  await huy.page.goto(`${server.base}/households`);
  await huy.page.locator('.household-card', { hasText: 'Vũ Văn Hải' }).waitFor();
  await shot(huy.page, 'households-with-anonymous');

  // The household asks the commune to delete its data.
  const coordinator = await server.login('dieuphoi');
  const [household] = (await server.households(coordinator)).filter((h) => h.head_name === 'Vũ Văn Hải');
  const response = await fetch(`${server.base}/api/v1/households/${household.id}/personal-data`, {
    method: 'DELETE', headers: { authorization: `Bearer ${coordinator}` },
  });
  assert.equal(response.status, 200);

  // Both phones learn it at their next sync; nothing of it stays on either.
  for (const [who, phone] of [['Trang', trang.page], ['Huy', huy.page]]) {
    await phone.reload();
    await synced(phone);
    await phone.goto(`${server.base}/households`);
    await phone.locator('.household-card').first().waitFor();
    assert.equal(await phone.locator('.household-card', { hasText: 'Vũ Văn Hải' }).count(), 0, `${who} shows no name`);
    assert.equal(await phone.locator('.household-card', { hasText: 'Hộ không cho ghi thông tin' }).count(), 2);
    for (const trace of ['Vũ Văn Hải', 'Số 21, xóm Đình', '0987654321']) {
      assert.deepEqual(await storedWith(phone, trace), [], `${who}'s phone keeps no "${trace}"`);
    }
  }
  assert.deepEqual([...trang.errors, ...huy.errors], []);
});

test('an edit made offline before an erasure goes on without its note', async () => {
  // Signed in by the test above (the phones and the server are shared).
  const { server, trang } = world;
  const page = trang.page;
  await addHousehold(page, server.base, 'Đinh Thị Gấm', 'Số 4, xóm Chùa');
  await page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).click();
  await page.click('[aria-label="Thêm một người – Người dân trưởng thành"]');
  await page.locator('[data-skill="vneid.level2"] >> text=Hướng dẫn').click();
  await page.fill('#note', 'Chị Gấm nhờ gọi cho con trai.');
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();
  await synced(page);

  // Offline, Trang teaches one more skill and writes more about the person.
  await trang.context.setOffline(true);
  await page.locator('.visit-card', { hasText: 'Đinh Thị Gấm' }).locator('a').click();
  await page.locator('[data-skill="payment.qr"] >> text=Hướng dẫn').click();
  await page.fill('#note', 'Chị Gấm ở số 4, con trai làm ở Hà Nội.');
  await page.click('button[type=submit]');
  await page.getByTestId('today').waitFor();

  // Meanwhile the household asks the commune to delete its data.
  const coordinator = await server.login('dieuphoi');
  const [household] = (await server.households(coordinator)).filter((h) => h.head_name === 'Đinh Thị Gấm');
  const response = await fetch(`${server.base}/api/v1/households/${household.id}/personal-data`, {
    method: 'DELETE', headers: { authorization: `Bearer ${coordinator}` },
  });
  assert.equal(response.status, 200);

  // Her signal returns: the skill she taught reaches the server, what she wrote about the person
  // does not, and nothing of it stays on her phone.
  await trang.context.setOffline(false);
  await synced(page);
  const token = await server.login('tinhnguyen1');
  const [visit] = (await server.visits(token)).filter((v) => v.household_id === household.id);
  assert.equal(visit.note, '');
  assert.deepEqual(visit.skills.map((skill) => skill.code).sort(), ['payment.qr', 'vneid.level2']);
  assert.equal(visit.text_erased_revision, 2, 'blanked at revision 2, her edit stored over it');
  assert.equal(visit.revision, 3);
  for (const trace of ['Chị Gấm', 'con trai', 'Đinh Thị Gấm']) {
    assert.deepEqual(await storedWith(page, trace), [], `the phone keeps no "${trace}"`);
  }
  await page.locator('.visit-card').first().waitFor();
  assert.equal(await page.getByText('Chị Gấm').count(), 0);
  assert.deepEqual(trang.errors, []);
});

async function shot(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}
