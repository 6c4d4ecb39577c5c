// One hand, one screen at a time: every screen, signed in as each role, on
// the narrowest phone still sold (320 px wide), fits without sideways
// scrolling, and everything a thumb taps is at least 48 px tall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, logNobodyHome, setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

/** What a screen does wrong at this width: sideways scroll, and tap targets under 48 px. */
async function problems(page) {
  return page.evaluate(() => {
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
  });
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
  const { server, phone } = world;
  const { page, errors } = phone;
  await page.setViewportSize({ width: 320, height: 640 });
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
  assert.deepEqual(report, {});
  assert.deepEqual(errors, []);
});
