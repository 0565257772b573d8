/**
 * batchnorm-lab: a small, exact float64 library for teaching Batch Normalization.
 * Notebooks load it with one line: `import * as lab from "..";` (after `npm run build`).
 * The notebook display helpers (which need tslab) live apart, in `lib/notebook/`.
 */
export * from "./core/checks";
export * from "./core/matrix";
export * from "./core/random";
export * from "./core/gemm";
export * from "./core/workspace";
export * from "./gradcheck";
export * from "./layers";
export * from "./models";
export * from "./normalization";
export * from "./optim";
export * from "./train";
export * from "./data";
export * from "./plots";
export * from "./fast";
export * from "./check";
export * from "./experiments";
export * from "./search";
