/**
 * Everything in lib/, for the tests and the tools (bench/, scripts/): the teaching API of `index.ts`
 * plus what it leaves out — input checks, workspaces and reused buffers, kernels and their tuning
 * constants, option and result types, the building blocks of search and training. Notebooks import
 * `index.ts` (`import * as lab from ".."`); code here may change without notice to them.
 */
export * from "./core/array-kernels";
export * from "./core/checks";
export * from "./core/format";
export * from "./core/gemm";
export * from "./core/matrix";
export * from "./core/parameter";
export * from "./core/random";
export * from "./core/workspace";
export * from "./gradcheck";
export * from "./layers";
export * from "./normalization";
export * from "./models";
export * from "./optim";
export * from "./train";
export * from "./data";
export * from "./plots";
export * from "./fast"; // importing lib/fast selects the fast kernels, as index.ts does
export * from "./check";
export * from "./experiments";
export * from "./search";
