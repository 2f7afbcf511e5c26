// Small helpers for htmx attributes. A tap id is made on the tablet so a resent tap is applied once.
function plannerTapId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
function plannerTap() {
  return { client_id: plannerTapId(), device_time: new Date().toISOString() };
}
if ("serviceWorker" in navigator && document.body && document.body.dataset.signedIn) {
  navigator.serviceWorker.register("/sw.js").catch(function () {});
}
if (window.caches && document.body && document.body.dataset.signedOut) {
  // Signed out: forget the pages kept for offline use (waiting taps stay until they are sent).
  caches.delete("planner-pages-v1");
}
// The Content-Security-Policy allows no inline handler: a set-password link is selected on focus here.
document.addEventListener("focusin", function (event) {
  if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
});
