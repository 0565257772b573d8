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
 */
import { Matrix } from "./matrix";

/** Whether a result goes into a kept buffer (`reuse: true`) or into a new matrix (the default). */
export interface ReuseOption {
  /**
   * true: a buffer of the workspace, overwritten by its next use; false (default): a new matrix the caller may keep.
   */
  reuse?: boolean;
}

/** Reused matrices by role; each is made on first use and remade when its shape changes. */
export class Workspace {
  private buffers = new Map<string, Matrix>(); // the live set
  #spare = new Map<string, Matrix>(); // the other set (scratch: see the file comment)

  /**
   * The kept [rows, cols] matrix for `role`. It holds what its last user wrote, so the caller must
   * overwrite every element.
   */
  matrix(role: string, rows: number, cols: number): Matrix {
    const buffer = this.buffers.get(role);
    if (buffer !== undefined && buffer.rows === rows && buffer.cols === cols) return buffer;
    const made = new Matrix(rows, cols);
    this.buffers.set(role, made);
    return made;
  }

  /** Where a result of shape [rows, cols] goes: with `reuse`, the kept matrix for `role`; else a new zero matrix. */
  result(role: string, rows: number, cols: number, { reuse = false }: ReuseOption = {}): Matrix {
    return reuse ? this.matrix(role, rows, cols) : new Matrix(rows, cols);
  }

  /** Makes the spare set of buffers live and the live one spare (see the file comment); calling it twice undoes it. */
  swapSides(): void {
    const live = this.buffers;
    this.buffers = this.#spare;
    this.#spare = live;
  }
}
