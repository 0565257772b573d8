/**
 * fast: faster kernels for the library's slots, `kernels.gemm` (lib/core/gemm.ts) and
 * `batchNormKernels` (lib/normalization/batchnorm-kernels.ts), each checked against the readable
 * version. Importing this module selects them (`useFastKernels()`); `useReferenceKernels()` puts the
 * readable ones back.
 */
import { useFastKernels } from "./kernels";

export * from "./gemm-packed";
export * from "./gemm-wasm";
export * from "./elementwise-wasm";
export * from "./kernels";
export * from "./batchnorm-fused";

useFastKernels();
