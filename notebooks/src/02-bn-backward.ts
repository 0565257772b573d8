// %% [markdown]
// # 02 · The Batch Normalization backward pass, derived and checked by computer algebra
//
// **Lecture sections 2.4.2.1 and 2.4.2.3.** The lecture says that $\gamma$ and $\beta$ are learned like $W$ and $b$, by any
// gradient-descent method (梯度下降), and that BN mainly helps back-propagation (反向传播). In our words: BN is one more layer
// of the network, and gradient descent needs its derivatives — with respect to $\gamma$, $\beta$ and its input. 用我们自己的话说：
// 批标准化是网络中的又一层，梯度下降需要它对 $\gamma$、$\beta$ 和对输入的导数。So we need the
// gradients (梯度) of BN. This notebook derives them through the computational graph (计算图)
// of the paper's Algorithm 1 with the chain rule (链式法则), and lets
// [mathjs](https://mathjs.org) check **every** step:
//
// 1. the graph and the chain rule, term by term;
// 2. each local derivative produced by `math.derivative` and compared with the hand-written one, for $m = 2$ and $3$;
// 3. the term of $\partial\ell/\partial\mu$ that vanishes because $\sum_i (x_i - \mu) = 0$;
// 4. the compact formula, derived, then proved equal to the chain rule symbolically and checked numerically;
// 5. staged, compact and library versions agree; their speed;
// 6. why a bias before BN is redundant: its gradient is zero.
//
// Notation: the input of BN is $x_i$ (the lecture's $z^{(i)}$), $\hat x_i$ the normalized value
// ($z_\text{norm}$), $y_i = \gamma \hat x_i + \beta$ the output ($\tilde z$), $\ell$ the loss and
// $g_i = \partial\ell/\partial y_i$ the gradient arriving from the layers above. Everything is per
// feature, so we write one feature and $m$ examples. See the [glossary](../docs/glossary.md) for the Chinese terms.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";
import * as math from "mathjs";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. The computational graph of Algorithm 1 and its chain rule
//
// ```
// x_1 … x_m ──┬────────────────┬──────────────────┐
//             │                │                  │
//             ▼                │                  │
//    μ = (1/m) Σ x_i           │                  │
//       │        │             │                  │
//       │        ▼             ▼                  │
//       │      σ² = (1/m) Σ (x_i − μ)²            │
//       │             │                           │
//       ▼             ▼                           │
//    x̂_i = (x_i − μ) / √(σ² + ε)   ◄──────────────┘
//                  │
//                  ▼
//    y_i = γ · x̂_i + β             ◄── γ, β (learned)
//                  │
//                  ▼
//                  ℓ   (the loss of the batch)
// ```
//
// Each $x_i$ reaches $\ell$ along three paths: directly into $\hat x_i$, through $\mu$, and through
// $\sigma^2$ ($\mu$ itself also feeds $\sigma^2$). Walking the graph backwards, each node's gradient is
// the sum over its outgoing edges of (gradient of the child) × (local derivative of the edge):
//
// $$\frac{\partial \ell}{\partial \hat x_i} = g_i\,\gamma, \qquad \frac{\partial \ell}{\partial \gamma} = \sum_i g_i\,\hat x_i, \qquad \frac{\partial \ell}{\partial \beta} = \sum_i g_i$$
// $$\frac{\partial \ell}{\partial \sigma^2} = \sum_i \frac{\partial \ell}{\partial \hat x_i}\cdot (x_i - \mu)\cdot\Big(-\tfrac12\Big)(\sigma^2+\varepsilon)^{-3/2}$$
// $$\frac{\partial \ell}{\partial \mu} = \sum_i \frac{\partial \ell}{\partial \hat x_i}\cdot\frac{-1}{\sqrt{\sigma^2+\varepsilon}} \;+\; \frac{\partial \ell}{\partial \sigma^2}\cdot\frac{\sum_i -2(x_i-\mu)}{m}$$
// $$\frac{\partial \ell}{\partial x_i} = \frac{\partial \ell}{\partial \hat x_i}\cdot\frac{1}{\sqrt{\sigma^2+\varepsilon}} \;+\; \frac{\partial \ell}{\partial \sigma^2}\cdot\frac{2(x_i-\mu)}{m} \;+\; \frac{\partial \ell}{\partial \mu}\cdot\frac1m$$
//
// The factors after the dots are the **local derivatives** of the edges. We now let mathjs produce each one.

