/**
 * The table `Sequential.summary(inputSize)` returns and `formatModelSummary` prints: per layer its output shape
 * (widths d₀ = Din, dₖ₊₁ = layers[k].outputSize(dₖ), see output-size.ts) and its number of learned numbers.
 */
import { assertPositiveInteger, describeValue, InputError } from "../core/checks";
import type { Layer } from "./layer";
import { layerOutputSize } from "./output-size";

/** One row of `Sequential.summary`. */
export interface LayerSummaryRow {
  index: number;
  name: string;
  /** [batch size or null for "any", output features]. */
  outputShape: [number | null, number];
  /** Number of learned numbers in the layer (running statistics are buffers, not counted). */
  parameterCount: number;
}

/** What `Sequential.summary` returns: one row per layer and the total parameter count. */
export interface ModelSummary {
  inputShape: [number | null, number];
  rows: LayerSummaryRow[];
  totalParameters: number;
}

/** The summary of `layers` for `inputSize` input features (see `Sequential.summary`). */
export function summarizeLayers(
  layers: readonly Layer[],
  inputSize: number,
  { batchSize }: { batchSize?: number } = {},
): ModelSummary {
  assertPositiveInteger(inputSize, "inputSize", "Sequential.summary");
  if (batchSize !== undefined) assertPositiveInteger(batchSize, "batchSize", "Sequential.summary");
  const n = batchSize ?? null;
  let size = inputSize;
  const rows = layers.map((layer, index): LayerSummaryRow => {
    size = layerOutputSize(layer, size);
    const parameterCount = layer.parameters().reduce((total, p) => total + p.value.size, 0);
    return { index, name: layer.name, outputShape: [n, size], parameterCount };
  });
  const totalParameters = rows.reduce((total, row) => total + row.parameterCount, 0);
  return { inputShape: [n, inputSize], rows, totalParameters };
}

/** Formats a `ModelSummary` as a fixed-width text table (`N` stands for "any batch size"). */
export function formatModelSummary(summary: ModelSummary): string {
  if (typeof summary !== "object" || summary === null || !Array.isArray(summary.rows)) {
    throw new InputError(
      `formatModelSummary summary: expected what model.summary(inputSize) returns, got ${describeValue(summary)}.`,
    );
  }
  const shape = ([n, d]: [number | null, number]) => `[${n ?? "N"}, ${d}]`;
  const nameWidth = Math.max(5, ...summary.rows.map((r) => r.name.length));
  const line = (index: string, name: string, out: string, count: string) =>
    `${index.padStart(3)}  ${name.padEnd(nameWidth)}  ${out.padEnd(12)}  ${count.padStart(10)}`;
  const header = line("#", "layer", "output shape", "parameters");
  const body = summary.rows.map((r) => line(String(r.index), r.name, shape(r.outputShape), String(r.parameterCount)));
  const rule = "─".repeat(header.length);
  return [
    `input ${shape(summary.inputShape)}`,
    header,
    rule,
    ...body,
    rule,
    `total parameters: ${summary.totalParameters}`,
  ].join("\n");
}
