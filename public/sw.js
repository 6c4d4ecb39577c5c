// Gõ Cửa's service worker: keeps the app shell on the phone so it opens
// with no signal.
//
// Each build gets its own cache, filled completely at install; if any file
// fails to download, the install fails and the previous build stays in
// charge with its cache intact. Old caches are deleted only once the new
// one is complete and active. Page loads try the network first (so a new
// build arrives on the next online load) and fall back to the cached shell.
// The API is never cached: visits live in local storage, not here.
//
// BUILD and PRECACHE are written by scripts/stamp-service-worker.sh.
const BUILD = 'dev';
const PRECACHE = [];
const CACHE = `gocua-shell-${BUILD}`;
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('gocua-shell-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  event.respondWith(request.mode === 'navigate' ? shellFirstFromNetwork(request) : assetFromCache(request));
});

async function shellFirstFromNetwork(request) {
  try {
    const response = await fetchWithin(request, NAVIGATION_TIMEOUT_MS);
    if (response.ok) {
      return response;
    }
  } catch (_) {
    // Offline or too slow: the cached shell below.
  }
  const cache = await caches.open(CACHE);
  return (await cache.match('/index.html')) || (await caches.match('/index.html')) || Response.error();
}

async function assetFromCache(request) {
  const cache = await caches.open(CACHE);
  const cached = (await cache.match(request)) || (await caches.match(request));
  return cached || fetch(request);
}

function fetchWithin(request, milliseconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), milliseconds);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
