/** train: mini-batches, the training step, the training loop and its history. */
export * from "./batches";
export * from "./metrics";
export * from "./step";
export * from "./history";
export * from "./fit";