// %% [markdown]
// ## 2. Every local derivative, by mathjs
//
// Two small tools first. `tex` prints a mathjs expression with our symbols ($\sigma^2$ for `v`,
// $x_1$ for `x1`). `exactlyZero` decides whether an expression is identically 0: mathjs's own
// `simplify` is a heuristic that can leave $ab - ba$ standing, so we use `lab.expandPolynomial`,
// which multiplies everything out into monomials with exact rational coefficients (a canonical form).
// It cannot expand a square root, so `withS` first names $s = \sqrt{\sigma^2+\varepsilon}$.

// %%
const texNames: Record<string, string> = { v: "\\sigma^2", mu: "\\mu", epsilon: "\\varepsilon", gamma: "\\gamma", beta: "\\beta", xhat: "\\hat x", s: "s" };
function tex(node: math.MathNode): string {
  return node.toTex({
    handler: (n: math.MathNode) => {
      if (!math.isSymbolNode(n)) return undefined;
      const indexed = /^([a-z]+)(\d+)$/.exec(n.name);
      return texNames[n.name] ?? (indexed ? ` ${indexed[1]}_{${indexed[2]}}` : undefined); // a leading space, so that "\cdot" and "g_1" do not fuse into "\cdotg_1"
    },
  });
}
/** Replaces √(σ² + ε) by s, (σ² + ε)^p by s^(2p) and σ² + ε by s². */
function withS(node: math.MathNode): math.MathNode {
  const isVariancePlusEps = (n: math.MathNode) => (math.isParenthesisNode(n) ? n.content : n).toString() === "v + epsilon";
  return node.transform((n) => {
    if (math.isFunctionNode(n) && n.fn.name === "sqrt" && isVariancePlusEps(n.args[0])) return new math.SymbolNode("s");
    if (math.isOperatorNode(n) && n.op === "^" && isVariancePlusEps(n.args[0])) return math.parse(`s^(${2 * n.args[1].evaluate()})`);
    if (isVariancePlusEps(n)) return math.parse("s^2");
    return n;
  });
}
function exactlyZero(node: math.MathNode): boolean {
  return lab.isZeroPolynomial(lab.expandPolynomial(withS(node)));
}

// %% [markdown]
// For each edge of the graph: the function of the node, the variable, and the derivative we wrote
// by hand above. mathjs differentiates; we subtract the hand-written form and expand the difference.
// For the edges out of $\mu$ and into $\sigma^2$ we need $m$ explicitly, so they are done for $m = 2$ and $m = 3$.

// %%
function localDerivativeRows(m: number): [string, string, string, string][] {
  const xs = Array.from({ length: m }, (_, i) => `x${i + 1}`);
  const variance = `(${xs.map((x) => `(${x} - mu)^2`).join(" + ")}) / ${m}`;
  const mean = `(${xs.join(" + ")}) / ${m}`;
  const xHat = "(x - mu) / sqrt(v + epsilon)";
  const rows: [string, string, string, string][] = [
    ["y", "gamma * xhat + beta", "xhat", "gamma"],
    ["y", "gamma * xhat + beta", "gamma", "xhat"],
    ["y", "gamma * xhat + beta", "beta", "1"],
    ["\\hat x", xHat, "x", "1 / sqrt(v + epsilon)"],
    ["\\hat x", xHat, "mu", "-1 / sqrt(v + epsilon)"],
    ["\\hat x", xHat, "v", "-(x - mu) / (2 * (v + epsilon)^(3/2))"],
    ["\\sigma^2", variance, "x1", `2 * (x1 - mu) / ${m}`],
    ["\\sigma^2", variance, "mu", `-2 * (${xs.map((x) => `(${x} - mu)`).join(" + ")}) / ${m}`],
    ["\\mu", mean, "x1", `1 / ${m}`],
  ];
  return rows;
}

// %% [markdown]
// For $m = 2$ and $m = 3$, mathjs differentiates each row's expression, subtracts the hand-written derivative and checks that the
// difference expands to exactly 0; the table shows all three side by side (and the cell throws at the first mismatch).

