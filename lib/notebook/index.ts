/**
 * Notebook display helpers (they need the tslab kernel, so lib/index.ts does not export them).
 * In a notebook under notebooks/:
 *
 *   import * as show from "../dist/lib/notebook";
 *   show.matrix(x, { name: "x" });  show.plot(lab.lineChart(...));  show.latex(math.parse("x^2"));
 */
export {
  type HasTex,
  type MatrixDisplayOptions,
  type Summarizable,
  html,
  latex,
  latexBundle,
  markdown,
  matrix,
  matrixBundle,
  summary,
  summaryBundle,
} from "./display";
export {
  type DisplayMessage,
  type DisplaySink,
  type MimeBundle,
  flush,
  newDisplayId,
  sendDisplay,
  setDisplaySink,
} from "./jupyter";
export { type LiveProgress, type LiveTraining, type LiveTrainingOptions, liveTraining, progressLine } from "./live";
export {
  type SearchProgressOptions,
  type SearchProgressResult,
  searchProgress,
  searchProgressLine,
} from "./search-progress";
export { type FigureBundleOptions, describe, figureBundle, plot, plotlyMimeType } from "./plot";
export { type StatusLine, type TableOptions, statusLine, table, tableBundle } from "./table";
export {
  inlinePlotly,
  installPlotlyAsset,
  plotlyAssetPath,
  plotlyAssetRoot,
  plotlyAssetUrlFrom,
  plotlyBundle,
} from "./plotly-asset";
