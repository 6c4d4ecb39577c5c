// A team leader opens the reports screen and downloads the team's visit log:
// the file holds exactly the visits the server has for the team.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setUpServerAndPhones, signIn } from './server.mjs';

const world = setUpServerAndPhones('phone');

/** Records of a CSV after its header; line breaks inside quotes stay inside a cell. */
function csvRecords(text) {
  let quoted = false;
  let breaks = 0;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) breaks += 1;
  }
  return breaks - 1;
}

async function push(token, body) {
  const response = await fetch(`${world.server.base}/api/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
}

test('a leader downloads the visit log and it matches the server', async () => {
  const { server, phone } = world;
  // Two volunteers of the team log visits today; one note spans two lines.
  const me = await (await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${await server.login('tinhnguyen1')}` } })).json();
  const household = { id: crypto.randomUUID(), village_id: me.villages[0].id, head_name: 'Nguyễn Thị Hằng', address: 'Số 5, xóm Mới', consent: true };
  const now = new Date(Date.now() - 60_000).toISOString();
  const visit = (note) => ({ id: crypto.randomUUID(), household_id: household.id, outcome: 'nobody_home', note, visited_at: now });
  const trang = await server.login('tinhnguyen1');
  await push(trang, { households: [household], visits: [visit('Lần 1'), visit('Hẹn chiều\nquay lại')] });
  await push(await server.login('tinhnguyen2'), { visits: [visit('=1+1')] });

  const { page, context } = phone;
  await signIn(page, server.base, 'totruong');
  await page.getByRole('link', { name: 'Báo cáo và xuất dữ liệu' }).click();

  // This month's figures for the team, drawn and tabled.
  await page.getByTestId('doors').getByText('3', { exact: true }).waitFor();
  await page.locator('.chart.bars').first().waitFor();
  // Chart words are text at a readable size on a phone, not SVG text shrunk with the drawing.
  const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('.chart-label, .chart-figure')]
    .map((label) => parseFloat(getComputedStyle(label).fontSize))));
  assert.ok(smallest >= 14, `chart labels are ${smallest} px`);
  await page.locator('table.figures', { hasText: 'Người dân trưởng thành' }).waitFor();
  await page.getByText('Không có hộ nào đang chờ.').waitFor();
  if (process.env.GOCUA_SHOTS) await page.screenshot({ path: `${process.env.GOCUA_SHOTS}/dashboard.png`, fullPage: true });

  // Offline, the last figures loaded stay readable, with the time they are from.
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('doors').getByText('3', { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByTestId('figures-time').getByText('số liệu lúc', { exact: false }).waitFor();
  await page.getByText('Cần có mạng', { exact: false }).first().waitFor();
  await context.setOffline(false);
  await page.reload();
  await page.getByTestId('doors').waitFor();

  await page.locator('#period').selectOption({ label: 'Quý này' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Tải CSV' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeffNgày thăm,'), 'a BOM and Vietnamese headers');
  const onServer = (await server.visits(await server.login('totruong'))).length;
  assert.equal(onServer, 3);
  assert.equal(csvRecords(text), onServer, 'one row per visit of the team');
  assert.ok(text.includes("'=1+1"), 'a formula stays text');
  await page.getByTestId('export-message').getByText(`${onServer} lượt thăm`).waitFor();

  const [workbook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Tải Excel (XLSX)' }).click(),
  ]);
  assert.match(workbook.suggestedFilename(), /^luot-tham-\d{8}\.xlsx$/);
  assert.equal(readFileSync(await workbook.path()).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');

  // The quarterly report: shown with its due date, and printed on one A4 page.
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  await page.getByTestId('report-due').getByText(/Hạn gửi báo cáo: 10\/(03|06|09|12)\/\d{4}/).waitFor();
  await page.locator('.report-sheet table.figures', { hasText: 'Tổ CNSCĐ thôn Đông' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.top-bar').isVisible(), false, 'printing shows the report alone');
  const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
  if (process.env.GOCUA_SHOTS) await page.screenshot({ path: `${process.env.GOCUA_SHOTS}/report-print.png`, fullPage: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, 'one A4 page');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(phone.errors, []);
});
