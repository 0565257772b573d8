/** data: synthetic data sets, MNIST, splits and standardization. */
export * from "./dataset";