// %%
for (const m of [2, 3]) {
  const lines = [`**m = ${m}** | mathjs \`derivative\` | by hand | mathjs − hand`, "---|---|---|---"];
  for (const [node, expression, variable, byHand] of localDerivativeRows(m)) {
    const derivative = math.derivative(expression, variable);
    const same = exactlyZero(math.parse(`(${derivative.toString()}) - (${byHand})`));
    const of = tex(math.parse(variable));
    lines.push(`$\\partial ${node} / \\partial ${of}$ | $${tex(derivative)}$ | $${tex(math.parse(byHand))}$ | ${same ? "0 ✓" : "**≠ 0 ✗**"}`);
    if (!same) throw new Error(`the hand-written ∂${node}/∂${variable} is wrong for m = ${m}`);
  }
  show.markdown(lines.join("\n"));
}

// %% [markdown]
// *Each row: mathjs's derivative and ours differ by exactly 0. Note how mathjs writes
// $\partial\hat x/\partial\sigma^2$ with $\sqrt{\cdot}^{\,3}$ where we wrote $(\sigma^2+\varepsilon)^{-3/2}$: the same
// function, which the exact expansion (with $s = \sqrt{\sigma^2+\varepsilon}$) confirms.*
//
// ## 3. The term of ∂ℓ/∂μ that vanishes
//
// The second term of $\partial\ell/\partial\mu$ carries $\partial\sigma^2/\partial\mu = -\frac2m\sum_i (x_i - \mu)$. Treated
// as an independent node it is not zero (the table shows it as a polynomial in $x_i$ and $\mu$). But in
// the forward pass $\mu$ **is** the mean of the $x_i$; substitute it and the sum is identically 0:

// %%
for (const m of [2, 3]) {
  const xs = Array.from({ length: m }, (_, i) => `x${i + 1}`);
  const dVarianceDMu = math.derivative(`(${xs.map((x) => `(${x} - mu)^2`).join(" + ")}) / ${m}`, "mu");
  const atTheMean = dVarianceDMu.transform((n) => (math.isSymbolNode(n) && n.name === "mu" ? math.parse(`(${xs.join(" + ")}) / ${m}`) : n));
  show.latex(`m = ${m}: \\quad \\frac{\\partial\\sigma^2}{\\partial\\mu} = ${tex(dVarianceDMu)} \\;\\xrightarrow{\\;\\mu = \\frac1m\\sum_i x_i\\;}\\; ${tex(math.simplify(atTheMean))}`);
  console.log(String(lab.checkIdenticallyZero(`∂σ²/∂μ at μ = mean, m = ${m}`, atTheMean)));
}

// %% [markdown]
// So the path $\mu \to \sigma^2$ contributes nothing. The paper keeps the term; the library's
// `batchNormBackwardStaged` computes it too and gets $\sim 10^{-16}$ from rounding, not exactly 0.
//
// ### Exercise 1 · ∂x̂/∂σ² by hand
//
// Return, as a mathjs expression string in the symbols `x`, `mu`, `v` (for $\sigma^2$) and `epsilon`,
// the derivative of $\hat x = (x-\mu)/\sqrt{\sigma^2+\varepsilon}$ with respect to $\sigma^2$. The check compares it exactly
// with mathjs's derivative. (Any equivalent form is accepted: powers of $\sigma^2+\varepsilon$ or of the square root.)

