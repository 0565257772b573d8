/** check: exercise checks for the notebooks (friendly messages, thrown on a wrong answer). */
export type { CheckValue } from "./values";
export * from "./exercise";
export {
  expandPolynomial,
  formatPolynomial,
  isZeroPolynomial,
  type ExpressionNode,
  type Polynomial,
} from "./polynomial";
