/** optim: update rules (SGD, MomentumEWA, RMSprop, Adam) and learning-rate schedules. */
export { OptimizerBase } from "./optimizer";
export type { Optimizer, WeightDecayOptions } from "./optimizer";
export * from "./sgd";
export * from "./momentum-ewa";
export * from "./rmsprop";
export * from "./adam";
export * from "./schedules";
export * from "./sgd-kernels";
