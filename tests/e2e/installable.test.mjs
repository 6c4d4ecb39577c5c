// The app installs like an app: its manifest names PNG icons of 192 and
// 512 px and a maskable one, each served as what it says it is, and an
// iPhone finds its home-screen icon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpServerAndPhones } from './server.mjs';

const world = setUpServerAndPhones();

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG', 'a PNG file');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the manifest names PNG icons of 192 and 512 px and a maskable one, all served', async () => {
  const { base } = world.server;
  const manifest = await (await fetch(`${base}/manifest.webmanifest`)).json();
  const pngs = manifest.icons.filter((icon) => icon.type === 'image/png');
  assert.deepEqual(pngs.map((icon) => `${icon.sizes} ${icon.purpose}`).sort(),
    ['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of pngs) {
    const response = await fetch(`${base}${icon.src}`);
    assert.equal(response.status, 200, icon.src);
    assert.equal(response.headers.get('content-type'), 'image/png', icon.src);
    assert.equal(pngSize(Buffer.from(await response.arrayBuffer())), icon.sizes, icon.src);
  }
  const index = await (await fetch(`${base}/`)).text();
  const link = index.match(/<link[^>]*apple-touch-icon[^>]*>/)[0];
  const touchIcon = link.match(/href="?([^" >]+)/)[1];
  const response = await fetch(`${base}${touchIcon}`);
  assert.equal(pngSize(Buffer.from(await response.arrayBuffer())), '180x180', 'the iPhone home-screen icon');
});
