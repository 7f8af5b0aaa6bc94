// Thôn Số service worker: keeps the offline app (/offline, its script and
// stylesheet) so it opens without a connection; everything else goes to
// the network as usual.
var CACHE = "thonso-offline-v1";
var ASSETS = [__ASSETS__];
self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (ev) {
  var url = new URL(ev.request.url);
  if (ev.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === "/offline") {
    ev.respondWith(fetch(ev.request).then(function (r) {
      var copy = r.clone();
      if (r.ok) caches.open(CACHE).then(function (c) { c.put("/offline", copy); });
      return r;
    }).catch(function () { return caches.match("/offline"); }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    ev.respondWith(caches.match(url.pathname).then(function (r) { return r || fetch(ev.request); }));
  }
});
