// batchnorm-lab's offline layer for the JupyterLite site: `npm run lite` puts this file IN FRONT OF
// JupyterLite's own service-worker.js (one file, build/lite/service-worker.js). A scope has one service
// worker, and JupyterLite registers <site>/service-worker.js for the whole site (and unregisters others
// when its version changes), so a second worker cannot be added; extending its script can.
//
// What it adds: once active, in the background, every file of the site (SITE_FILES, written in by the
// build) goes into the cache BUILD_CACHE, including the contents listings under api/ that JupyterLite's
// worker never caches (not during install: that would keep the page uncontrolled, and JupyterLite's
// heartbeat unanswered, until 33 MB arrived; each fetch event keeps the worker alive until it is done, and
// a worker stopped half-way resumes on the next request). Every same-origin GET or HEAD is answered from
// that cache first, from the network otherwise (and a network answer is cached). A new build has a new cache name, so the browser installs the new worker,
// which fills the new cache and deletes the old ones. Requests it leaves to JupyterLite's handler: other
// origins, methods other than GET/HEAD, and JupyterLite's own api/drive, api/stdin and heartbeat.
// Everything sits in one function scope: JupyterLite's script follows in the same global scope and
// declares functions of its own (fromCache, openCache …), which would replace same-named ones of ours.
/* global BNLAB_OFFLINE */

(() => {
  const { cache: BUILD_CACHE, files: SITE_FILES } = BNLAB_OFFLINE;
  const OFFLINE_PREFIX = "bnlab-offline-";
  const JUPYTERLITE_OWN = ["/api/drive", "/api/stdin/", "/api/service-worker-heartbeat"];

  /** The site's root URL (this script sits at its root). */
  const SITE_ROOT = new URL("./", self.location.href);

  /** Fetches `paths` into the cache, 6 at a time; a file that fails is skipped (fetched again when asked). */
  async function precache(paths) {
    const cache = await caches.open(BUILD_CACHE);
    const queue = [...paths];
    const one = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const url = new URL(path, SITE_ROOT).href;
        if (await cache.match(url)) continue;
        try {
          const response = await fetch(url, { cache: "no-cache" });
          if (response.ok) await cache.put(url, response);
        } catch {
          // offline during install: this file is cached on its first use instead
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, one));
  }

  /** Deletes the caches of earlier builds. */
  async function dropOldCaches() {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(OFFLINE_PREFIX) && n !== BUILD_CACHE).map((n) => caches.delete(n)));
  }

  /**
   * The cached answer for `url`: exact, then without its query, then a folder's index.html. The last two
   * are copied into a new Response: a cached one carries its own URL, and a worker started from it would
   * take that URL (without the query the kernel's worker reads its settings from) as its location.
   */
  async function fromCache(url) {
    const cache = await caches.open(BUILD_CACHE);
    const exact = await cache.match(url.href);
    if (exact) return exact;
    const folder = url.pathname.endsWith("/") ? new URL("index.html", url).href : null;
    const near = (await cache.match(url.href, { ignoreSearch: true })) ?? (folder && (await cache.match(folder)));
    return near ? new Response(near.body, { status: near.status, statusText: near.statusText, headers: near.headers }) : null;
  }

  /** Cache first, network second (its answer cached when ok); offline and uncached: 504 for GET, 404 for HEAD. */
  async function answer(request, url) {
    const cached = await fromCache(url);
    if (cached) return request.method === "HEAD" ? new Response(null, { status: cached.status, headers: cached.headers }) : cached;
    try {
      const response = await fetch(request);
      if (request.method === "GET" && response.ok) await (await caches.open(BUILD_CACHE)).put(url.href, response.clone());
      return response;
    } catch {
      if (request.method === "HEAD") return new Response(null, { status: 404 });
      return new Response(`offline, and ${url.pathname} was not cached on the first visit`, { status: 504, headers: { "content-type": "text/plain" } });
    }
  }

  function handledHere(request, url) {
    if (url.origin !== self.location.origin || (request.method !== "GET" && request.method !== "HEAD")) return false;
    if (request.headers.has("range")) return false;
    return !JUPYTERLITE_OWN.some((own) => url.pathname.includes(own));
  }

  let precached = null;
  /** The one background precache of this worker's life (restarted, skipping what is cached, after a stop). */
  function precacheOnce() {
    precached ??= precache(SITE_FILES).catch(() => (precached = null));
    return precached;
  }

  self.addEventListener("activate", (event) => event.waitUntil(dropOldCaches()));
  self.addEventListener("fetch", (event) => {
    event.waitUntil(precacheOnce());
    const url = new URL(event.request.url);
    if (!handledHere(event.request, url)) return; // JupyterLite's handler (registered after this one) decides
    event.respondWith(answer(event.request, url));
    event.stopImmediatePropagation(); // JupyterLite's handler must not answer a second time
  });
})();
