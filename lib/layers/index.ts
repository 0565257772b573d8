/** layers: see the files beside this one. */
export * from "./layer";
