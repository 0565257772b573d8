/** data: synthetic data sets, MNIST, splits and standardization. */
export * from "./dataset";
export * from "./synthetic";
export * from "./preprocess";
export * from "./idx";
export * from "./mnist";