// %%
function dXHatDVarianceByHand(): string {
  // BEGIN SOLUTION
  return "-(x - mu) / 2 * (v + epsilon)^(-3/2)";
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `dXHatDVarianceByHand` and fails, with a hint, when its result is wrong.

// %%
{
  const mathjs = math.derivative("(x - mu) / sqrt(v + epsilon)", "v");
  const answer = math.parse(dXHatDVarianceByHand());
  show.latex(`\\text{yours: } ${tex(answer)} \\qquad \\text{mathjs: } ${tex(mathjs)}`);
  console.log(String(lab.checkIdenticallyZero("∂x̂/∂σ² (yours − mathjs)", withS(math.parse(`(${mathjs.toString()}) - (${answer.toString()})`)),
    "Write x̂ = (x − μ)·(σ² + ε)^(−1/2) and use the power rule; watch the sign and the 1/2.")));
}

// %% [markdown]
// ## 4. The compact formula
//
// Substitute the local derivatives into the chain rule and simplify by hand, writing
// $s = \sqrt{\sigma^2+\varepsilon}$ and $x_j - \mu = s\,\hat x_j$:
//
// $$\frac{\partial \ell}{\partial \sigma^2} = \sum_j \gamma g_j\, s\hat x_j \Big(-\frac{1}{2s^3}\Big) = -\frac{\gamma}{2s^2}\sum_j g_j \hat x_j,
// \qquad \frac{\partial \ell}{\partial \mu} = -\frac{\gamma}{s}\sum_j g_j + \underbrace{\frac{\partial \ell}{\partial \sigma^2}\cdot 0}_{\text{section 3}}$$
// $$\frac{\partial \ell}{\partial x_i} = \frac{\gamma g_i}{s} - \frac{\gamma}{2s^2}\Big(\sum_j g_j\hat x_j\Big)\frac{2 s \hat x_i}{m} - \frac{\gamma}{m s}\sum_j g_j
// \;=\; \boxed{\frac{\gamma}{m\sqrt{\sigma^2+\varepsilon}}\Big(m\,g_i - \sum_j g_j - \hat x_i \sum_j g_j \hat x_j\Big)}$$
//
// Now mathjs checks the algebra. `stagedGradient(m)` assembles $\partial\ell/\partial x_1$ from the chain rule of
// section 1, using only derivatives that mathjs computed; `compactGradient(m, i)` is the boxed formula.
// Their difference is expanded exactly, after writing $x_i = \mu + c_i$ with $c_m = -(c_1 + \dots + c_{m-1})$
// (that is what "$\mu$ is the mean" means) and $s = \sqrt{\sigma^2+\varepsilon}$.

// %%
const sumOf = (terms: string[]) => terms.map((t) => `(${t})`).join(" + ");
const indices = (m: number) => Array.from({ length: m }, (_, k) => k + 1);

function stagedGradient(m: number): math.MathNode {
  const xHat = math.parse("(x - mu) / sqrt(v + epsilon)");
  const at = (node: math.MathNode, i: number) => node.transform((n) => (math.isSymbolNode(n) && n.name === "x" ? new math.SymbolNode(`x${i}`) : n));
  const variance = `(${indices(m).map((i) => `(x${i} - mu)^2`).join(" + ")}) / ${m}`;
  const [dXHatDx, dXHatDMu, dXHatDv] = ["x", "mu", "v"].map((variable) => math.derivative(xHat, variable));
  const [dVDx1, dVDMu] = ["x1", "mu"].map((variable) => math.derivative(variance, variable));
  const dMuDx1 = math.derivative(`(${indices(m).map((i) => `x${i}`).join(" + ")}) / ${m}`, "x1");
  const dXHat = (i: number) => `gamma * g${i}`; // ∂ℓ/∂x̂ᵢ
  const dV = sumOf(indices(m).map((i) => `${dXHat(i)} * (${at(dXHatDv, i)})`)); // ∂ℓ/∂σ²
  const dMu = `${sumOf(indices(m).map((i) => `${dXHat(i)} * (${at(dXHatDMu, i)})`))} + (${dV}) * (${dVDMu})`; // ∂ℓ/∂μ
  return math.parse(`${dXHat(1)} * (${at(dXHatDx, 1)}) + (${dV}) * (${dVDx1}) + (${dMu}) * (${dMuDx1})`); // ∂ℓ/∂x₁
}

// %% [markdown]
// `compactGradient` is the one-line formula for $\partial\ell/\partial x_i$; `centered` writes every $x_k$ as $\mu + c_k$ with $\sum_k c_k = 0$, which is
// what $\mu$ means, so that mathjs can see the difference vanish. Then the check, for $m = 2$ and $m = 3$:

// %%
function compactGradient(m: number, i: number): math.MathNode {
  const xHat = (k: number) => `(x${k} - mu) / sqrt(v + epsilon)`;
  const gs = indices(m).map((k) => `g${k}`).join(" + ");
  return math.parse(`gamma / (${m} * sqrt(v + epsilon)) * (${m} * g${i} - (${gs}) - ${xHat(i)} * (${sumOf(indices(m).map((k) => `g${k} * ${xHat(k)}`))}))`);
}

/** x_k = μ + c_k with Σ c_k = 0. */
function centered(node: math.MathNode, m: number): math.MathNode {
  const others = indices(m - 1).map((k) => `c${k}`).join(" + ");
  return node.transform((n) => {
    if (!math.isSymbolNode(n) || !/^x\d+$/.test(n.name)) return n;
    const k = Number(n.name.slice(1));
    return math.parse(k === m ? `(mu - (${others}))` : `(mu + c${k})`);
  });
}

for (const m of [2, 3]) {
  const difference = centered(withS(math.parse(`(${stagedGradient(m).toString()}) - (${compactGradient(m, 1).toString()})`)), m);
  console.log(String(lab.checkIdenticallyZero(`chain rule − compact formula, m = ${m}`, difference)));
}

// %% [markdown]
// The identity holds for every value of the symbols, so for $m = 2$ and $m = 3$ the compact formula **is**
// the chain rule. A last, independent check: differentiate the **whole** composition
// $\ell = \sum_i g_i\,(\gamma\hat x_i + \beta)$, with $\mu$ and $\sigma^2$ written out in the $x_i$, and evaluate both at
// random points. (We take $\varepsilon = 0.01$: any $\varepsilon$ tests an identity, and for $m = 2$ with a tiny
// $\varepsilon$ the true gradient is itself tiny — notebook 01: a batch of 2 always gives ±1 — so rounding would dominate.)

// %%
for (const m of [2, 3]) {
  const mean = `(${indices(m).map((i) => `x${i}`).join(" + ")}) / ${m}`;
  const variance = `(${indices(m).map((i) => `(x${i} - ${mean})^2`).join(" + ")}) / ${m}`;
  const loss = sumOf(indices(m).map((i) => `g${i} * (gamma * (x${i} - ${mean}) / sqrt(${variance} + epsilon) + beta)`));
  const full = math.derivative(loss, "x1", { simplify: false }).compile();
  const compactFn = compactGradient(m, 1).compile();
  let worst = 0;
  for (let trial = 0; trial < 5; trial++) {
    const scope: Record<string, number> = { gamma: rng.uniform(0.5, 2), beta: rng.normal(), epsilon: 0.01 };
    for (const i of indices(m)) {
      scope[`x${i}`] = rng.normal(3, 2);
      scope[`g${i}`] = rng.normal();
    }
    scope.mu = indices(m).reduce((acc, i) => acc + scope[`x${i}`], 0) / m;
    scope.v = indices(m).reduce((acc, i) => acc + (scope[`x${i}`] - scope.mu) ** 2, 0) / m;
    const a = full.evaluate(scope) as number;
    const b = compactFn.evaluate(scope) as number;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), 1e-300));
  }
  console.log(`m = ${m}: largest relative difference, full derivative vs compact formula, 5 random points: ${worst.toExponential(2)}`);
}

