/**
 * `plot(figure)`: shows a plotly figure in every Jupyter frontend, offline.
 *
 * One output carries three views of the figure:
 *   application/vnd.plotly.v1+json  drawn natively by VS Code, and by JupyterLab 4 / Notebook 7
 *                                   with the jupyterlab-plotly extension;
 *   text/html                       a <div> and a small script for classic Notebook 6, nbconvert
 *                                   HTML and JupyterLab without the extension: it draws with
 *                                   window.Plotly, loading it first (once per page) from the
 *                                   Jupyter server's files/ route (see plotly-asset.ts);
 *   text/plain                      a one-line description for terminals and text exports.
 * An explorable figure's `frames` and its `layout.sliders` / `updatemenus` travel in the first two
 * views, so its slider works in every frontend without the kernel (`Plotly.newPlot` with frames).
 * Numbers are rounded to 6 significant digits, which keeps executed notebooks small.
 */
import { randomBytes } from "node:crypto";
import type { Figure } from "../plots/figure";
import { type MimeBundle, sendDisplay } from "./jupyter";
import { installPlotlyAsset, plotlyAssetRoot, plotlyAssetUrlFrom } from "./plotly-asset";

/** The MIME type plotly's renderers (VS Code, jupyterlab-plotly) register. */
export const plotlyMimeType = "application/vnd.plotly.v1+json";

/** Plotly's config for every figure: resizes with the page, no logo, no cloud or edit links. */
const plotlyConfig = {
  responsive: true,
  displaylogo: false,
  showLink: false,
  showSendToCloud: false,
  showEditInChartStudio: false,
};

/** Options of `figureBundle`. */
export interface FigureBundleOptions {
  /** URL of the plotly bundle relative to the notebook's folder (default "assets/plotly.js"). */
  assetUrl?: string;
  /** Height in pixels when the layout sets none (default 420). */
  height?: number;
  /** The HTML element id (default: random, so outputs never clash). */
  elementId?: string;
}

/** Builds the three-view MIME bundle of a figure (pure: nothing is sent). */
export function figureBundle(figure: Figure, options: FigureBundleOptions = {}): MimeBundle {
  const {
    assetUrl = "assets/plotly.js",
    height = 420,
    elementId = `bnlab-plot-${randomBytes(6).toString("hex")}`,
  } = options;
  const layout = { height, ...figure.layout };
  // a slider's steps (sliderFigure)
  const frames = figure.frames && figure.frames.length > 0 ? { frames: figure.frames } : {};
  const json = JSON.stringify({ data: figure.data, layout, ...frames }, roundNumbers);
  const html =
    `<div id="${elementId}" class="bnlab-plot" style="width:100%;height:${layout.height}px"></div>\n` +
    `<script>${drawScript(elementId, json.replace(/</g, "\\u003c"), JSON.stringify(assetUrl))}</script>`;
  const plotlyJson = { ...(JSON.parse(json) as object), config: plotlyConfig };
  return { [plotlyMimeType]: plotlyJson, "text/html": html, "text/plain": describe(figure) };
}

/** Shows `figure` as this cell's output. */
export function plot(figure: Figure, options: FigureBundleOptions = {}): void {
  void sendFigure(figure, options);
}

/**
 * `plot` with the display id used by live figures to replace their output in place. An update goes out
 * twice: first as a placeholder of the same height without the plotly view, then in full. jupyterlab-plotly
 * (plotly 7.1) draws an output once and ignores its later updates (plotly/plotly.py#3053); JupyterLab and
 * Notebook 7 make a new renderer when an output's preferred MIME type changes, so the new figure is drawn.
 */
export function sendFigure(
  figure: Figure,
  options: FigureBundleOptions = {},
  displayId?: string,
  update = false,
): Promise<void> {
  const bundle = figureBundle(figure, { assetUrl: servedAssetUrl(), ...options });
  if (update) void sendDisplay(placeholderBundle(bundle), { displayId, update }); // back to back: no redraw between
  return sendDisplay(bundle, { displayId, update });
}

