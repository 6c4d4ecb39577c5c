// Gõ Cửa's service worker: keeps the app shell on the phone so it opens at
// once, with no signal or a crawling one.
//
// Each build gets its own cache, filled completely at install (each file
// fetched once); if any file fails to download, the install fails and the
// previous build stays in charge with its cache intact. Pages open from the
// cache of the build in charge, never waiting on the network; the network
// is asked only when nothing is cached yet (the very first visit). A new
// build installs in the background and then waits: the app offers
// "Có phiên bản mới" at a safe moment (never in the middle of a form) and
// posts `apply-update`; only then does it take over, and its old caches are
// deleted. The API is never cached: visits live in local storage, not here.
//
// BUILD and PRECACHE are written by scripts/stamp-service-worker.sh.
const BUILD = 'dev';
const PRECACHE = [];
const CACHE = `gocua-shell-${BUILD}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' }))))
      // The first build on this phone has nothing to replace: it takes charge at once.
      .then(() => (self.registration.active ? undefined : self.skipWaiting())),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'apply-update') {
    self.skipWaiting();
  }
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
  event.respondWith(request.mode === 'navigate' ? shell(request) : asset(request));
});

// Every page of the app is the same shell; the app's router shows the page.
async function shell(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match('/index.html')) || fetch(request);
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || fetch(request);
}
