/**
 * `ForwardUndo`: the bookkeeping that lets `Sequential` take back a batch rejected half-way.
 *
 * Every check that can run before a layer does (kinds, shapes, finite inputs, labels) runs first, so most bad
 * batches never reach a layer. What no check can see beforehand — a value that overflows to ±∞ at layer k, a
 * custom layer that throws — is handled like a transaction:
 *
 *   begin    layers[k].beginForward()   before layer k's forward (it keeps a reference to what it will replace)
 *   commit   endForward(true)           on every layer begun, once the whole model has run
 *   undo     endForward(false)          on every layer begun, last first, when some layer threw
 *
 * Each layer decides what that costs it (see `Layer.beginForward`): a reference to its cache and a swap of its
 * workspace's two buffer sets (`Module`); BatchNorm1d keeps its running statistics untouched until the commit.
 * Nothing is copied. A `Sequential` inside another one leaves the ending to the outer model (`nest`).
 */
import { InputError } from "../core/checks";
import type { Matrix } from "../core/matrix";
import type { Layer, PassOptions } from "./layer";

/** Which layers the running forward has begun, and whether an outer model will end them. */
export class ForwardUndo {
  private begun = 0; // layers[0…begun − 1] have begun (0 between forwards)
  private nested = false; // true while an outer Sequential runs this one: it calls `end`

  constructor(private readonly layers: readonly Layer[]) {}

  /** layers[k].beginForward(), then layers[k].forward(x): layer k joins the batch's transaction (k in order). */
  forward(k: number, x: Matrix, options?: PassOptions): Matrix {
    this.layers[k].beginForward?.();
    this.begun = k + 1;
    return this.layers[k].forward(x, options);
  }

  /** The model's own forward ends: commit (accepted) or undo every layer begun, unless an outer model will. */
  finish(accepted: boolean): void {
    if (!this.nested) this.end(accepted);
  }

  /** An outer model runs this one (its `beginForward`): `finish` leaves the layers to the outer `end`. */
  nest(): void {
    this.nested = true;
  }

  /** endForward(accepted) on every layer begun, last first; then nothing is begun. */
  end(accepted: boolean): void {
    for (let k = this.begun - 1; k >= 0; k--) this.layers[k].endForward?.(accepted);
    this.begun = 0;
    this.nested = false;
  }
}

/**
 * Throws unless every layer object appears once in the model, nested models included: a layer keeps the cache
 * of ONE forward for its backward (and BatchNorm one batch's statistics until the commit), so the same object
 * at two places would answer the first place's backward with the second place's batch.
 */
export function assertDistinctLayers(layers: readonly Layer[], seen = new Map<Layer, string>(), path = "layers"): void {
  layers.forEach((layer, k) => {
    const here = `${path}[${k}]`;
    const first = seen.get(layer);
    if (first !== undefined)
      throw new InputError(
        `Sequential ${here}: the same ${layer.name} object as ${first}; a layer keeps the cache of one forward ` +
          `for its backward, so each place needs its own layer: create a new one for ${here}.`,
      );
    seen.set(layer, here);
    const inner = (layer as { layers?: unknown }).layers;
    if (Array.isArray(inner)) assertDistinctLayers(inner as Layer[], seen, `${here}.layers`);
  });
}
