/**
 * plots: plain plotly `{ data, layout }` figure builders (no tslab; shown by lib/notebook's `plot`).
 * Every figure has a title, axis titles (with the scale when logarithmic) and a legend.
 */
export type { Axis, ChartOptions, Figure, Frame, Layout, Series, Trace } from "./figure";
export { palette } from "./figure";
export type { HeatmapOptions, HistogramOptions, NamedValues } from "./charts";
export { barChart, heatmap, histogram, lineChart, logLogChart } from "./charts";
export type { ClassScatterOptions, DecisionBoundaryOptions, LabelledPoints } from "./classes";
export { classScatter, decisionBoundary } from "./classes";
export type { SideBySideOptions } from "./subplots";
export { sideBySide } from "./subplots";
export type { PercentileBandsOptions, SampledSeries, TrainingCurvesInput, TrainingCurvesOptions } from "./training";
export { percentile, percentileBands, smoothLoss, trainingCurves } from "./training";
export type { SliderFigureOptions, SliderStep } from "./explorable";
export { sliderFigure } from "./explorable";