// %% [markdown]
// Agreement to the last digits of float64. Finally the sum of the compact $\partial\ell/\partial x_i$ over the
// batch, which section 6 needs:

// %%
for (const m of [2, 3]) {
  const total = centered(withS(math.parse(sumOf(indices(m).map((i) => compactGradient(m, i).toString())))), m);
  console.log(String(lab.checkIdenticallyZero(`Σᵢ ∂ℓ/∂xᵢ, m = ${m}`, total)));
}

// %% [markdown]
// ## 5. Staged, compact and library versions agree
//
// On a real batch ($N = 16$ examples, $D = 5$ features, non-trivial $\gamma$, $\beta \ne 0$, inputs with
// mean $\ne 0$ and different scales), with the lecture's $\varepsilon = 10^{-8}$, we compare:
// `lab.batchNormBackwardStaged` (the graph, node by node), `lab.batchNormBackward` (the compact formula),
// the layer `BatchNorm1d.backward`, and centered finite differences of the forward pass (notebook 03 explains them).

// %%
const eps = 1e-8;
const x = new lab.Matrix(16, 5, rng.normalArray(80)).mulRow(lab.Matrix.row([1, 3, 0.5, 10, 2])).addRow(lab.Matrix.row([2, -1, 5, 0, 30]));
const gamma = lab.Matrix.row([1.5, 0.7, -0.4, 2, 1.1]);
const beta = lab.Matrix.row([0.3, -1, 2, 0.5, -0.2]);
const dOut = new lab.Matrix(16, 5, rng.normalArray(80));
const forward = lab.batchNormForward(x, gamma, beta, eps);
const staged = lab.batchNormBackwardStaged(dOut, forward.cache);
const compact = lab.batchNormBackward(dOut, forward.cache);
const bnLayer = new lab.BatchNorm1d(5, { eps });
bnLayer.gamma.value.data.set(gamma.data);
bnLayer.beta.value.data.set(beta.data);
bnLayer.forward(x);
const layerDX = bnLayer.backward(dOut);
const numericDX = lab.numericalGradient((input) => lab.batchNormForward(input, gamma, beta, eps).out, x, dOut);
console.log("dX  staged vs compact:            max |diff| =", lab.maxAbsDiff(staged.dX, compact.dX).toExponential(2));
console.log("dX  compact vs BatchNorm1d:       max |diff| =", lab.maxAbsDiff(compact.dX, layerDX).toExponential(2));
console.log("dX  compact vs finite differences: relError =", lab.relError(compact.dX, numericDX).toExponential(2));
console.log("dγ  staged vs layer:               max |diff| =", lab.maxAbsDiff(staged.dGamma, bnLayer.gamma.grad).toExponential(2));
console.log("dβ  staged vs layer:               max |diff| =", lab.maxAbsDiff(staged.dBeta, bnLayer.beta.grad).toExponential(2));

