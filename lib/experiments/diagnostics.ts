/**
 * Per-layer diagnostics of a `Sequential` on one batch (Karpathy, makemore part 3; CS231n):
 * for every activation layer (ReLU, Sigmoid, Tanh) the statistics of its outputs, the share
 * of saturated units and the statistics of the gradient arriving at them; for every weight,
 * the size of its gradient and the update:data ratio of a plain SGD step.
 *
 *   activation k:  a = outputs[k],  ∂L/∂a = outputGradients[k]
 *   weight W:      grad/data = std(∂L/∂W) / std(W),   update/data = α·std(∂L/∂W) / std(W)
 */
import type { Layer } from "../layers/layer";
import {
  frobeniusNorm,
  saturationFraction,
  type SaturatingActivation,
  valueStatistics,
  type ValueStatistics,
} from "./statistics";
import type { LayeredModel, StepTrace } from "./trace";

/** One activation layer's row of the diagnostics. */
export interface ActivationDiagnostics {
  /** Index in `model.layers`. */
  layer: number;
  name: string;
  kind: SaturatingActivation;
  output: ValueStatistics;
  /** Share of saturated outputs (see `saturationFraction`). */
  saturated: number;
  gradient: ValueStatistics;
}

/** One weight's row of the diagnostics. */
export interface WeightDiagnostics {
  layer: number;
  name: string;
  /** ‖∂L/∂W‖₂. */
  gradientNorm: number;
  /** std(∂L/∂W) / std(W). */
  gradientToData: number;
  /** α·std(∂L/∂W) / std(W): the update:data ratio of an SGD step of size α. */
  updateToData: number;
}

/** The activation kind of a layer from its name ("ReLU", "Sigmoid", "Tanh"), else undefined. */
export function activationKind(layer: Layer): SaturatingActivation | undefined {
  const kinds: Record<string, SaturatingActivation> = { ReLU: "relu", Sigmoid: "sigmoid", Tanh: "tanh" };
  return kinds[layer.name];
}

/** Rows for every activation layer, from a `traceStep` of the same model. */
export function activationDiagnostics(model: LayeredModel, trace: StepTrace): ActivationDiagnostics[] {
  const rows: ActivationDiagnostics[] = [];
  model.layers.forEach((layer, k) => {
    const kind = activationKind(layer);
    if (kind === undefined) return;
    const output = trace.outputs[k];
    rows.push({
      layer: k,
      name: `${k} ${layer.name}`,
      kind,
      output: valueStatistics(output),
      saturated: saturationFraction(output, kind),
      gradient: valueStatistics(trace.outputGradients[k]),
    });
  });
  return rows;
}

/** Rows for every parameter named "weight", from the gradients currently stored (e.g. after `traceStep`). */
export function weightDiagnostics(model: LayeredModel, learningRate: number): WeightDiagnostics[] {
  const rows: WeightDiagnostics[] = [];
  model.layers.forEach((layer, k) => {
    for (const p of layer.parameters()) {
      if (p.name !== "weight") continue;
      const ratio = valueStatistics(p.grad).std / valueStatistics(p.value).std;
      rows.push({
        layer: k,
        name: `${k} ${layer.name}`,
        gradientNorm: frobeniusNorm(p.grad),
        gradientToData: ratio,
        updateToData: learningRate * ratio,
      });
    }
  });
  return rows;
}
