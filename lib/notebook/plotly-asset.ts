/**
 * The plotly.js bundle, offline, without putting it into every notebook.
 *
 * Live notebooks: a copy of `node_modules/plotly.js-dist/plotly.js` sits in
 * `notebooks/assets/plotly-<version>.js` (git-ignored) of the course folder the notebook is in, and
 * each figure's HTML loads it once per page from the Jupyter server's own `files/` route (same
 * origin, no CDN), by a URL relative to the notebook's folder. A user copy (`npm run user-copy`:
 * JupyterHub, a lab machine) has its own `notebooks/assets/`, so the URL stays inside the user's server.
 * Exported HTML: `inlinePlotly(html)` puts the bundle into the page once, gzip-compressed and
 * base64-encoded (≈ 2.6 MB instead of 10 MB), unpacked in the browser by `DecompressionStream`.
 * This module reads files only; it never imports tslab.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";

/** The root of this checkout (the folder whose package.json is batchnorm-lab's). */
export function projectRoot(): string {
  let dir = __dirname;
  while (dirname(dir) !== dir) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "batchnorm-lab"
    )
      return dir;
    dir = dirname(dir);
  }
  throw new Error(`lib/notebook: cannot find batchnorm-lab's package.json above ${__dirname}.`);
}

/** Path and version of the plotly.js bundle installed by npm. */
export function plotlyBundle(): { path: string; version: string } {
  const manifest = require.resolve("plotly.js-dist/package.json", { paths: [projectRoot()] });
  const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  return { path: join(dirname(manifest), "plotly.js"), version };
}

/** Where the served copy lives: `<root>/notebooks/assets/plotly-<version>.js`. */
export function plotlyAssetPath(root = projectRoot()): string {
  return join(root, "notebooks", "assets", `plotly-${plotlyBundle().version}.js`);
}

/**
 * Copies the plotly bundle to `plotlyAssetPath()` unless an identical-size copy is there.
 * Idempotent and cheap: `npm start` calls it, and so does the first `plot()` of a kernel.
 */
export function installPlotlyAsset(root = projectRoot()): string {
  const target = plotlyAssetPath(root);
  const source = plotlyBundle().path;
  if (existsSync(target) && statSync(target).size === statSync(source).size) return target;
  mkdirSync(dirname(target), { recursive: true });
  // a damaged file may be a hard link to the shared bundle (user-copy): never write through it
  rmSync(target, { force: true });
  copyFileSync(source, target);
  return target;
}

/**
 * The course folder a kernel working in `notebookDir` belongs to: the nearest folder at or above it whose
 * package.json is batchnorm-lab's, found WITHOUT resolving links (a user copy's package.json is a link into
 * the shared install, its notebooks/ is its own); this install's root when there is none.
 */
export function plotlyAssetRoot(notebookDir: string): string {
  for (let dir = notebookDir; ; dir = dirname(dir)) {
    if (isCourseFolder(dir)) return dir;
    if (dirname(dir) === dir) return projectRoot();
  }
}

function isCourseFolder(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
    return manifest.name === "batchnorm-lab";
  } catch {
    return false; // no package.json here (or not JSON): not a course folder
  }
}

/** The asset's URL relative to a notebook in `notebookDir` (the kernel's cwd), with "/" separators. */
export function plotlyAssetUrlFrom(notebookDir: string, root = plotlyAssetRoot(notebookDir)): string {
  return relative(notebookDir, plotlyAssetPath(root)).split(sep).map(encodeURIComponent).join("/");
}

/** Marks a page that already carries the bundle, so inlining twice is harmless. */
const inlineMarker = "bnlab-plotly-gzip-base64";

/**
 * Returns `html` with the plotly bundle embedded once, just before `</head>`: figures drawn by
 * `plot()` find `window.bnlabPlotly` (a promise of `Plotly`) and never load anything.
 * With `removeRemoteScripts` (default true), `<script src="http(s)://…">` tags (nbconvert's
 * CDN require.js and MathJax) are dropped, so the page makes no request to another host;
 * TeX in Markdown then shows as source.
 */
export function inlinePlotly(
  html: string,
  { removeRemoteScripts = true }: { removeRemoteScripts?: boolean } = {},
): string {
  let page = removeRemoteScripts
    ? html.replace(/<script[^>]*\ssrc=["']?(?:https?:)?\/\/[^>]*>\s*<\/script>/gi, "")
    : html;
  if (page.includes(inlineMarker)) return page;
  const base64 = gzipSync(readFileSync(plotlyBundle().path), { level: 9 }).toString("base64");
  const block =
    `<script type="text/plain" id="${inlineMarker}">${base64}</script>\n` +
    `<script>window.bnlabPlotly = (${unpackInBrowser})("${inlineMarker}");</script>\n`;
  const at = page.search(/<\/head>/i);
  page = at >= 0 ? page.slice(0, at) + block + page.slice(at) : block + page;
  return page;
}

/** Runs in the browser: base64 → gzip bytes → JavaScript text → a script element that defines window.Plotly. */
const unpackInBrowser = `async function (id) {
  var text = document.getElementById(id).textContent.trim();
  var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  var script = document.createElement("script");
  script.textContent = await new Response(stream).text();
  document.head.appendChild(script);
  return window.Plotly;
}`;
