// Which URLs count as local: loopback hosts and in-page schemes (and file: for exported pages).
const LOCAL_SCHEMES = ["data:", "blob:", "about:", "chrome-error:"];

/** True for data:/blob:/about: URLs and for 127.0.0.0/8, localhost and [::1]; `file:` only when allowed. */
export function isLocalUrl(url, { allowFile = false } = {}) {
  const { protocol, hostname } = new URL(url);
  if (LOCAL_SCHEMES.includes(protocol) || (allowFile && protocol === "file:")) return true;
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Blocks (and records into `remote`) every request of `page` that is not local. */
export async function blockRemote(page, remote, options = {}) {
  await page.route("**/*", (route) => {
    if (isLocalUrl(route.request().url(), options)) return route.continue();
    remote.push(route.request().url()); // recorded, and aborted before it leaves the machine
    return route.abort("blockedbyclient");
  });
  page.on("websocket", (socket) => isLocalUrl(socket.url(), options) || remote.push(socket.url()));
}

/**
 * Resource loads (not links) that leave the page: script/img/iframe src, stylesheet href, CSS url()
 * pointing at another host, or at the local file system (`file://`, e.g. Debian's MathJax), which a
 * self-contained export handed to another machine would not find.
 */
export function remoteResources(html) {
  const patterns = [
    /<(?:script|img|iframe|source|video|audio)\b[^>]*\ssrc=["']?((?:https?:|file:)?\/\/[^"'\s>]+)/gi,
    /<link\b[^>]*\shref=["']?((?:https?:|file:)?\/\/[^"'\s>]+)/gi,
    /url\(\s*["']?((?:https?:|file:)?\/\/[^"')]+)/gi,
    /@import\s+["']((?:https?:|file:)?\/\/[^"']+)/gi,
  ];
  return patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((m) => m[1]));
}
