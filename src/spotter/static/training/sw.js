/* Spotter's training service worker (served from /train/sw.js, scope /train/).

   It keeps the logging pages and the assets they need, so a page opened once opens again
   without signal: pages are fetched from the network first (and the copy kept), assets
   from the cache first. It never answers anything else: the sets a page sends are queued
   by the page itself (IndexedDB) and go straight to the network. */
"use strict";

var VERSION = "__VERSION__";
var CACHE = "spotter-train-" + VERSION;
var SHELL = [
  "/train/offline",
  "/static/app.css?v=" + VERSION,
  "/static/app.js?v=" + VERSION,
  "/static/theme.js?v=" + VERSION,
  "/static/training/log.js?v=" + VERSION,
  "/static/training/training.css?v=" + VERSION,
  "/static/vendor/htmx.min.js",
  "/static/vendor/alpine.min.js",
  "/static/manifest.webmanifest",
  "/static/icons/icon.svg",
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("spotter-train-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page opened before the worker was installed asks to be kept (it was not seen then).
self.addEventListener("message", function (event) {
  var path = event.data && event.data.keep;
  if (typeof path === "string" && path.indexOf("/train/") === 0) {
    event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add(path); }).catch(function () {}));
  }
});

function isPage(request, url) {
  return request.mode === "navigate" && url.pathname.indexOf("/train") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPage(request, url)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || caches.match("/train/offline");
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
  }
});
