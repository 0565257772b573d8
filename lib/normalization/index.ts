/** normalization: batch normalization (pure functions and the BatchNorm1d layer) and LayerNorm. */
export * from "./batchnorm-functional";
export * from "./batchnorm-staged";
export * from "./running-statistics";
export * from "./batchnorm-kernels";
export * from "./batchnorm-options";
export * from "./batchnorm1d";
export * from "./fold";
export * from "./population-statistics";
export * from "./layernorm-functional";
export * from "./layernorm";
export * from "./batchnorm2d";
