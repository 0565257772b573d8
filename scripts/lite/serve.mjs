// A tiny static file server for the JupyterLite site (build/lite/), on 127.0.0.1 by default.
//   npm run lite:serve                      → http://127.0.0.1:8000/
//   npm run lite:serve -- --port=9000 --ip=0.0.0.0 --dir=path/to/site
// Any static server works as well (python3 -m http.server, npx http-server): the site is plain files.
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../jupyter/kernel.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ipynb": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/** The file under `root` that `urlPath` names (a folder gives its index.html), or null outside `root` or missing. */
export function fileFor(root, urlPath) {
  let path;
  try {
    path = normalize(join(root, decodeURIComponent(urlPath.split("?")[0])));
  } catch {
    return null;
  }
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return statSync(join(path, "index.html")).isFile() ? join(path, "index.html") : null;
    return stat.isFile() ? path : null;
  } catch {
    return null;
  }
}

/**
 * A `transform` for `serveStatic`: answers jupyter-lite.json with exposeAppInBrowser added, so a test or a
 * profile can read the app's model through window.jupyterapp. Every other file goes out unchanged.
 */
export function exposeApp(path, bytes) {
  if (!path.endsWith("jupyter-lite.json")) return bytes;
  const config = JSON.parse(bytes.toString("utf8"));
  config["jupyter-config-data"] = { ...config["jupyter-config-data"], exposeAppInBrowser: true };
  return Buffer.from(JSON.stringify(config));
}

/**
 * Starts serving `root`; resolves to the http.Server once it listens (port 0: any free port).
 * `transform(file, bytes)` may change a file's bytes on the way out (the browser test's config hook).
 */
export function serveStatic(root, { host = "127.0.0.1", port = 0, log = () => {}, transform = null } = {}) {
  const server = createServer((request, response) => {
    const file = request.method === "GET" || request.method === "HEAD" ? fileFor(root, request.url ?? "/") : null;
    log(request.method, request.url, file ? 200 : 404);
    if (!file) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const body = transform ? transform(file, readFileSync(file)) : null;
    const headers = {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body?.length ?? statSync(file).size,
      "cache-control": "no-cache",
      connection: "close",
    };
    response.writeHead(200, headers);
    if (request.method === "HEAD") response.end();
    else if (body) response.end(body);
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
  const root = normalize(option("dir", join(ROOT, "build", "lite")));
  const server = await serveStatic(root, { host: option("ip", "127.0.0.1"), port: Number(option("port", 8000)) });
  const { address, port } = server.address();
  console.log(`Serving ${root} at http://${address}:${port}/ (Ctrl-C stops)`);
}
