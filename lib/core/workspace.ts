/**
 * `Workspace`: matrices kept by role ("out", "dX", "xHat", …) and reused call after call, so that a
 * training step allocates nothing after its first call (see `PassOptions.reuse` in lib/layers/layer.ts).
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
  private readonly buffers = new Map<string, Matrix>();

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
}
