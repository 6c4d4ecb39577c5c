// Runs before the app: installs the service worker that keeps the app
// openable offline, and asks the browser not to evict the phone's data.
// Kept in a file (not inline) so the Content-Security-Policy needs no 'unsafe-inline'.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { updateViaCache: 'none' }).catch((error) => {
      console.warn('Gõ Cửa: service worker not installed', error);
    });
  });
}
if (navigator.storage && navigator.storage.persist) {
  navigator.storage.persisted().then((persisted) => persisted || navigator.storage.persist());
}
