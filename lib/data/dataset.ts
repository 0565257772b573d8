/**
 * `Dataset`: inputs and integer class labels, one row of `x` per label.
 *   x: [N, D]    y: [N], each yᵢ ∈ {0, …, C−1}
 */
import type { Matrix } from "../core/matrix";

/** A labelled data set: inputs x: [N, D] and one integer class label per row, y: [N]. */
export interface Dataset {
  readonly x: Matrix;
  readonly y: Int32Array;
}
