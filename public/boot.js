// Runs before the app: installs the service worker that keeps the app
// openable offline, tells the app when a new build is ready, and asks the
// browser not to evict the phone's data.
// Kept in a file (not inline) so the Content-Security-Policy needs no 'unsafe-inline'.

// A panic stops the app's WASM where it is (scripts/build-app.sh builds it to
// abort at once), and the browser reports a WebAssembly.RuntimeError — as it
// does for an allocation that fails. A WASM file that cannot be compiled or
// linked (a new one beside an old glue) stops the start the same way. The
// screen is dead then, so put index.html's recovery screen in its place.
{
  const showCrashed = (error) => {
    const screen = document.getElementById('crashed');
    const stopped = [WebAssembly.RuntimeError, WebAssembly.CompileError, WebAssembly.LinkError];
    if (!stopped.some((kind) => error instanceof kind) || !screen) return;
    console.error('Gõ Cửa stopped:', error);
    if (document.documentElement.hasAttribute('data-crashed')) return;
    document.documentElement.setAttribute('data-crashed', '');
    document.body.replaceChildren(screen.content.cloneNode(true));
  };
  window.addEventListener('error', (event) => showCrashed(event.error));
  window.addEventListener('unhandledrejection', (event) => showCrashed(event.reason));
}
if ('serviceWorker' in navigator) {
  let applying = false;
  // How long a tapped update may wait for the new build to take charge before the page reloads anyway.
  const APPLY_PATIENCE_MS = 5000;
  // The app shows "Có phiên bản mới" on this event, and answers with `gocua:apply-update`.
  // Marked on <html> too: the app may start after the announcement.
  const announce = () => {
    document.documentElement.setAttribute('data-update', 'ready');
    window.dispatchEvent(new Event('gocua:update-ready'));
  };
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register('/sw.js', { updateViaCache: 'none' })
      .then((registration) => {
        const watch = (worker) => {
          worker.addEventListener('statechange', () => {
            // Installed beside a build in charge: ready, waiting for the volunteer.
            if (worker.state === 'installed' && navigator.serviceWorker.controller) announce();
          });
        };
        if (registration.waiting && navigator.serviceWorker.controller) announce();
        if (registration.installing) watch(registration.installing);
        registration.addEventListener('updatefound', () => watch(registration.installing));
        // The page opened from the phone's copy: look for a new build now, in the background.
        registration.update().catch(() => {});
        window.addEventListener('gocua:apply-update', () => {
          applying = true;
          const waiting = registration.waiting;
          // Nothing waits any more: the new build already took charge (see
          // `controllerchange` below), so opening the page again opens it.
          if (!waiting) {
            window.location.reload();
            return;
          }
          waiting.postMessage({ type: 'apply-update' });
          // The old build may still be busy answering a request, which holds
          // the new one back; a reload lets it go, and never strands the tap.
          setTimeout(() => window.location.reload(), APPLY_PATIENCE_MS);
        });
      })
      .catch((error) => {
        console.warn('Gõ Cửa: service worker not installed', error);
      });
  });
  // The new build took charge because the volunteer asked: open it. It may
  // also take charge by itself (the browser lets a waiting build in when no
  // page of the old one is open for a moment): this page is then the old
  // build under the new one, so it is offered like any new build. The very
  // first build taking charge of a page that had none is no news.
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (applying) window.location.reload();
    else if (hadController) announce();
  });
}
if (navigator.storage && navigator.storage.persist) {
  navigator.storage.persisted().then((persisted) => persisted || navigator.storage.persist());
}
// The browser's own install offer (Chrome on Android) fires once, early,
// maybe before the app runs: kept here until the app offers to install at
// a sensible moment (after the first saved visit), marked on <html> and
// announced with `gocua:install-ready`; the app answers with `gocua:install`.
let installPrompt = null;
const installDone = () => {
  installPrompt = null;
  document.documentElement.removeAttribute('data-install');
  window.dispatchEvent(new Event('gocua:install-done'));
};
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  installPrompt = event;
  document.documentElement.setAttribute('data-install', 'ready');
  window.dispatchEvent(new Event('gocua:install-ready'));
});
window.addEventListener('gocua:install', () => {
  if (!installPrompt) return;
  const prompt = installPrompt;
  Promise.resolve(prompt.prompt())
    .then(() => prompt.userChoice)
    .catch(() => null)
    .then(installDone);
});
window.addEventListener('appinstalled', installDone);
