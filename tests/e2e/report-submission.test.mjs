// A commune coordinator sends the quarter's report upward from the reports
// screen: the screen says where it stands, before and after, and the server
// keeps the report as it was sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

test('a coordinator submits the quarterly report and sees it submitted', async () => {
  const { server, phone } = world;
  const { page } = phone;
  await signIn(page, server.base, 'dieuphoi');
  await page.getByRole('link', { name: 'Báo cáo và xuất dữ liệu' }).click();

  const standing = page.getByTestId('submission-standing');
  await standing.getByText(/^(Chưa nộp|Quá hạn, chưa nộp)$/).waitFor();
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    dialog.accept();
  });
  await page.getByTestId('submit-report').getByText('Nộp báo cáo lên cấp trên').click();
  await standing.getByText(/^Đã nộp (đúng|trễ) hạn$/).waitFor();
  assert.match(asked, /số liệu hiện tại/, 'the coordinator is told the figures are kept as they are');
  await page.getByTestId('submission-sent').getByText(/Đã nộp lúc .* bởi Trần Thị Hoa\./).waitFor();
  await page.getByTestId('submit-report').getByText('Nộp lại với số liệu hiện tại').waitFor();

  const token = await server.login('dieuphoi');
  const response = await fetch(`${server.base}/api/v1/reports/quarterly/submission`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const status = await response.json();
  assert.equal(status.submission.times, 1);
  assert.equal(status.submission.report.commune, 'Kiến Minh');
  assert.deepEqual(phone.errors, []);
});
