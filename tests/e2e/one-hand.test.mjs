// One hand, one screen at a time: every screen, signed in as each role, on
// the narrowest phone still sold (320 px wide), fits without sideways
// scrolling, and everything a thumb taps is at least 48 px tall; a typical
// visit takes at most 8 taps and no typing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { addHousehold, launchPhone, logNobodyHome, setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('thumb');
// axe-core is injected into the page: this phone lets the test's script past the app's Content-Security-Policy.
const axe = fileURLToPath(new URL('../../tools/node/node_modules/axe-core/axe.min.js', import.meta.url));

/** What a screen does wrong at this width: sideways scroll, tap targets under 48 px, and axe-core's violations. */
async function problems(page) {
  await page.addScriptTag({ path: axe });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((violation) => `axe ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(' | ')}`));
  return violations.concat(await page.evaluate(() => {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      const wide = [...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
        .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
      found.push(`scrolls sideways (${root.scrollWidth} > ${root.clientWidth}): ${[...new Set(wide)].slice(0, 5).join(', ')}`);
    }
    const targets = document.querySelectorAll('button, a, select, input, summary, [role=button]');
    for (const target of targets) {
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown
      // A link inside a sentence is text, not a button: WCAG's inline exception.
      const inline = target.tagName === 'A' && getComputedStyle(target).display === 'inline';
      const choice = target.tagName === 'INPUT' && ['checkbox', 'radio'].includes(target.type) && target.closest('label');
      if (inline || choice) continue;
      if (box.height < 47.5) {
        const name = (target.getAttribute('aria-label') || target.textContent || target.id || '').trim().slice(0, 30);
        found.push(`${target.tagName.toLowerCase()} "${name}" is ${Math.round(box.height)} px tall`);
      }
    }
    return found;
  }));
}

async function walk(page, base, paths) {
  const report = {};
  for (const path of paths) {
    await page.goto(`${base}${path}`);
    await page.locator('main, .page').first().waitFor();
    await page.waitForTimeout(400);
    const found = await problems(page);
    if (found.length) report[path] = found;
  }
  return report;
}

test('every screen fits 320 px and has thumb-sized targets, for each role', async () => {
  const { server } = world;
  const phone = await launchPhone({ viewport: { width: 320, height: 640 }, bypassCSP: true });
  after(() => phone.browser.close());
  const { page, errors } = phone;
  const report = {};

  Object.assign(report, await walk(page, server.base, ['/login', '/join', '/no-such-page']));
  await signIn(page, server.base, 'tinhnguyen1');
  Object.assign(report, await walk(page, server.base, [
    '/', '/households', '/households/new', '/visits/new', '/community-sessions', '/community-sessions/new',
    '/data', '/account',
  ]));
  await addHousehold(page, server.base, 'Nguyễn Thị Hồng Nhung', 'Số 128, ngõ 7, đường Nguyễn Trãi');
  await logNobodyHome(page);
  report['/ with a visit'] = await problems(page);
  if (!report['/ with a visit'].length) delete report['/ with a visit'];
  await page.goto(`${server.base}/households`);
  await page.locator('.household-card a').first().click();
  await page.getByRole('link', { name: 'Ghi lượt thăm hộ này' }).waitFor();
  report['/households/:id'] = await problems(page);
  if (!report['/households/:id'].length) delete report['/households/:id'];

  for (const user of ['totruong', 'dieuphoi']) {
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.locator('#username').waitFor();
    await signIn(page, server.base, user);
    for (const [path, found] of Object.entries(await walk(page, server.base, ['/', '/reports', '/account', '/commune']))) {
      report[`${user} ${path}`] = found;
    }
  }
  // The Department of the city: its province's view and its account.
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.fill('#username', 'so-khcn');
  await page.fill('#password', 'gocua-demo');
  await page.click('button[type=submit]');
  await page.getByTestId('province').waitFor();
  for (const [path, found] of Object.entries(await walk(page, server.base, ['/province', '/account']))) {
    report[`so-khcn ${path}`] = found;
  }
  assert.deepEqual(report, {});
  assert.deepEqual(errors, []);
});

