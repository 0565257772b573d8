/** batchnorm-lab: a small, exact float64 library for teaching Batch Normalization. */
export * from "./core/checks";
export * from "./core/matrix";
export * from "./core/random";
export * from "./core/gemm";
export * from "./layers/layer";
export * from "./gradcheck";
