/**
 * fast: faster kernels behind `kernels.gemm` (lib/core/gemm.ts), each checked against the
 * reference. Importing this module selects them (`useFastKernels()`); `useReferenceKernels()`
 * brings back the readable three-loop multiply.
 */
import { useFastKernels } from "./kernels";

export * from "./gemm-packed";
export * from "./gemm-wasm";
export * from "./kernels";
export * from "./batchnorm-fused";

useFastKernels();