test('a typical visit — known household, guided, two people, two skills — is 8 taps, no typing', async () => {
  const { server, thumb } = world;
  const { page, errors } = thumb;
  await signIn(page, server.base, 'tinhnguyen2');
  await addHousehold(page, server.base, 'Vi Thị Lan', 'Số 3, bản Mường');
  await page.goto(server.base);
  await page.getByTestId('today').waitFor();

  let taps = 0;
  const tap = async (locator) => {
    await locator.click();
    taps += 1;
  };
  await tap(page.getByRole('link', { name: '+ Ghi lượt thăm' }));
  await tap(page.locator('.pick', { hasText: 'Vi Thị Lan' }));
  await tap(page.getByRole('button', { name: 'Đã hướng dẫn' }));
  await tap(page.getByRole('button', { name: 'Thêm một người – Người dân trưởng thành' }));
  await tap(page.getByRole('button', { name: 'Thêm một người – Người dân trưởng thành' }));
  // The skills most taught come first, unfolded; the other programmes are folded away.
  const skills = page.locator('fieldset.skills');
  assert.equal(await skills.locator('.skill:visible').count(), 5, 'five skills offered first');
  assert.ok(await skills.locator('details.skill-group').count() >= 5, 'the rest folded by programme');
  await tap(skills.locator('[data-skill="vneid.level2"]').getByRole('button', { name: 'Hoàn thành' }));
  await tap(skills.locator('[data-skill="payment.qr"]').getByRole('button', { name: 'Hướng dẫn' }));
  await tap(page.getByRole('button', { name: 'Lưu lượt thăm' }));
  await page.getByTestId('today').waitFor();
  assert.match(await page.getByTestId('today').textContent(), /1 lượt gõ cửa · 2 người/);
  assert.ok(taps <= 8, `${taps} taps`);

  // The next visit offers what this volunteer taught first, and a skill of another programme unfolds in one tap.
  await page.getByRole('link', { name: '+ Ghi lượt thăm' }).click();
  await page.locator('.pick', { hasText: 'Vi Thị Lan' }).click();
  await page.getByRole('button', { name: 'Đã hướng dẫn' }).click();
  const first = await skills.locator('.skill:visible').evaluateAll((rows) => rows.map((row) => row.dataset.skill));
  assert.deepEqual(first.slice(0, 2).sort(), ['payment.qr', 'vneid.level2']);
  await skills.getByText('Y tế số').click();
  await skills.locator('[data-skill="health.record"]').getByRole('button', { name: 'Hướng dẫn' }).click();
  assert.deepEqual(errors, []);
});

test('a long list of households says how many it shows and how to find the rest', async () => {
  const { server } = world;
  const token = await server.login('tinhnguyen2');
  const me = await (await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
  const households = Array.from({ length: 120 }, (_, at) => ({
    id: crypto.randomUUID(), village_id: me.villages[0].id, head_name: `Hộ số ${at + 1}`, address: `Số ${at + 1}`,
    consent: true, members: 3, revision: 1, base_revision: 0,
  }));
  const pushed = await fetch(`${server.base}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ households }),
  });
  assert.equal(pushed.status, 200);

  const phone = await launchPhone();
  after(() => phone.browser.close());
  const { page, errors } = phone;
  await signIn(page, server.base, 'tinhnguyen1');
  await page.goto(`${server.base}/households`);
  const cut = page.getByTestId('households-cut');
  await cut.getByText(/^Đang hiện 100 trong \d+ hộ\. Gõ tên hoặc chọn thôn để tìm các hộ khác\.$/).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('.household-card').count(), 100);
  await page.getByRole('searchbox').fill('Hộ số 120');
  await page.locator('.household-card', { hasText: 'Hộ số 120' }).waitFor();
  assert.equal(await cut.count(), 0, 'a list that fits says nothing more');
  assert.deepEqual(errors, []);
});
