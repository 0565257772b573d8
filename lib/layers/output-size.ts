/**
 * How `Sequential` knows each layer's output width before running it, and the errors when it cannot:
 *
 *   widths   d₀ = Din,  dₖ₊₁ = layers[k].outputSize(dₖ)   (a layer without one is taken to keep the width)
 *
 * Every built-in layer says its width (`outputSize`); a custom `Module` that changes the width but keeps
 * `Module`'s default gets an error naming its class and the method to implement.
 */
import { InputError } from "../core/checks";
import { type Layer, Module } from "./layer";

/** dₖ₊₁ for layer k: its `outputSize(dₖ)`, or dₖ when it has none. */
export function layerOutputSize(layer: Layer, inputSize: number): number {
  return layer.outputSize ? layer.outputSize(inputSize) : inputSize;
}

/**
 * True when the layer's class says its output width itself (every built-in layer does); else it is taken to keep it.
 */
function declaresOutputSize(layer: Layer): boolean {
  return layer.outputSize !== undefined && layer.outputSize !== Module.prototype.outputSize;
}

const implementOutputSize = (layer: Layer) =>
  `implement outputSize(inputSize: number): number in class ` +
  `${layer.constructor.name} to return its number of output features ` +
  "(Sequential's checks, summary() and trainStep's label check use it; without it a layer is taken to keep the width)";

/** Layer k's forward returned `got` features where its `outputSize` said `expected`. */
export function widthMismatch(layer: Layer, k: number, expected: number, got: number): InputError {
  const said = declaresOutputSize(layer)
    ? `its outputSize says ${expected}: make the two agree`
    : `${implementOutputSize(layer)}`;
  return new InputError(
    `Sequential layer ${k} (${layer.name}) returned ${got} features per row, expected ${expected}; ${said}.`,
  );
}

/**
 * A check's error, plus a hint when a layer before it did not say its output width (the width checked may be wrong).
 */
export function withOutputSizeHint(error: unknown, before: readonly Layer[]): unknown {
  const silent = before.filter((layer) => !declaresOutputSize(layer));
  if (!(error instanceof InputError) || silent.length === 0) return error;
  const layer = silent[silent.length - 1];
  return new InputError(
    `${error.message} Note: the width checked here assumes ${layer.name} ` +
      `keeps the width; if it changes it, ${implementOutputSize(layer)}.`,
  );
}
