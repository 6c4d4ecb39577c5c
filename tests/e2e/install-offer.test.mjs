// Installing like an app, as three volunteers meet it: one opens the link a
// leader shared in Zalo and is told to open it in Chrome; one on Android
// Chrome is offered to install only after saving a first visit, and the
// tap opens the browser's own dialog; one on an iPhone gets the Share-menu
// steps at the same moment, and "later" holds across a reload.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { addHousehold, launchPhone, logNobodyHome, signIn, startServer } from './server.mjs';

const ZALO_ANDROID = 'Mozilla/5.0 (Linux; Android 13; SM-A145F; wv) AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Zalo android/12100664 ZaloTheme/light ZaloLanguage/vi';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) '
  + 'Version/17.5 Mobile/15E148 Safari/604.1';
const INSTALL_TITLE = 'Đưa Gõ Cửa ra màn hình chính';

const server = await startServer();
const phones = [];
after(async () => {
  for (const phone of phones) await phone.browser.close();
  await server.stop();
});
async function phone(options) {
  const launched = await launchPhone(options);
  phones.push(launched);
  return launched;
}

/** Logs a "nobody home" visit to a new household, and comes back home. */
async function logFirstVisit(page, headName, address) {
  await addHousehold(page, server.base, headName, address);
  await logNobodyHome(page);
}

test('inside Zalo, the app says to open it in Chrome, once per tab', async () => {
  const { page, errors } = await phone({ userAgent: ZALO_ANDROID });
  await page.goto(server.base);
  const notice = page.getByRole('dialog', { name: 'Hãy mở Gõ Cửa bằng Chrome' });
  await notice.waitFor();
  await notice.getByText('trình duyệt của Zalo').waitFor();
  const chrome = notice.getByRole('link', { name: 'Mở bằng Chrome' });
  assert.match(await chrome.getAttribute('href'), /^intent:\/\/127\.0\.0\.1:\d+\/.*#Intent;scheme=http;package=com\.android\.chrome;end$/);
  await notice.getByText('Chọn “Mở bằng trình duyệt”.').waitFor();

  await notice.getByRole('button', { name: 'Sao chép đường dẫn' }).click();
  // Headless Chromium may refuse the clipboard; either way the volunteer is told what happened.
  await notice.getByRole('status').filter({ hasText: /sao chép/i }).waitFor();

  await notice.getByRole('button', { name: 'Vẫn dùng trong Zalo' }).click();
  await page.locator('#username').waitFor();
  assert.equal(await notice.count(), 0);
  await page.reload();
  await page.locator('#username').waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0, 'asked once per tab');
  assert.deepEqual(errors, []);
});

test('Android Chrome offers to install after the first saved visit, not at first sight', async () => {
  const { page, context, errors } = await phone();
  // What Chrome fires at every page load while the app can be installed.
  await context.addInitScript(() => {
    window.promptsOpened = 0;
    window.addEventListener('load', () => setTimeout(() => {
      const event = new Event('beforeinstallprompt', { cancelable: true });
      event.prompt = () => { window.promptsOpened += 1; return Promise.resolve(); };
      event.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' });
      window.dispatchEvent(event);
    }));
  });
  await signIn(page, server.base, 'tinhnguyen1');
  await page.waitForFunction(() => document.documentElement.dataset.install === 'ready');
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('heading', { name: INSTALL_TITLE }).count(), 0, 'not at first sight');

  await logFirstVisit(page, 'Lò Văn Sáng', 'Số 1, xóm Giữa');
  await page.getByRole('heading', { name: INSTALL_TITLE }).waitFor();
  await page.getByRole('button', { name: 'Cài đặt' }).click();
  await page.getByRole('heading', { name: INSTALL_TITLE }).waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.promptsOpened), 1, "the browser's own install dialog opened");
  assert.deepEqual(errors, []);
});

test('an iPhone gets the Share-menu steps after the first visit, and "later" holds', async () => {
  const { page, errors } = await phone({ userAgent: SAFARI_IPHONE });
  await signIn(page, server.base, 'tinhnguyen2');
  assert.equal(await page.getByRole('heading', { name: INSTALL_TITLE }).count(), 0, 'not at first sight');

  await logFirstVisit(page, 'Hà Thị Mây', 'Số 40, xóm Bến');
  const offer = page.locator('.install-offer');
  await offer.getByRole('heading', { name: INSTALL_TITLE }).waitFor();
  await offer.getByText('Safari xoá dữ liệu của trang sau 7 ngày không mở').waitFor();
  await offer.getByText('Chọn “Thêm vào MH chính”, rồi bấm “Thêm”.').waitFor();
  assert.equal(await offer.getByRole('button', { name: 'Cài đặt' }).count(), 0, 'Safari has no install dialog');

  await offer.getByRole('button', { name: 'Để sau' }).click();
  await offer.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByTestId('today').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.install-offer').count(), 0, '"later" is kept on the phone');
  assert.deepEqual(errors, []);
});
