// %% [markdown]
// # 03 · Gradient checking lab (梯度检验)
//
// **Lecture section 2.4.2.1** says $\gamma$ and $\beta$ are updated by gradient descent like the weights; that is only as good as
// the gradients. In our words: before trusting a backward pass, compare it with what the forward pass alone says the slope is.
// 用我们自己的话说：梯度下降只和梯度一样可靠；在相信反向传播之前，先用前向传播的有限差分来核对它。
//
// Notebook 02 derived BN's backward pass. How do we know an implementation of it is right?
// We compare it with **finite differences** of the forward pass, which need no derivation at all.
// This lab looks at that comparison closely, because a careless gradient check either misses
// bugs or raises false alarms:
//
// 1. one-sided versus centered differences (单侧差分 / 中心差分), and the error-versus-$h$ U-curve;
// 2. three ways to compare two gradients — cs231n's relative error, deeplearning.ai's norm ratio,
//    PyTorch's `allclose` — side by side, with the rules of thumb;
// 3. float32 versus float64;
// 4. a whole MLP with BN in training mode, and why the batch must be perturbed as a whole;
// 5. pitfalls: ReLU kinks, dropout, and an initialization that hides a wrong backward pass.
//
// Terms in Chinese: see the [glossary](../docs/glossary.md). Three exercises check themselves.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. One-sided versus centered differences
//
// Taylor's formula gives the error of each difference quotient for a smooth $f$:
//
// $$\frac{f(t+h) - f(t)}{h} = f'(t) + \underbrace{\tfrac{h}{2} f''(t) + \dots}_{O(h)}, \qquad
// \frac{f(t+h) - f(t-h)}{2h} = f'(t) + \underbrace{\tfrac{h^2}{6} f'''(t) + \dots}_{O(h^2)}$$
//
// So a smaller $h$ should always be better — but each $f$ is computed with a relative rounding error of about
// $\epsilon_\text{mach} = 2^{-52} \approx 2.2 \times 10^{-16}$ (float64), which the division by $h$ amplifies into an error
// of about $\epsilon_\text{mach}|f|/h$. The total error is smallest where the two balance.
//
// Our $f$: one input $x_{00}$ of a BN layer, with the loss $\ell = \sum_{ij} y_{ij}\, g_{ij}$ for a fixed upstream
// gradient $g$ (a batch of 8 examples, 3 features, $\gamma, \beta \ne 0$). The exact derivative is `batchNormBackward`'s $dX_{00}$.

// %%
const eps = 1e-5;
const x = new lab.Matrix(8, 3, rng.normalArray(24, 2, 3)); // mean ≠ 0, spread 3
const gamma = lab.Matrix.row([1.4, -0.7, 0.9]);
const beta = lab.Matrix.row([0.5, -1, 2]);
const dOut = new lab.Matrix(8, 3, rng.normalArray(24));
const exact = lab.batchNormBackward(dOut, lab.batchNormForward(x, gamma, beta, eps).cache).dX.get(0, 0);

/** ℓ as a function of x₀₀ alone: Σ BN(x)ᵢⱼ · gᵢⱼ (float64). */
function lossAt(t: number): number {
  const perturbed = x.clone();
  perturbed.set(0, 0, t);
  return lab.batchNormForward(perturbed, gamma, beta, eps).out.mul(dOut).sum();
}

// %% [markdown]
// Both difference quotients of $\ell$ at $t_0 = x_{00}$, for 45 steps $h$ from $10^{-1}$ down to $10^{-12}$, and their distance from the exact
// derivative, on log–log axes:

// %%
const t0 = x.get(0, 0);
const steps = Array.from({ length: 45 }, (_, k) => lab.exp10(-1 - k * 0.25)); // h = 1e-1 … 1e-12 (lab.exp10: 10ˣ with the same bits in every engine)
const oneSidedError = steps.map((h) => Math.abs((lossAt(t0 + h) - lossAt(t0)) / h - exact));
const centeredError = steps.map((h) => Math.abs((lossAt(t0 + h) - lossAt(t0 - h)) / (2 * h) - exact));
console.log(`exact ∂ℓ/∂x₀₀ = ${exact}`);
show.plot(
  lab.logLogChart(
    [
      { name: "one-sided (f(t+h) − f(t)) / h", x: steps, y: oneSidedError, mode: "lines+markers" },
      { name: "centered (f(t+h) − f(t−h)) / 2h", x: steps, y: centeredError, mode: "lines+markers" },
    ],
    { title: "Error of a finite-difference derivative versus the step h (float64)", xTitle: "step h", yTitle: "|numerical − exact|" },
  ),
);
const best = (errors: number[]) => steps[errors.indexOf(Math.min(...errors))];
console.log(`best h: one-sided ${best(oneSidedError).toExponential(0)}, centered ${best(centeredError).toExponential(0)}`);

// %% [markdown]
// *Read each curve from right to left (large $h$ to small). On the right, truncation dominates: the
// one-sided error falls one decade per decade of $h$ (slope 1), the centered one two decades (slope 2).
// On the left, round-off dominates and both rise again as $1/h$, jagged because rounding is.* The
// bottom of the U sits near $h \approx \sqrt{\epsilon_\text{mach}} \approx 10^{-8}$ for one-sided and
// $h \approx \epsilon_\text{mach}^{1/3} \approx 10^{-5}$ for centered differences, where the centered error is
// several orders of magnitude smaller. Hence the default everywhere: **centered differences with $h \approx 10^{-5}$** in float64.
//
// ### Exercise 1 · A centered difference
//
// Return the centered difference quotient of `f` at `t` with step `h`.

