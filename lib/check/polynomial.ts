/**
 * Exact expansion of an expression tree into a canonical (Laurent) polynomial, to prove that
 * an expression is identically zero, e.g. "staged gradient − compact formula".
 *
 * Computer-algebra `simplify` routines are heuristics: mathjs's `simplify` may leave
 * `a·b − b·a` unreduced. Expanding into a sum of monomials with exact rational coefficients
 * (BigInt numerator/denominator) is a canonical form: the expression is 0 for all values of
 * its symbols exactly when every coefficient is 0.
 *
 * Supported: numbers, symbols, + − × ÷ and integer powers, where a division or a negative
 * power must be by a single monomial (such as s³ or 2·s). Functions such as `sqrt` must be
 * replaced by a symbol first (e.g. s = √(σ² + ε)).
 */
import { InputError } from "../core/checks";

/** The fields of a mathjs expression node read here (mathjs's `parse` returns such nodes). */
export interface ExpressionNode {
  readonly type: string;
  readonly name?: string;
  readonly op?: string;
  readonly value?: unknown;
  readonly args?: readonly ExpressionNode[];
  readonly content?: ExpressionNode;
  toString(): string;
}

/** p/q in lowest terms, q > 0. */
interface Rational {
  p: bigint;
  q: bigint;
}

/** Monomial key ("c1^2*g1*s^-3", "" for a constant) → rational coefficient, zero terms dropped. */
export type Polynomial = Map<string, Rational>;

/** Expands `node` into a canonical polynomial; throws an `InputError` on what it cannot expand. */
export function expandPolynomial(node: ExpressionNode): Polynomial {
  switch (node.type) {
    case "ConstantNode":
      return constant(toRational(node.value));
    case "SymbolNode":
      return new Map([[monomialKey(new Map([[node.name ?? "?", 1]])), { p: 1n, q: 1n }]]);
    case "ParenthesisNode":
      return expandPolynomial(node.content as ExpressionNode);
    case "OperatorNode":
      return expandOperator(node);
    default:
      throw new InputError(
        `expandPolynomial: cannot expand "${node.toString()}" ` +
          `(${node.type}); replace functions such as sqrt by a symbol first.`,
      );
  }
}

function expandOperator(node: ExpressionNode): Polynomial {
  const args = (node.args ?? []).map(expandPolynomial);
  if (args.length === 1 && node.op === "-") return scale(args[0], { p: -1n, q: 1n });
  if (args.length === 1 && node.op === "+") return args[0];
  const [a, b] = args;
  switch (node.op) {
    case "+":
      return add(a, b);
    case "-":
      return add(a, scale(b, { p: -1n, q: 1n }));
    case "*":
      return multiply(a, b);
    case "/":
      return multiply(a, inverseOfMonomial(b, node));
    case "^":
      return power(a, integerExponent(b, node), node);
    default:
      throw new InputError(`expandPolynomial: operator "${node.op}" in "${node.toString()}" is not supported.`);
  }
}

/** True when every coefficient is zero (the expression is identically 0). */
export function isZeroPolynomial(poly: Polynomial): boolean {
  return poly.size === 0;
}

/** A readable form, e.g. "1/2·c1^2·g1 − s^2·g2" (at most `maxTerms` terms). */
export function formatPolynomial(poly: Polynomial, maxTerms = 6): string {
  if (poly.size === 0) return "0";
  const keys = [...poly.keys()].sort();
  const terms = keys.slice(0, maxTerms).map((key) => {
    const { p, q } = poly.get(key) as Rational;
    const coefficient = q === 1n ? `${p}` : `${p}/${q}`;
    return key === "" ? coefficient : `${coefficient}·${key.split("*").join("·")}`;
  });
  return terms.join(" + ") + (keys.length > maxTerms ? ` + … (${keys.length} terms)` : "");
}

// --- rationals ---------------------------------------------------------------------------

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function normalize(p: bigint, q: bigint): Rational {
  if (q < 0n) [p, q] = [-p, -q];
  const g = gcd(p, q) || 1n;
  return { p: p / g, q: q / g };
}

/** A float64 number as an exact rational (every finite double is an integer times a power of 2). */
function toRational(value: unknown): Rational {
  const v = Number(value);
  if (!Number.isFinite(v))
    throw new InputError(`expandPolynomial: the constant ${String(value)} is not a finite number.`);
  let q = 1n;
  let scaled = v;
  while (!Number.isInteger(scaled)) {
    scaled *= 2; // exact in binary floating point
    q *= 2n;
  }
  return normalize(BigInt(scaled), q);
}

// --- polynomials -------------------------------------------------------------------------

function constant(r: Rational): Polynomial {
  return r.p === 0n ? new Map<string, Rational>() : new Map([["", r]]);
}

function monomialKey(exponents: Map<string, number>): string {
  return [...exponents.entries()]
    .filter(([, e]) => e !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, e]) => (e === 1 ? name : `${name}^${e}`))
    .join("*");
}

function parseKey(key: string): Map<string, number> {
  const exponents = new Map<string, number>();
  if (key === "") return exponents;
  for (const factor of key.split("*")) {
    const [name, e = "1"] = factor.split("^");
    exponents.set(name, Number(e));
  }
  return exponents;
}

function addTerm(poly: Polynomial, key: string, r: Rational): void {
  const old = poly.get(key);
  const sum = old ? normalize(old.p * r.q + r.p * old.q, old.q * r.q) : r;
  if (sum.p === 0n) poly.delete(key);
  else poly.set(key, sum);
}

function add(a: Polynomial, b: Polynomial): Polynomial {
  const out: Polynomial = new Map(a);
  for (const [key, r] of b) addTerm(out, key, r);
  return out;
}

function scale(a: Polynomial, r: Rational): Polynomial {
  return multiply(a, constant(r));
}

function multiply(a: Polynomial, b: Polynomial): Polynomial {
  const out: Polynomial = new Map();
  for (const [ka, ra] of a) {
    for (const [kb, rb] of b) {
      const exponents = parseKey(ka);
      for (const [name, e] of parseKey(kb)) exponents.set(name, (exponents.get(name) ?? 0) + e);
      addTerm(out, monomialKey(exponents), normalize(ra.p * rb.p, ra.q * rb.q));
    }
  }
  return out;
}

function inverseOfMonomial(b: Polynomial, node: ExpressionNode): Polynomial {
  if (b.size !== 1) {
    throw new InputError(
      `expandPolynomial: "${node.toString()}" divides by a sum; only a single term such as 2·s³ can be divided by.`,
    );
  }
  const [[key, r]] = [...b];
  const exponents = parseKey(key);
  for (const [name, e] of exponents) exponents.set(name, -e);
  return new Map([[monomialKey(exponents), normalize(r.q, r.p)]]);
}

function integerExponent(b: Polynomial, node: ExpressionNode): number {
  const r = b.size === 0 ? { p: 0n, q: 1n } : b.get("");
  if (b.size > 1 || r === undefined || r.q !== 1n) {
    throw new InputError(`expandPolynomial: the power in "${node.toString()}" must be a whole number.`);
  }
  return Number(r.p);
}

function power(a: Polynomial, n: number, node: ExpressionNode): Polynomial {
  if (n < 0) return power(inverseOfMonomial(a, node), -n, node);
  let out = constant({ p: 1n, q: 1n });
  for (let k = 0; k < n; k++) out = multiply(out, a);
  return out;
}
