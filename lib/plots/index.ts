/** plots: see the files beside this one. */
export {};
