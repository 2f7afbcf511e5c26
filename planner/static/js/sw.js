// Service worker: static files and the pages of the roll stay available without network.
var STATIC = "planner-static-v1", PAGES = "planner-pages-v1";
var SHELL = ["/static/css/app.css", "/static/vendor/htmx.min.js", "/static/js/planner.js", "/static/js/roll.js", "/static/js/today.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (c) { return c.addAll(SHELL); }));
  self.skipWaiting();
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || request.headers.get("HX-Request")) return;
  var page = url.pathname === "/today" || /^\/roll\/\d+$/.test(url.pathname);
  if (!page && url.pathname.indexOf("/static/") !== 0) return;
  // Network first, so a connected tablet always sees the latest marks; the copy is for offline moments.
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      // Kept alive until the copy is stored: a worker stopped between the answer and the put leaves none.
      event.waitUntil(caches.open(page ? PAGES : STATIC).then(function (c) { return c.put(request, copy); }));
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) { return hit || Response.error(); });
  }));
});
