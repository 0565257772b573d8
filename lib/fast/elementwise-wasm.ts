/**
 * WebAssembly versions of the passes around the multiply (`wasm/elementwise.ts`, in the same module
 * and memory as the multiply), in the shapes of the slots they fill:
 *
 *   layerKernels.sigmoidForward / sigmoidBackward / softmaxCrossEntropyRows   (lib/layers/layer-kernels.ts)
 *
 * Each call copies its inputs into the module's memory, runs there and copies its results out, as
 * the multiply does. The sigmoid and the softmax use the module's own eˣ (IEEE operations only, the
 * same bits on every machine; within ≈1 ulp of Math.exp, tested), so their results differ from the
 * readable twins' by about one rounding: tested to 1e-14 relative. sigmoidBackward has no exp and
 * gives the twin's bits.
 */
import type { Matrix } from "../core/matrix";
import type { LayerKernels } from "../layers/layer-kernels";
import { HEAP_BASE, type WasmInstance } from "./gemm-wasm";

/** The layer passes of `instance` (see the file comment). */
export function wasmLayerKernels(
  instance: WasmInstance,
): Pick<LayerKernels, "sigmoidForward" | "sigmoidBackward" | "softmaxCrossEntropyRows"> {
  const wasm = instance.exports;
  return {
    sigmoidForward(x: Float64Array, out: Float64Array): void {
      const count = x.length,
        xAt = HEAP_BASE,
        outAt = xAt + 8 * count;
      const heap = instance.heap(outAt + 8 * count);
      heap.set(x, xAt / 8);
      wasm.sigmoidForward(xAt, outAt, count);
      out.set(heap.subarray(outAt / 8, outAt / 8 + count));
    },
    sigmoidBackward(dOut: Float64Array, out: Float64Array, dX: Float64Array): void {
      const count = out.length,
        dOutAt = HEAP_BASE,
        outAt = dOutAt + 8 * count,
        dXAt = outAt + 8 * count;
      const heap = instance.heap(dXAt + 8 * count);
      heap.set(dOut, dOutAt / 8);
      heap.set(out, outAt / 8);
      wasm.sigmoidBackward(dOutAt, outAt, dXAt, count);
      dX.set(heap.subarray(dXAt / 8, dXAt / 8 + count));
    },
    softmaxCrossEntropyRows(z: Matrix, labels: ArrayLike<number>, p: Matrix, dZ: Matrix): number {
      const { rows: n, cols: c } = z,
        size = n * c;
      const zAt = HEAP_BASE,
        pAt = zAt + 8 * size,
        dZAt = pAt + 8 * size,
        labelsAt = dZAt + 8 * size;
      const heap = instance.heap(labelsAt + 4 * n);
      heap.set(z.data, zAt / 8);
      const labelView = instance.heapInt32,
        first = labelsAt / 4; // the labels as i32, as the module reads them
      for (let i = 0; i < n; i++) labelView[first + i] = labels[i];
      const loss = wasm.softmaxCrossEntropyRows(zAt, labelsAt, pAt, dZAt, n, c);
      p.data.set(heap.subarray(pAt / 8, pAt / 8 + size));
      dZ.data.set(heap.subarray(dZAt / 8, dZAt / 8 + size));
      return loss;
    },
  };
}
