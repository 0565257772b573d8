/** check: exercise checks for the notebooks (friendly messages, thrown on a wrong answer). */
export type { CheckValue } from "./values";
export * from "./exercise";