// %% [markdown]
// *The three analytic versions agree to rounding ($\sim 10^{-15}$); finite differences agree to the
// accuracy finite differences can reach (notebook 03 shows why not better).*
//
// ### Exercise 2 · The compact backward pass
//
// Implement the boxed formula for a whole batch, together with $\partial\ell/\partial\gamma = \sum_i g_i\hat x_i$ and
// $\partial\ell/\partial\beta = \sum_i g_i$. The cache holds `xHat` $[N, D]$, `invStd` $= 1/\sqrt{\sigma^2+\varepsilon}$ $[1, D]$ and
// `gamma` $[1, D]$. Useful: `sumRows()`, `mul`, `mulRow`, `map((value, i, j) => …)`.

// %%
function compactBackward(dOut: lab.Matrix, cache: lab.BatchNormCache): { dX: lab.Matrix; dGamma: lab.Matrix; dBeta: lab.Matrix } {
  // BEGIN SOLUTION
  const N = dOut.rows;
  const dBeta = dOut.sumRows(); // Σᵢ gᵢ
  const dGamma = dOut.mul(cache.xHat).sumRows(); // Σᵢ gᵢ x̂ᵢ
  const dX = dOut.map((g, i, j) => ((cache.gamma.data[j] * cache.invStd.data[j]) / N) * (N * g - dBeta.data[j] - cache.xHat.get(i, j) * dGamma.data[j]));
  return { dX, dGamma, dBeta };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `compactBackward` and fails, with a hint, when its result is wrong.

// %%
{
  const input = new lab.Matrix(8, 3, lab.makeRng(5).normalArray(24, 4, 2)); // mean ≠ 0
  const g = lab.Matrix.row([1.3, -0.6, 2.2]);
  const b = lab.Matrix.row([0.4, 1, -0.7]);
  const upstream = new lab.Matrix(8, 3, lab.makeRng(6).normalArray(24));
  const answer = compactBackward(upstream, lab.batchNormForward(input, g, b, eps).cache);
  console.log(String(lab.checkGradient("dX", answer.dX, { f: (v) => lab.batchNormForward(v, g, b, eps).out, x: input, dOut: upstream, hint: "dX = γ·invStd/N · (N·g − Σg − x̂·Σ(g·x̂)), per column j." })));
  const contracted = () => lab.batchNormForward(input, g, b, eps).out.mul(upstream).sum(); // ℓ = Σ y ⊙ dOut
  console.log(String(lab.checkClose("dGamma", answer.dGamma, lab.numericalGradientOf(contracted, g), { tolerance: 1e-6, hint: "dGamma sums g·x̂ over the batch: one number per feature, [1, D]." })));
  console.log(String(lab.checkClose("dBeta", answer.dBeta, lab.numericalGradientOf(contracted, b), { tolerance: 1e-6, hint: "dBeta sums g over the batch: [1, D]." })));
}

// %% [markdown]
// **Inline question 1.** The compact formula subtracts from $m g_i$ the sum $\sum_j g_j$ and the term $\hat x_i \sum_j g_j \hat x_j$.
// Which path of the graph does each come from, and what do they remove from the upstream gradient? The
// measurable part: on the batch of section 5 (`compact.dX`, $\varepsilon = 10^{-8}$), what are, for each feature,
// $\sum_i \partial\ell/\partial x_i$ and $\sum_i \hat x_i\, \partial\ell/\partial x_i$ (to $10^{-6}$)?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): { sumDX: number; sumXHatDX: number } {
  // BEGIN SOLUTION
  return { sumDX: 0, sumXHatDX: 0 };
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const sums = compact.dX.sumRows(); // Σᵢ ∂ℓ/∂xᵢ, one number per feature
  const weighted = forward.cache.xHat.mul(compact.dX).sumRows(); // Σᵢ x̂ᵢ ∂ℓ/∂xᵢ
  const answer = answerQ1();
  const within = (measured: lab.Matrix, value: number) => Array.from(measured.data).every((v) => Math.abs(v - value) <= 1e-6);
  console.log(String(lab.checkTrue("inline question 1: Σᵢ ∂ℓ/∂xᵢ per feature (to 1e-6)", within(sums, answer.sumDX), "What does the path through μ remove from every gᵢ?")));
  console.log(String(lab.checkTrue("inline question 1: Σᵢ x̂ᵢ ∂ℓ/∂xᵢ per feature (to 1e-6)", within(weighted, answer.sumXHatDX), "What does the path through σ² remove? The factor ε/(σ² + ε) is tiny here.")));
  console.log("measured Σᵢ ∂ℓ/∂xᵢ:     ", Array.from(sums.data, (v) => v.toExponential(1)).join(", "));
  console.log("measured Σᵢ x̂ᵢ ∂ℓ/∂xᵢ:  ", Array.from(weighted.data, (v) => v.toExponential(1)).join(", "));
}