// %%
function centeredDifference(f: (t: number) => number, t: number, h: number): number {
  // BEGIN SOLUTION
  return (f(t + h) - f(t - h)) / (2 * h);
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `centeredDifference` and fails, with a hint, when its result is wrong.

// %%
{
  const quadratic = (t: number) => 3 * t * t + 2 * t; // f′(t) = 6t + 2, and a centered difference is exact for it
  console.log(String(lab.checkClose("centered difference of 3t² + 2t at t = 1, h = 0.1", centeredDifference(quadratic, 1, 0.1), 8, { tolerance: 1e-12, hint: "A one-sided difference would give 8.3 here: use f(t + h) and f(t − h), and divide by 2h." })));
  console.log(String(lab.checkClose("centered difference of exp at t = 0.5, h = 1e-5", centeredDifference(Math.exp, 0.5, 1e-5), Math.exp(0.5), { tolerance: 1e-9 })));
}

// %% [markdown]
// ## 2. Three metrics side by side
//
// Given an analytic gradient $a$ and a numerical one $n$ (whole arrays):
//
// | metric | formula | from |
// |---|---|---|
// | relative error | $\max_i \dfrac{\lvert a_i - n_i\rvert}{\max(\lvert a_i\rvert + \lvert n_i\rvert,\ 10^{-8})}$ | cs231n (`rel_error`) |
// | norm ratio | $\dfrac{\lVert a - n\rVert_2}{\lVert a\rVert_2 + \lVert n\rVert_2}$ | deeplearning.ai (`gradient_check_n`) |
// | allclose, max difference | $\lvert a_i - n_i\rvert \le \text{atol} + \text{rtol}\,\lvert n_i\rvert$ for all $i$ (rtol $10^{-5}$, atol $10^{-8}$); $\max_i \lvert a_i - n_i\rvert$ | PyTorch (`torch.allclose`, `gradcheck`) |
//
// **Rules of thumb** for float64 and centered differences: a relative error around $10^{-7}$ or below is
// good; around $10^{-5}$, look closer; $10^{-3}$ or more, there is a bug. Let us test the rules on five cases,
// all with BN's gradient $dX$ (correct or deliberately spoiled) against finite differences.

// %%
function bnCase(N: number, D: number, epsilon: number) {
  const input = new lab.Matrix(N, D, rng.normalArray(N * D, 2, 3));
  const g = new lab.Matrix(1, D, rng.normalArray(D, 1, 0.5));
  const b = new lab.Matrix(1, D, rng.normalArray(D));
  const upstream = new lab.Matrix(N, D, rng.normalArray(N * D));
  const analytic = lab.batchNormBackward(upstream, lab.batchNormForward(input, g, b, epsilon).cache).dX;
  const numeric = lab.numericalGradient((v) => lab.batchNormForward(v, g, b, epsilon).out, input, upstream);
  return { analytic, numeric };
}
const big = bnCase(32, 8, eps);
const pair = bnCase(2, 8, 1e-8); // a batch of 2: the true gradient is ~1e-8 (notebook 01: ±1 whatever the input)
const oneWrong = big.analytic.clone();
oneWrong.data[5] *= 1.1; // one element of 256 off by 10 %
const cases: [string, lab.Matrix, lab.Matrix][] = [
  ["correct backward", big.analytic, big.numeric],
  ["correct, but the true gradient is tiny (m = 2)", pair.analytic, pair.numeric],
  ["one element of 256 off by 10 %", oneWrong, big.numeric],
  ["every element 1 % too large", big.analytic.scale(1.01), big.numeric],
  ["wrong sign", big.analytic.scale(-1), big.numeric],
];

// %% [markdown]
// Five cases, each a pair (analytic, numerical), and the table of all four metrics with the verdicts of the rules of thumb:

// %%
const verdict = (r: number) => (r <= 1e-6 ? "good" : r < 1e-3 ? "look closer" : "bug");
show.markdown(
  ["case | relError | normRatio | maxAbsDiff | allclose | verdict (relError) | verdict (normRatio)", "---|---|---|---|---|---|---"]
    .concat(cases.map(([name, a, n]) => {
      const r = lab.relError(a, n);
      const q = lab.normRatio(a, n);
      return `${name} | ${r.toExponential(1)} | ${q.toExponential(1)} | ${lab.maxAbsDiff(a, n).toExponential(1)} | ${lab.allclose(a, n)} | ${verdict(r)} | ${verdict(q)}`;
    }))
    .join("\n"),
);

// %% [markdown]
// What the table teaches:
//
// - **Correct backward**: every metric is happy. The max-over-elements relative error is larger than the
//   norm ratio, because it reports the worst element.
// - **Tiny true gradient**: the backward is correct, yet the relative error says "bug": when $a_i \approx 10^{-9}$, the
//   finite difference's absolute error ($\sim 10^{-11}$) is a large *relative* error. The absolute test (`allclose` with
//   its atol, max difference $\sim 10^{-11}$) passes. Always look at the size of the gradient too.
// - **One wrong element**: the relative error catches it; the norm ratio dilutes one bad element among 256
//   into "look closer". An error in one row of a weight matrix can hide in a norm.
// - **1 % off, wrong sign**: all metrics fail, as they should.
//
// ### Exercise 2 · A gradient-check verdict
//
// Write `gradientCheckPasses(analytic, numeric)`: true when the check should pass. Use the lessons above:
// a NaN anywhere fails; pass when cs231n's relative error is below $10^{-6}$, **or** when every difference is
// tiny in absolute terms (`lab.allclose` with its defaults) — the tiny-gradient case.

// %%
function gradientCheckPasses(analytic: lab.Matrix, numeric: lab.Matrix): boolean {
  // BEGIN SOLUTION
  if (analytic.data.some(Number.isNaN) || numeric.data.some(Number.isNaN)) return false;
  return lab.relError(analytic, numeric) < 1e-6 || lab.allclose(analytic, numeric);
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `gradientCheckPasses` and fails, with a hint, when its result is wrong.

// %%
{
  const withNaN = big.analytic.clone();
  withNaN.data[0] = NaN;
  console.log(String(lab.checkTrue("a correct backward passes", gradientCheckPasses(big.analytic, big.numeric) === true)));
  console.log(String(lab.checkTrue("a correct but tiny gradient passes", gradientCheckPasses(pair.analytic, pair.numeric) === true, "The relative error is large here: accept the check when allclose holds.")));
  console.log(String(lab.checkTrue("one wrong element fails", gradientCheckPasses(oneWrong, big.numeric) === false, "Use the max-over-elements relative error (lab.relError), not the norm ratio.")));
  console.log(String(lab.checkTrue("a 1 % error fails", gradientCheckPasses(big.analytic.scale(1.01), big.numeric) === false)));
  console.log(String(lab.checkTrue("a NaN fails", gradientCheckPasses(withNaN, big.numeric) === false, "NaN compares false with everything: test for it explicitly.")));
}

// %% [markdown]
// ## 3. float32 versus float64
//
// GPUs train in float32, where $\epsilon_\text{mach} = 2^{-23} \approx 1.2 \times 10^{-7}$. We recompute the same
// loss with every intermediate result rounded to float32 (`Math.fround`) and redo the U-curve for centered differences.

// %%
/** The same ℓ(x₀₀), with every operation rounded to float32 by `round` (identity for float64). */
function lossAtRounded(t: number, round: (v: number) => number): number {
  let total = 0;
  for (let j = 0; j < x.cols; j++) {
    const column = Array.from({ length: x.rows }, (_, i) => round(i === 0 && j === 0 ? t : x.get(i, j)));
    let mean = 0;
    for (const v of column) mean = round(mean + v);
    mean = round(mean / column.length);
    let variance = 0;
    for (const v of column) variance = round(variance + round(round(v - mean) ** 2));
    variance = round(variance / column.length);
    const invStd = round(1 / round(Math.sqrt(round(variance + eps))));
    column.forEach((v, i) => {
      const y = round(round(gamma.data[j] * round(round(v - mean) * invStd)) + beta.data[j]);
      total = round(total + round(y * dOut.get(i, j)));
    });
  }
  return total;
}

// %% [markdown]
// The centered difference of section 1 computed twice — every operation rounded to float32 with `Math.fround`, and not rounded —
// against the same exact derivative, for every $h$; then the relative error at the usual $h = 10^{-5}$ and the best over all $h$:

// %%
const float64 = (v: number) => v;
const centered32 = steps.map((h) => Math.abs((lossAtRounded(t0 + h, Math.fround) - lossAtRounded(t0 - h, Math.fround)) / (2 * h) - exact));
const centered64 = steps.map((h) => Math.abs((lossAtRounded(t0 + h, float64) - lossAtRounded(t0 - h, float64)) / (2 * h) - exact));
show.plot(
  lab.logLogChart(
    [
      { name: "centered, float64", x: steps, y: centered64, mode: "lines+markers" },
      { name: "centered, float32", x: steps, y: centered32, mode: "lines+markers" },
    ],
    { title: "Centered-difference error in float64 and float32", xTitle: "step h", yTitle: "|numerical − exact|" },
  ),
);
{
  const at = steps.findIndex((h) => Math.abs(h - 1e-5) < 1e-12); // the usual h = 1e-5
  console.log(`relative error at h = 1e-5: float64 ${(centered64[at] / Math.abs(exact)).toExponential(1)}, float32 ${(centered32[at] / Math.abs(exact)).toExponential(1)}`);
  console.log(`best relative error over all h: float64 ${(Math.min(...centered64) / Math.abs(exact)).toExponential(1)}, float32 ${(Math.min(...centered32) / Math.abs(exact)).toExponential(1)} (at h = ${best(centered32).toExponential(0)})`);
}

// %% [markdown]
// *In float32 the round-off arm starts a thousand times higher: at the usual $h = 10^{-5}$ the relative error is about
// $10^{-2}$ ("bug" by the rules of thumb, for a correct backward pass), and the best $h$, around $10^{-2}$, reaches only
// $10^{-5}$–$10^{-6}$ ("look closer"), and only by luck at one step; below $h \approx 10^{-7}$, $t \pm h$ rounds back to $t$,
// the difference is 0 and the error equals $|\text{exact}|$ (the flat line).* Gradient checks are done in float64: this library computes in float64
// throughout, and PyTorch's `gradcheck` insists on double-precision inputs for the same reason.

// %% [markdown]
// **Inline question 1.** Why does the centered difference have an $O(h^2)$ error, and why does the best $h$ grow
// when the arithmetic is less precise? The measurable part: in float32, is the best $h$ for the centered
// difference larger or smaller than in float64 (the two curves above)?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): "larger" | "smaller" | "the same" {
  // BEGIN SOLUTION
  return "larger";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const [best32, best64] = [best(centered32), best(centered64)];
  const measured = best32 > best64 ? "larger" : best32 < best64 ? "smaller" : "the same";
  console.log(String(lab.checkTrue("inline question 1: the best h in float32 compared with float64", answerQ1() === measured, "Find the bottom of each U in the figure above.")));
  console.log(`best h: float64 ${best64.toExponential(0)}, float32 ${best32.toExponential(0)}`);
}

// %% [markdown]
// ## 4. A whole MLP with BN, in training mode
//
// Now every parameter of a small network: 4 inputs → 8 → 8 → 3 classes, tanh activations (smooth), BN after each
// hidden `Linear`, softmax cross-entropy loss (交叉熵), a batch of 16 examples. Before checking, $\gamma$ and $\beta$
// get random non-trivial values (section 5 shows why the initial $\gamma = 1, \beta = 0$ is a bad place to check).
//
// **Why the batch is perturbed as a whole.** In training mode BN couples the examples: nudging one input of
// example 1 moves the batch mean and variance, and so the output of **every** example. The loss we
// differentiate is the loss of the whole batch, and the forward pass for each perturbed value must see the
// whole batch (never one example at a time, which BN cannot even normalize). First, the coupling itself:

// %%
const net = lab.mlp({ inputSize: 4, hiddenSizes: [8, 8], outputSize: 3, activation: "tanh", batchNorm: true, rng });
for (const p of net.parameters()) {
  if (p.name.endsWith("gamma")) p.value.data.set(rng.normalArray(p.value.size, 1, 0.5));
  if (p.name.endsWith("beta")) p.value.data.set(rng.normalArray(p.value.size, 0, 0.5));
}
const xBatch = new lab.Matrix(16, 4, rng.normalArray(64, 1, 2));
const labels = Int32Array.from({ length: 16 }, (_, i) => i % 3);
{
  const nudged = xBatch.clone();
  nudged.set(1, 0, nudged.get(1, 0) + 1e-3); // change one input of example 1
  const logitChange = (mode: "train" | "eval") => {
    if (mode === "train") net.train();
    else net.eval();
    const change = lab.maxAbsDiff(net.forward(xBatch).rowAt(0), net.forward(nudged).rowAt(0));
    net.train();
    return change;
  };
  console.log(`change of example 0's logits when example 1 moves — training mode: ${logitChange("train").toExponential(2)}, evaluation mode: ${logitChange("eval").toExponential(2)}`);
}

// %% [markdown]
// In training mode example 0 feels example 1; in evaluation mode (fixed running statistics) it does not.
// Now the check of every parameter, plus the gradient with respect to the input batch itself. Each
// forward pass in training mode also updates the running statistics; they are not used in training
// mode, so the loss is unaffected.

// %%
function batchLoss(): number {
  return lab.softmaxCrossEntropy(net.forward(xBatch), labels).loss; // the loss of the whole batch
}
function batchGradients(): lab.Matrix {
  net.zeroGrad();
  const result = lab.softmaxCrossEntropy(net.forward(xBatch), labels);
  return net.backward(result.dLogits); // fills every parameter's grad, returns dX
}
const report = lab.gradcheckParameters(net.parameters(), batchLoss, () => void batchGradients(), { tolerance: 1e-6 });
console.log(lab.formatGradcheckReport(report));
const dXBatch = batchGradients();
const numericDX = lab.numericalGradientOf(batchLoss, xBatch);
console.log(`input batch x [16, 4]: relError ${lab.relError(dXBatch, numericDX).toExponential(2)}, normRatio ${lab.normRatio(dXBatch, numericDX).toExponential(2)}`);

// %% [markdown]
// Every row passes. The worst relative errors ($\sim 10^{-7}$) come from the smallest gradient elements, which is why the
// tolerance here is $10^{-6}$ and why the norm ratio ($\sim 10^{-10}$) is printed beside them.

// %% [markdown]
// **Inline question 2.** Why can you not check the gradient of a BN network one example at a time, as for a
// network without BN? The measurable part: in a fresh BN network, does nudging one input of example 1 change
// example 0's logits in training mode? In evaluation mode?

// %% [markdown]
// *Your answer:* …

// %%
type Effect = "changes" | "does not change";
function answerQ2(): { training: Effect; evaluation: Effect } {
  // BEGIN SOLUTION
  return { training: "changes", evaluation: "does not change" };
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const probe = lab.mlp({ inputSize: 4, hiddenSizes: [8, 8], outputSize: 3, activation: "tanh", batchNorm: true, rng: lab.makeRng(11) });
  const batch = new lab.Matrix(16, 4, lab.makeRng(12).normalArray(64, 1, 2));
  const nudged = batch.clone();
  nudged.set(1, 0, nudged.get(1, 0) + 1e-3); // one input of example 1
  const effect = (): Effect => (lab.maxAbsDiff(probe.forward(batch).rowAt(0), probe.forward(nudged).rowAt(0)) > 0 ? "changes" : "does not change");
  const training = effect();
  probe.eval();
  const evaluation = effect();
  const answer = answerQ2();
  console.log(String(lab.checkTrue("inline question 2: training mode", answer.training === training, "In training mode BN normalizes with the statistics of the whole batch.")));
  console.log(String(lab.checkTrue("inline question 2: evaluation mode", answer.evaluation === evaluation, "In evaluation mode BN uses the running statistics, fixed numbers.")));
}

// %% [markdown]
// ## 5. Pitfalls
//
// ### ReLU kinks
//
// ReLU has no derivative at 0. If an input lies within $h$ of 0, the centered difference straddles the kink
// and returns a value between the two slopes 0 and 1 — although the backward pass is right:

// %%
{
  const relu = new lab.ReLU();
  const input = lab.Matrix.row([1.3, -0.8, 3e-6, -2e-6, 0.4]); // two inputs closer to 0 than h = 1e-5
  const ones = lab.Matrix.row([1, 1, 1, 1, 1]);
  relu.forward(input);
  const analytic = relu.backward(ones);
  for (const h of [1e-5, 1e-7]) {
    const numeric = lab.numericalGradient((v) => relu.forward(v), input, ones, h);
    console.log(`h = ${h.toExponential(0)}: analytic ${Array.from(analytic.data).join(", ")} | numerical ${Array.from(numeric.data, (v) => v.toFixed(3)).join(", ")} | relError ${lab.relError(analytic, numeric).toExponential(1)}`);
  }
}

// %% [markdown]
// With $h = 10^{-7}$, smaller than the distance to the kink, the check passes again. In a network, count
// how many ReLU inputs lie within $h$ of 0 before blaming the backward pass (cs231n's "kinks" note), or
// check with smooth activations, as section 4 did.
//
// ### Dropout
//
// Dropout draws a new random mask at every forward pass, so $f(x+h)$ and $f(x-h)$ are different functions,
// and the difference quotient is noise. Fix the mask: here by re-seeding the layer before each forward pass.

// %%
{
  const input = new lab.Matrix(4, 5, rng.normalArray(20));
  const upstream = new lab.Matrix(4, 5, rng.normalArray(20));
  const dropout = new lab.Dropout(0.5, { rng: lab.makeRng(3) });
  dropout.forward(input);
  const analytic = dropout.backward(upstream); // the mask of that forward pass
  const fresh = lab.numericalGradient((v) => dropout.forward(v), input, upstream);
  const seeded = lab.numericalGradient((v) => new lab.Dropout(0.5, { rng: lab.makeRng(3) }).forward(v), input, upstream);
  console.log(`new mask at every forward: relError ${lab.relError(analytic, fresh).toExponential(1)}`);
  console.log(`the same mask every time:  relError ${lab.relError(analytic, seeded).toExponential(1)}`);
}

// %% [markdown]
// ### An initialization that hides a wrong backward pass
//
// Here is a BN backward with two bugs: its $dX$ forgets the factor $\gamma$, and its $d\gamma$ uses $x$ instead of $\hat x$.
// We check it three times: at the textbook starting point ($\gamma = 1$, $\beta = 0$, on an input that is already
// standardized, as after a previous BN layer or standardized data), with an all-zero upstream gradient, and at
// random, non-trivial values.

// %%
function buggyBackward(upstream: lab.Matrix, input: lab.Matrix, cache: lab.BatchNormCache) {
  const N = upstream.rows;
  const sumG = upstream.sumRows(); // Σᵢ gᵢ
  const sumGXHat = upstream.mul(cache.xHat).sumRows(); // Σᵢ gᵢ·x̂ᵢ
  const dX = upstream.map((g, i, j) => (cache.invStd.data[j] / N) * (N * g - sumG.data[j] - cache.xHat.get(i, j) * sumGXHat.data[j])); // bug: the factor γ is missing
  const dGamma = upstream.mul(input).sumRows(); // bug: x instead of x̂
  return { dX, dGamma };
}
function checkBackward(input: lab.Matrix, g: lab.Matrix, b: lab.Matrix, upstream: lab.Matrix) {
  const cache = lab.batchNormForward(input, g, b, eps).cache;
  const buggy = buggyBackward(upstream, input, cache);
  const finiteDX = lab.numericalGradient((v) => lab.batchNormForward(v, g, b, eps).out, input, upstream);
  const finiteDGamma = lab.numericalGradientOf(() => lab.batchNormForward(input, g, b, eps).out.mul(upstream).sum(), g);
  return { dX: lab.relError(buggy.dX, finiteDX), dGamma: lab.relError(buggy.dGamma, finiteDGamma) };
}

// %% [markdown]
// The check at three points: the textbook point (γ = 1, β = 0, standardized columns: there $\hat x = x$ and γ = 1, so neither bug changes a number), an
// all-zero upstream gradient, and a random point:

// %%
{
  // the textbook point: γ = 1, β = 0, and columns with mean 0 and variance 1 − ε, so that x̂ = x/√(σ² + ε) = x
  const raw = new lab.Matrix(16, 3, rng.normalArray(48));
  const mean = raw.meanRows();
  const centered = raw.map((v, _i, j) => v - mean.data[j]);
  const variance = centered.mul(centered).meanRows();
  const standardized = centered.map((v, _i, j) => v * Math.sqrt((1 - eps) / variance.data[j]));
  const atNice = checkBackward(standardized, lab.Matrix.full(1, 3, 1), lab.Matrix.zeros(1, 3), new lab.Matrix(16, 3, rng.normalArray(48)));
  const randomInput = new lab.Matrix(16, 3, rng.normalArray(48, 2, 3));
  const randomGamma = lab.Matrix.row([1.6, -0.5, 0.8]);
  const randomBeta = lab.Matrix.row([0.3, 1, -2]);
  const atRandom = checkBackward(randomInput, randomGamma, randomBeta, new lab.Matrix(16, 3, rng.normalArray(48)));
  const atZero = checkBackward(randomInput, randomGamma, randomBeta, lab.Matrix.zeros(16, 3)); // an all-zero upstream gradient
  console.log(`textbook point: relError dX ${atNice.dX.toExponential(1)}, dGamma ${atNice.dGamma.toExponential(1)}  → ${atNice.dX < 1e-6 && atNice.dGamma < 1e-6 ? "PASSES (bugs hidden)" : "fails"}`);
  console.log(`zero upstream:  relError dX ${atZero.dX.toExponential(1)}, dGamma ${atZero.dGamma.toExponential(1)}  → ${atZero.dX < 1e-6 && atZero.dGamma < 1e-6 ? "PASSES (bugs hidden)" : "fails"}`);
  console.log(`random point:   relError dX ${atRandom.dX.toExponential(1)}, dGamma ${atRandom.dGamma.toExponential(1)}  → ${atRandom.dX < 1e-6 && atRandom.dGamma < 1e-6 ? "passes" : "FAILS (bugs caught)"}`);
}

// %% [markdown]
// At the textbook point the wrong code agrees with finite differences to rounding: with $\gamma = 1$ a missing
// $\gamma$ changes nothing, and on a standardized input $x = \hat x$. At random values both bugs show at once. So: **check at random, non-trivial values**
// ($\gamma$ away from 1, $\beta \ne 0$, inputs with mean $\ne 0$ and varied scales, a random upstream gradient), never
// only at the initialization. An all-zero upstream gradient (or all-zero weights) hides everything: every gradient,
// right or wrong, is 0, and 0 agrees with 0.
//
// ### Exercise 3 · Catch the bug
//
// Return a gradient check of `buggyBackward`'s $dX$ that **fails**: choose the input, $\gamma$, $\beta$ and upstream gradient
// (non-trivial ones!) and return cs231n's relative error between `buggyBackward(...).dX` and finite differences.
// The check also runs your setup on the correct `lab.batchNormBackward`, which must pass.

// %%
function bugCatchingSetup(): { input: lab.Matrix; gamma: lab.Matrix; beta: lab.Matrix; upstream: lab.Matrix } {
  // BEGIN SOLUTION
  const setupRng = lab.makeRng(42);
  return {
    input: new lab.Matrix(10, 2, setupRng.normalArray(20, 3, 2)),
    gamma: lab.Matrix.row([1.7, -0.6]),
    beta: lab.Matrix.row([0.5, -1.5]),
    upstream: new lab.Matrix(10, 2, setupRng.normalArray(20)),
  };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `bugCatchingSetup` and fails, with a hint, when its result is wrong.

// %%
{
  const setup = bugCatchingSetup();
  const f = (v: lab.Matrix) => lab.batchNormForward(v, setup.gamma, setup.beta, eps).out;
  const cache = lab.batchNormForward(setup.input, setup.gamma, setup.beta, eps).cache;
  const numeric = lab.numericalGradient(f, setup.input, setup.upstream);
  console.log(String(lab.checkGradient("the correct backward on your setup", lab.batchNormBackward(setup.upstream, cache).dX, { f, x: setup.input, dOut: setup.upstream })));
  const buggyError = lab.relError(buggyBackward(setup.upstream, setup.input, cache).dX, numeric);
  console.log(String(lab.checkTrue(`your setup catches the bug (relError ${buggyError.toExponential(1)} ≥ 1e-3)`, buggyError >= 1e-3, "Use γ ≠ 1, an input with mean ≠ 0 and a random upstream gradient, so that no term vanishes.")));
}

// %% [markdown]
// ## Summary
//
// - Use **centered** differences with $h \approx 10^{-5}$ in float64: the error-versus-$h$ curve is a U, truncation on the
//   right, round-off on the left.
// - Report more than one metric: the max-over-elements relative error catches a single bad element but raises false
//   alarms when the true gradient is tiny; an absolute test (`allclose`, max difference) covers that case; the norm ratio dilutes.
// - Check in float64; float32 cannot reach the rules of thumb.
// - With BN in training mode, perturb the input within the whole batch: the examples are coupled.
// - Kinks, dropout masks and "nice" initial values fool a gradient check; random non-trivial values catch real bugs.
//
// **In PyTorch:** `torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-5, rtol=1e-3)` does the centered-difference comparison of
// this notebook; give it `float64` tensors (`x = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)`), for the reason of
// section 3. A BatchNorm module in `train()` mode couples the batch, so check it as a function of the whole `x`, as in section 4.

// %% [markdown]
// **Inline question 3.** Your gradient check passes, yet training diverges. Name two things a passing check does
// not guarantee, and for each a measurement that would find the problem.

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// **Next:** [notebook 04](04-with-and-without-bn.ipynb) trains networks with and without BN.
