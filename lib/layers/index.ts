/** layers: see the files beside this one. */
export * from "./layer";
export * from "./init";
export * from "./linear";
export * from "./activations";
export * from "./dropout";
export * from "./sequential";
export * from "./losses";
export * from "./layer-kernels";