/** The text/html and text/plain views of a figure bundle, the HTML an empty box of the figure's height. */
export function placeholderBundle(bundle: MimeBundle): MimeBundle {
  const height = (bundle[plotlyMimeType] as { layout: { height: number } }).layout.height;
  const html = `<div class="bnlab-plot-placeholder" style="width:100%;height:${height}px"></div>`;
  return { "text/html": html, "text/plain": bundle["text/plain"] };
}

let cachedAssetUrl: string | undefined;

/**
 * Makes sure the served copy of plotly exists in the course folder of this kernel's working folder (the
 * notebook's folder: a student's own copy on a hub), and returns its URL relative to that folder.
 */
function servedAssetUrl(): string {
  if (cachedAssetUrl === undefined) {
    const root = plotlyAssetRoot(process.cwd());
    try {
      installPlotlyAsset(root);
    } catch (error) {
      process.stderr.write(
        `plot: could not copy plotly.js into ${root}/notebooks/assets/ (${String(error)}); ` +
          "run `npm start` once (a user copy: `npm run user-copy` links it).\n",
      );
    }
    cachedAssetUrl = plotlyAssetUrlFrom(process.cwd(), root);
  }
  return cachedAssetUrl;
}

/** `Figure "Training curves": 3 traces (scatter ×3)`. */
export function describe(figure: Figure): string {
  const counts = new Map<string, number>();
  for (const trace of figure.data) counts.set(trace.type, (counts.get(trace.type) ?? 0) + 1);
  const kinds = [...counts].map(([type, n]) => (n === 1 ? type : `${type} ×${n}`)).join(", ");
  const steps = figure.frames && figure.frames.length > 0 ? `, a slider of ${figure.frames.length} steps` : "";
  const traces = `${figure.data.length} trace${figure.data.length === 1 ? "" : "s"}`;
  return `Figure "${figure.layout.title.text}": ${traces} (${kinds})${steps}`;
}

function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(6))
    : value;
}

/**
 * The browser side. `window.bnlabPlotly` is one promise of Plotly per page: already set by an
 * exported page (inlinePlotly), else created here by adding a <script> whose URL is
 *   <base URL> files/ <the notebook's folder> / <assetUrl>
 * with the base URL and the notebook path read from the page (classic Notebook's <body data-…>,
 * or JupyterLab's jupyter-config-data and the address bar).
 */
function drawScript(id: string, figureJson: string, assetUrl: string): string {
  return `(function () {
  var id = "${id}", figure = ${figureJson};
  function draw(Plotly) {
    var div = document.getElementById(id);
    var plotConfig = ${JSON.stringify(plotlyConfig)};
    if (div) Plotly.newPlot(div, { data: figure.data, layout: figure.layout, frames: figure.frames,
      config: plotConfig });
  }
  function fail(url) {
    var div = document.getElementById(id);
    if (div) div.textContent = "This figure needs plotly.js from " + url + ", which did not load. " +
      "Run npm start (it copies plotly.js into notebooks/assets/), then re-run the cell.";
  }
  function assetUrl() {
    var body = document.body.dataset, base = body.baseUrl, path = body.notebookPath;
    if (base === undefined) {
      var config = document.getElementById("jupyter-config-data");
      base = config ? JSON.parse(config.textContent).baseUrl : "/";
    }
    base = decodeURIComponent(base).replace(/\\/?$/, "/");
    if (path === undefined) {
      var m = decodeURIComponent(location.pathname).slice(base.length).match(/(?:notebooks|tree|doc)\\/(.*)$/);
      path = m ? m[1] : "";
    }
    var folder = decodeURIComponent(path).split("/").slice(0, -1).map(encodeURIComponent).join("/");
    return new URL(base + "files/" + (folder ? folder + "/" : "") + ${assetUrl}, location.href).href;
  }
  if (window.Plotly) return draw(window.Plotly);
  if (!window.bnlabPlotly) window.bnlabPlotly = new Promise(function (resolve, reject) {
    var script = document.createElement("script"), url = assetUrl();
    script.src = url;
    script.onload = function () { resolve(window.Plotly); };
    script.onerror = function () { reject(url); };
    document.head.appendChild(script);
  });
  // on failure, forget the promise: a later cell tries again
  window.bnlabPlotly.then(draw, function (url) { window.bnlabPlotly = undefined; fail(url); });
})();`;
}