// %% [markdown]
// ### Speed: staged versus compact
//
// CS231n asks how much faster the compact form is. We time both library versions, and the fused
// single-pass kernel of `lib/fast`, on a batch of $N = 256$ examples and $D = 512$ features
// (the median of 15 calls each; timings vary from machine to machine, the ratios less so).

// %%
{
  const big = new lab.Matrix(256, 512, rng.normalArray(256 * 512, 1, 2));
  const bigDOut = new lab.Matrix(256, 512, rng.normalArray(256 * 512));
  const cache = lab.batchNormForward(big, lab.Matrix.full(1, 512, 1.2), lab.Matrix.zeros(1, 512), eps).cache;
  const median = (run: () => unknown) => {
    const times: number[] = [];
    for (let k = 0; k < 16; k++) {
      const start = performance.now();
      run();
      if (k > 0) times.push(performance.now() - start); // the first call warms up the JIT
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  };
  const versions = ["staged (graph)", "compact formula", "fused kernel"];
  const workspace = new lab.Workspace();
  const timings = [
    median(() => lab.batchNormBackwardStaged(bigDOut, cache)),
    median(() => lab.batchNormBackward(bigDOut, cache)),
    median(() => lab.batchNormBackwardFused(bigDOut, cache, { workspace, reuse: true })),
  ];
  versions.forEach((name, k) => console.log(`${name.padEnd(16)} ${timings[k].toFixed(2)} ms  (${(timings[0] / timings[k]).toFixed(1)}× the staged speed)`));
  show.plot(lab.barChart(versions, [{ name: "median time per backward call", values: timings }], { title: "BN backward on a [256, 512] batch", xTitle: "implementation", yTitle: "time per call (ms)" }));
}

// %% [markdown]
// *Compare the bar heights: the staged version builds about ten temporary matrices and loops over
// the data once per node; the compact formula needs two sums and one pass; the fused kernel reuses
// its buffers. Same numbers, different amounts of memory traffic.*

// %% [markdown]
// **Inline question 2.** (CS231n's speed-up question.) The three versions return the same numbers. Where does
// the staged version spend its extra time, and why would you still write it first — and keep it in the library?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// ## 6. A bias before BN is redundant: its gradient is zero
//
// If the layer before BN computes $z = xW + b$, then $\mu$ shifts by $b$ and $z - \mu$ does not change: BN's
// output ignores $b$. The gradient says the same: $\partial\ell/\partial b = \sum_i \partial\ell/\partial z_i$, and section 4 proved
// $\sum_i \partial\ell/\partial x_i = 0$ exactly. That is why `lab.mlp` builds the `Linear` before a `BatchNorm1d`
// with `bias: false`: $\beta$ plays the bias's role. With a bias, on a batch of 32:

// %%
{
  const linear = new lab.Linear(4, 6, { rng, init: { gaussian: 1 } });
  linear.bias?.value.data.set([1, -2, 0.5, 3, -1, 2]); // a bias that is not 0
  const bn = new lab.BatchNorm1d(6, { eps });
  const input = new lab.Matrix(32, 4, rng.normalArray(128, 1, 2));
  const out = bn.forward(linear.forward(input));
  linear.bias?.value.data.fill(100); // a completely different bias
  console.log("max |output change| after replacing b by 100:", lab.maxAbsDiff(out, bn.forward(linear.forward(input))).toExponential(2));
  linear.zeroGrad();
  bn.zeroGrad();
  linear.backward(bn.backward(new lab.Matrix(32, 6, rng.normalArray(192))));
  const biasGrad = linear.bias ? linear.bias.grad : lab.Matrix.zeros(1, 6);
  console.log("largest |∂ℓ/∂b|:", Math.max(...Array.from(biasGrad.data, Math.abs)).toExponential(2));
  console.log("largest |∂ℓ/∂W|:", Math.max(...Array.from(linear.weight.grad.data, Math.abs)).toExponential(2));
}

// %% [markdown]
// The output moves only by rounding when $b$ jumps to 100, and the bias gradient is rounding noise ($\sim 10^{-14}$) while the
// weights' gradients are of order 1: gradient descent would never move $b$. A parameter that cannot
// change the loss is wasted memory and compute, so drop it.

// %% [markdown]
// **Inline question 3.** In evaluation mode $\mu$ and $\sigma^2$ are the running averages, constants. What is
// $\partial\ell/\partial x_i$ then, and why is it not the training-mode formula? The measurable part: which
// expression does `BatchNorm1d.backward` return in evaluation mode (on the batch of section 5)?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ3(): "γ·g / √(runningVar + ε)" | "the compact training-mode formula" | "0" {
  // BEGIN SOLUTION
  return "γ·g / √(runningVar + ε)";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const evalLayer = new lab.BatchNorm1d(5, { eps });
  evalLayer.gamma.value.data.set(gamma.data);
  evalLayer.beta.value.data.set(beta.data);
  evalLayer.forward(x); // one training step fills the running statistics
  evalLayer.eval();
  evalLayer.forward(x);
  const evalDX = evalLayer.backward(dOut);
  const candidates = {
    "γ·g / √(runningVar + ε)": dOut.mulRow(gamma.map((g, _i, j) => g / Math.sqrt(evalLayer.runningVar.data[j] + eps))),
    "the compact training-mode formula": compact.dX,
    "0": lab.Matrix.zeros(16, 5),
  };
  console.log(String(lab.checkClose("inline question 3: BatchNorm1d.backward in evaluation mode", candidates[answerQ3()], evalDX, { tolerance: 1e-12, hint: "In evaluation mode μ and σ² do not depend on the batch: which paths of the graph are left?" })));
}

// %% [markdown]
// ## Summary
//
// - The chain rule through Algorithm 1's graph gives the paper's staged gradients; mathjs produced every
//   local derivative and an exact expansion confirmed each hand-written one.
// - The path $\mu \to \sigma^2$ vanishes because $\sum_i (x_i - \mu) = 0$.
// - The compact formula $\partial\ell/\partial x_i = \frac{\gamma}{m\sqrt{\sigma^2+\varepsilon}}\big(m g_i - \sum_j g_j - \hat x_i\sum_j g_j\hat x_j\big)$
//   equals the chain rule identically ($m = 2, 3$), matches the full derivative numerically, and is the fastest.
// - $\sum_i \partial\ell/\partial x_i = 0$, so a bias before BN gets no gradient.
//
// **In PyTorch** autograd builds this backward for you: `out = bn(x); out.backward(g)` fills `x.grad`, `bn.weight.grad`
// ($\partial\ell/\partial\gamma$) and `bn.bias.grad` ($\partial\ell/\partial\beta$) with the same numbers (the library's golden tests compare
// them to about $10^{-10}$ in float64).
//
// **Next:** [notebook 03](03-gradient-checking.ipynb) asks how far to trust a finite-difference check, and how to check a whole network with BN.
