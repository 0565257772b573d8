/**
 * `Parameter`: a learned tensor and its gradient, shared by the layers (which add into `grad`),
 * the optimizers (which read `grad` and update `value`) and gradient checking.
 */
import { assertMatrix, assertSameShape, formatShape, InputError } from "./checks";
import { arrayKernels } from "./array-kernels";
import { Matrix } from "./matrix";

/** A learned tensor and the gradient of the loss with respect to it (same shape). */
export class Parameter {
  /** ∂loss/∂value, the same shape as `value`; backward passes add into it (`+=`). */
  readonly grad: Matrix;

  /** `grad` defaults to zeros; pass one only to share it (see `withName`). */
  constructor(
    readonly name: string,
    readonly value: Matrix,
    grad?: Matrix,
  ) {
    assertMatrix(value, `Parameter "${name}" value`);
    if (grad !== undefined) assertMatrix(grad, `Parameter "${name}" grad`);
    if (grad && (grad.rows !== value.rows || grad.cols !== value.cols)) {
      throw new InputError(
        `Parameter "${name}": grad ${formatShape(grad)} must have the shape of value ${formatShape(value)}.`,
      );
    }
    this.grad = grad ?? new Matrix(value.rows, value.cols);
  }

  /** Sets the gradient to zero; call before each backward pass. */
  zeroGrad(): void {
    this.grad.data.fill(0);
  }

  /** grad += dValue (gradients from several uses of a parameter add up; never assign). */
  accumulate(dValue: Matrix): void {
    assertSameShape(this.grad, dValue, `Parameter "${this.name}".accumulate`);
    arrayKernels.addInto(this.grad.data, dValue.data); // grad += dValue, through the slot of lib/core/array-kernels.ts
  }

  /** The same parameter (shared value and grad) under another name, e.g. "0.weight" in a `Sequential`. */
  withName(name: string): Parameter {
    return new Parameter(name, this.value, this.grad);
  }
}
