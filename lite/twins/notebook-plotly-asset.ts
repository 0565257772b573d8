/**
 * Browser twin of lib/notebook/plotly-asset.ts. In JupyterLite the figures are drawn from their
 * `application/vnd.plotly.v1+json` view by the jupyterlab-plotly renderer shipped with the site
 * (it bundles plotly.js 4.1.1, the version npm installs here), so nothing is copied: the
 * text/html view's script, which JupyterLite does not run, keeps the same relative URL as in
 * the Node kernel. `inlinePlotly` (for exported HTML files) is Node-only.
 */
export function projectRoot(): string {
  return "/repo";
}

export function plotlyBundle(): { path: string; version: string } {
  return { path: "/repo/node_modules/plotly.js-dist/plotly.js", version: PLOTLY_VERSION };
}

export function plotlyAssetRoot(): string {
  return projectRoot();
}

export function plotlyAssetPath(root = projectRoot()): string {
  return `${root}/notebooks/assets/plotly-${PLOTLY_VERSION}.js`;
}

export function installPlotlyAsset(root = projectRoot()): string {
  return plotlyAssetPath(root);
}

export function plotlyAssetUrlFrom(): string {
  return `assets/plotly-${PLOTLY_VERSION}.js`;
}

export function inlinePlotly(): string {
  throw new Error("inlinePlotly is not available in the browser kernel: run `npm run export` on a computer with Node.");
}

declare const PLOTLY_VERSION: string; // set by the bundler from node_modules/plotly.js-dist/package.json
