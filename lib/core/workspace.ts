/**
 * `Workspace`: matrices kept by role ("out", "dX", "xHat", …) and reused call after call, so that a
 * training step allocates nothing after its first calls (see `PassOptions.reuse` in lib/layers/layer.ts).
 *
 * It keeps two sets of them, the live one (handed out) and a spare one. `swapSides()` makes the spare set
 * live: a layer inside `Sequential` swaps before each forward (`Module.beginForward`), so a forward writes
 * over the buffers of the batch before last, never over those of the last batch, which the layers' caches
 * still point at; if a later layer rejects the batch, swapping back (`Module.endForward(false)`) leaves
 * everything as it was. The spare set holds only results that their contract already retired (a reused
 * result is valid until the next reusing call), so it is scratch, kept in a `#` field: not state.
 *
 * In each set, a role keeps one array, as long as the largest shape asked for: a smaller shape is a view of
 * its start, so a model that alternates training batches of 60 rows with evaluations of 1 000 rows
 * allocates nothing after it has done each once.
 */
import { Matrix } from "./matrix";

/** Whether a result goes into a kept buffer (`reuse: true`) or into a new matrix (the default). */
export interface ReuseOption {
  /**
   * true: a buffer of the workspace, overwritten by its next use; false (default): a new matrix the caller may keep.
   */
  reuse?: boolean;
}

/** One set of kept buffers: each role's matrix of its last shape, and its array (as long as its largest shape). */
interface BufferSet {
  matrices: Map<string, Matrix>;
  arrays: Map<string, Float64Array>;
}

const emptySet = (): BufferSet => ({ matrices: new Map(), arrays: new Map() });

/** Reused matrices by role; see the file comment. */
export class Workspace {
  private live = emptySet(); // the live set
  #spare = emptySet(); // the other set (scratch: see the file comment)

  /**
   * The kept [rows, cols] matrix for `role` (a view of the role's array in the live set). It holds what its
   * last user wrote, so the caller must overwrite every element.
   */
  matrix(role: string, rows: number, cols: number): Matrix {
    const { matrices, arrays } = this.live;
    const kept = matrices.get(role);
    if (kept !== undefined && kept.rows === rows && kept.cols === cols) return kept;
    let array = arrays.get(role);
    if (array === undefined || array.length < rows * cols) {
      array = new Float64Array(rows * cols); // the first use, or a larger shape: the only allocation
      arrays.set(role, array);
    }
    const made = new Matrix(rows, cols, array.subarray(0, rows * cols));
    matrices.set(role, made);
    return made;
  }

  /** Where a result of shape [rows, cols] goes: with `reuse`, the kept matrix for `role`; else a new zero matrix. */
  result(role: string, rows: number, cols: number, { reuse = false }: ReuseOption = {}): Matrix {
    return reuse ? this.matrix(role, rows, cols) : new Matrix(rows, cols);
  }

  /** Makes the spare set of buffers live and the live one spare (see the file comment); calling it twice undoes it. */
  swapSides(): void {
    const live = this.live;
    this.live = this.#spare;
    this.#spare = live;
  }
}
