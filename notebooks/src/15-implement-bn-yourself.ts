// %% [markdown]
// # 15 · Implement Batch Normalization yourself (自己实现批标准化)
//
// Section 2.4.2.1 of the lecture text (批标准化公式) gives the four formulas of the forward pass and
// says that $\gamma$ and $\beta$ are learned by gradient descent, exactly like $W$ and $b$. Learning them
// needs the backward pass. Notebooks 01 and 02 showed both with the library; here **you** write every
// piece, with plain loops over the numbers of a `Matrix` (`x.get(i, j)`, `out.set(i, j, value)`), in the
// spirit of CS231n's BatchNormalization assignment:
//
// *2.4.2.1 restated:* for each hidden unit, subtract the batch mean, divide by the batch standard
// deviation (with $\varepsilon = 10^{-8}$ under the root), then scale by $\gamma$ and shift by $\beta$, two
// parameters learned like $W$ and $b$. 对每个隐藏单元:减去批均值,除以批标准差(根号下加
// $\varepsilon = 10^{-8}$),再用可学习的 $\gamma$ 缩放、$\beta$ 平移;$\gamma, \beta$ 与 $W, b$ 一样用梯度下降更新。
//
// 1. The forward pass in training mode (Exercises 1–2)
// 2. Running statistics and the evaluation mode (Exercises 3–4), and how noisy batch statistics are
// 3. The backward pass through Algorithm 1's graph, one node at a time (Exercises 5–9)
// 4. The compact backward pass (Exercise 10)
// 5. LayerNorm (层标准化), forward and backward (Exercises 11–12)
// 6. Your layer inside a network, checked by finite differences (Exercises 13–14)
//
// Every **Exercise** has a check cell that compares your numbers with the library's to about $10^{-10}$
// and, when they differ, says what it expected, what came, and where to look. Two **inline questions**
// ask you to predict or read something, and check your answer against this notebook's own run.
// Chinese terms: [glossary](../docs/glossary.md).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. The forward pass in training mode
//
// A batch $x$ of $N$ examples and $D$ features, one row per example ($[N, D]$, the transpose of the
// lecture's $Z^{[l]}$). For each feature (column) $j$:
//
// $$\mu_j = \frac1N\sum_{i=1}^N x_{ij}, \qquad \sigma_j^2 = \frac1N\sum_{i=1}^N (x_{ij}-\mu_j)^2, \qquad
// \hat x_{ij} = \frac{x_{ij}-\mu_j}{\sqrt{\sigma_j^2+\varepsilon}}, \qquad y_{ij} = \gamma_j\,\hat x_{ij} + \beta_j$$
//
// The variance divides by $N$ (biased), as the paper, the lecture and PyTorch do when normalizing. We
// test on a batch whose features have means $\ne 0$ and very different scales, with $\gamma$ of both
// signs and $\beta \ne 0$ (a zero or identity setting can hide a mistake), and keep the library's result
// to compare with.

// %%
const eps = 1e-8; // the lecture's ε
const x = new lab.Matrix(6, 4, rng.normalArray(24)).mulRow(lab.Matrix.row([1, 3, 0.5, 10])).addRow(lab.Matrix.row([2, -1, 5, 30])); // [N, D] = [6, 4]
const gamma = lab.Matrix.row([1.5, 0.7, -0.4, 2]);
const beta = lab.Matrix.row([0.3, -1, 2, 0.5]);
const dOut = new lab.Matrix(6, 4, rng.normalArray(24)); // ∂ℓ/∂y, as if from the layers above
const reference = lab.batchNormForward(x, gamma, beta, eps); // the library's forward pass
show.matrix(x, { name: "x [6, 4]" });

// %% [markdown]
// ### Exercise 1 · The batch statistics
//
// Fill `mean` and `variance` (both $[1, D]$) with $\mu_j$ and the biased $\sigma_j^2$ of each column. Loops
// only: no `meanRows()`.

// %%
function batchStatistics(x: lab.Matrix): { mean: lab.Matrix; variance: lab.Matrix } {
  // BEGIN SOLUTION
  const [N, D] = x.shape;
  const mean = new lab.Matrix(1, D);
  const variance = new lab.Matrix(1, D);
  for (let j = 0; j < D; j++) {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += x.get(i, j);
    mean.set(0, j, sum / N); // μⱼ
    let squares = 0;
    for (let i = 0; i < N; i++) squares += (x.get(i, j) - mean.get(0, j)) ** 2;
    variance.set(0, j, squares / N); // σ²ⱼ, biased
  }
  return { mean, variance };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `batchStatistics` and fails, with a hint, when its result is wrong.

// %%
{
  const answer = batchStatistics(x);
  console.log(String(lab.checkShape("mean shape", answer.mean, [1, 4], "One mean per feature: a [1, D] row.")));
  console.log(String(lab.checkClose("μ", answer.mean, reference.mean, { tolerance: 1e-10, hint: "μⱼ sums DOWN column j, over the N examples (rows), and divides by N. The library's value: lab.batchNormForward(x, …).mean." })));
  console.log(String(lab.checkClose("σ²", answer.variance, reference.variance, { tolerance: 1e-10, hint: "σ²ⱼ = (1/N) Σᵢ (xᵢⱼ − μⱼ)²: divide by N, not N − 1. The library's value: lab.batchNormForward(x, …).variance." })));
}

// %% [markdown]
// ### The cache
//
// The backward pass (section 3) needs numbers that the forward pass computed. As in CS231n, the forward
// pass returns them in a **cache**; we name its fields as the library does.

// %%
/** What the backward pass needs from the forward pass (per-feature values are [1, D]). */
interface Cache {
  mean: lab.Matrix; // μ, [1, D]
  variance: lab.Matrix; // σ², biased, [1, D]
  xCentered: lab.Matrix; // x − μ, [N, D]
  invStd: lab.Matrix; // 1/√(σ² + ε), [1, D]
  xHat: lab.Matrix; // x̂ = (x − μ)·invStd, [N, D]
  gamma: lab.Matrix; // γ, [1, D]
  eps: number;
}

// %% [markdown]
// ### Exercise 2 · The forward pass
//
// Return $y = \gamma\hat x + \beta$ $[N, D]$ and the cache. Use your `batchStatistics`.

// %%
function bnForwardTrain(x: lab.Matrix, gamma: lab.Matrix, beta: lab.Matrix, eps: number): { out: lab.Matrix; cache: Cache } {
  // BEGIN SOLUTION
  const [N, D] = x.shape;
  const { mean, variance } = batchStatistics(x);
  const [xCentered, xHat, out] = [new lab.Matrix(N, D), new lab.Matrix(N, D), new lab.Matrix(N, D)];
  const invStd = new lab.Matrix(1, D);
  for (let j = 0; j < D; j++) {
    invStd.set(0, j, 1 / Math.sqrt(variance.get(0, j) + eps)); // 1/√(σ² + ε)
    for (let i = 0; i < N; i++) {
      xCentered.set(i, j, x.get(i, j) - mean.get(0, j)); // x − μ
      xHat.set(i, j, xCentered.get(i, j) * invStd.get(0, j)); // x̂
      out.set(i, j, gamma.get(0, j) * xHat.get(i, j) + beta.get(0, j)); // y = γ·x̂ + β
    }
  }
  return { out, cache: { mean, variance, xCentered, invStd, xHat, gamma, eps } };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `bnForwardTrain` and fails, with a hint, when its result is wrong.

// %%
{
  const { out, cache } = bnForwardTrain(x, gamma, beta, eps);
  console.log(String(lab.checkClose("x̂", cache.xHat, reference.cache.xHat, { tolerance: 1e-10, hint: "x̂ = (x − μ)/√(σ² + ε), with ε INSIDE the root. The library's value: lab.batchNormForward(…).cache.xHat." })));
  console.log(String(lab.checkClose("1/√(σ² + ε)", cache.invStd, reference.cache.invStd, { tolerance: 1e-10, hint: "cache.invStd is one number per feature, [1, D]." })));
  console.log(String(lab.checkClose("y = γx̂ + β", out, reference.out, { tolerance: 1e-10, hint: "γⱼ and βⱼ belong to column j. The library's value: lab.batchNormForward(x, gamma, beta, eps).out." })));
}

// %% [markdown]
// **Inline question 1 (predict first).** Before you run anything: what does your `bnForwardTrain` return for a batch of
// **one** example, $x = [[0.3, -1.2, 4, 7]]$? Think about $\mu$, $\sigma^2$ and $x - \mu$ for $N = 1$. Then run the cell after
// the answer. (The library's `BatchNorm1d` refuses such a batch in training mode, as PyTorch does — notebook 01 — and your
// answer says why.)

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): "β" | "x itself" | "NaN in every entry" | "γ + β" {
  // BEGIN SOLUTION
  return "β";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const single = bnForwardTrain(lab.Matrix.from([[0.3, -1.2, 4, 7]]), gamma, beta, eps).out;
  console.log("your forward pass on one example:", Array.from(single.data).join(", "), "  β:", Array.from(beta.data).join(", "));
  const candidates = { "β": beta, "x itself": lab.Matrix.from([[0.3, -1.2, 4, 7]]), "NaN in every entry": lab.Matrix.full(1, 4, NaN), "γ + β": gamma.add(beta) };
  const measured = Object.entries(candidates).find(([, value]) => lab.maxAbsDiff(value, single) <= 1e-12)?.[0];
  console.log(String(lab.checkTrue("inline question 1: BN of a single example", answerQ1() === measured, "With N = 1, μ = x, so x − μ = 0 and σ² = 0: what is x̂, and then γ·x̂ + β?")));
}

// %% [markdown]
// ## 2. Running statistics and the evaluation mode
//
// At test time there may be a single example, and its output must not depend on which other examples
// share its batch. So during training the layer keeps an exponential moving average (滑动平均) of the batch
// statistics, and evaluation mode normalizes with it. PyTorch's convention, which the library follows:
//
// $$\text{running mean} \leftarrow (1-\rho)\cdot\text{running mean} + \rho\cdot\mu_B, \qquad
// \text{running var} \leftarrow (1-\rho)\cdot\text{running var} + \rho\cdot\frac{N}{N-1}\,\sigma_B^2$$
//
// with momentum $\rho = 0.1$ (PyTorch's `momentum`, the weight of the **new** batch; the batch size is $N$ here, $m$ in the lecture), starting from mean 0 and variance 1. The running
// variance averages the **unbiased** batch variance ($\div(N-1)$), although the batch itself was normalized with
// the biased one. (CS231n calls $1 - \rho = 0.9$ the momentum; [notebook 05](05-bn-at-test-time.ipynb) compares the conventions.)
//
// ### Exercise 3 · Update the running statistics
//
// Update `running.mean` and `running.variance` **in place** from one batch's `mean` and biased `variance`.

// %%
function updateRunningStatistics(
  running: { mean: lab.Matrix; variance: lab.Matrix },
  batch: { mean: lab.Matrix; variance: lab.Matrix },
  N: number,
  momentum: number,
): void {
  // BEGIN SOLUTION
  for (let j = 0; j < running.mean.cols; j++) {
    const unbiased = (batch.variance.get(0, j) * N) / (N - 1); // σ²·N/(N − 1)
    running.mean.set(0, j, (1 - momentum) * running.mean.get(0, j) + momentum * batch.mean.get(0, j));
    running.variance.set(0, j, (1 - momentum) * running.variance.get(0, j) + momentum * unbiased);
  }
  // END SOLUTION
}

// %% [markdown]
// The check feeds five batches of different sizes to the library's `BatchNorm1d` and to your update, and
// compares the running statistics after each.

// %%
{
  const layer = new lab.BatchNorm1d(4, { eps, momentum: 0.1 });
  const running = { mean: lab.Matrix.zeros(1, 4), variance: lab.Matrix.full(1, 4, 1) }; // PyTorch's start
  const batchRng = lab.makeRng(11);
  for (const N of [6, 9, 4, 12, 5]) {
    const batch = new lab.Matrix(N, 4, batchRng.normalArray(4 * N, 3, 2));
    layer.forward(batch); // training mode: updates layer.runningMean and layer.runningVar
    updateRunningStatistics(running, batchStatistics(batch), N, 0.1);
  }
  console.log(String(lab.checkClose("running mean after 5 batches", running.mean, layer.runningMean, { tolerance: 1e-10, hint: "(1 − momentum)·running + momentum·μ_B: momentum weights the NEW batch. The library's value: layer.runningMean." })));
  console.log(String(lab.checkClose("running variance after 5 batches", running.variance, layer.runningVar, { tolerance: 1e-10, hint: "Average the UNBIASED batch variance σ²·N/(N − 1). The library's value: layer.runningVar." })));
}

// %% [markdown]
// ### Exercise 4 · The forward pass in evaluation mode
//
// $$y_{ij} = \gamma_j\,\frac{x_{ij} - \text{running mean}_j}{\sqrt{\text{running var}_j + \varepsilon}} + \beta_j$$
//
// Every row is transformed on its own, so any $N \ge 1$ works. Return $y$ $[N, D]$.

// %%
function bnForwardEval(x: lab.Matrix, runningMean: lab.Matrix, runningVar: lab.Matrix, gamma: lab.Matrix, beta: lab.Matrix, eps: number): lab.Matrix {
  // BEGIN SOLUTION
  const [N, D] = x.shape;
  const out = new lab.Matrix(N, D);
  for (let j = 0; j < D; j++) {
    const invStd = 1 / Math.sqrt(runningVar.get(0, j) + eps);
    for (let i = 0; i < N; i++) out.set(i, j, gamma.get(0, j) * (x.get(i, j) - runningMean.get(0, j)) * invStd + beta.get(0, j));
  }
  return out;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `bnForwardEval` and fails, with a hint, when its result is wrong.

// %%
{
  const layer = new lab.BatchNorm1d(4, { eps });
  layer.gamma.value.data.set(gamma.data);
  layer.beta.value.data.set(beta.data);
  for (let k = 0; k < 3; k++) layer.forward(new lab.Matrix(8, 4, lab.makeRng(20 + k).normalArray(32, 1, 3))); // fills the running statistics
  layer.eval();
  for (const test of [x, lab.Matrix.from([[0.3, -1.2, 4, 7]])]) { // a batch, and a single example
    const yours = bnForwardEval(test, layer.runningMean, layer.runningVar, gamma, beta, eps);
    console.log(String(lab.checkClose(`evaluation mode, N = ${test.rows}`, yours, layer.forward(test), { tolerance: 1e-10, hint: "Use the running statistics given, not the batch's; ε inside the root. The library's value: BatchNorm1d after eval()." })));
  }
}

// %% [markdown]
// ### How noisy are batch statistics? (drag the slider)
//
// Training mode normalizes an example with its batch's $\mu_B$ and $\sigma_B$, which change from batch to
// batch; evaluation mode uses fixed statistics. How much does that matter? Take a feature whose population
// is normal with mean 2 and standard deviation 1.5, and one fixed example $x_0 = 3.5$: one standard deviation
// above the mean, so with the **population** statistics $\hat x_0 = 1$. Put $x_0$ into 400 random batches of
// $m - 1$ other examples each and normalize with each batch's own statistics (your `bnForwardTrain`). The
// figure stores one histogram per batch size $m$; the slider switches between them in your browser
// (no kernel needed).

// %%
const batchSizes = [2, 3, 5, 10, 20, 50, 100, 200, 500];
const x0 = 3.5; // (3.5 − 2)/1.5 = 1 with the population statistics
const withinHalf = new Map<number, number>(); // m → fraction of batches with |x̂₀ − 1| < 0.5
const noiseSteps = batchSizes.map((m) => {
  const noiseRng = lab.makeRng(100 + m);
  const values = Array.from({ length: 400 }, () => {
    const batch = new lab.Matrix(m, 1, Float64Array.from({ length: m }, (_, i) => (i === 0 ? x0 : noiseRng.normal(2, 1.5))));
    return bnForwardTrain(batch, lab.Matrix.row([1]), lab.Matrix.row([0]), eps).out.get(0, 0); // x̂₀ in this batch
  });
  withinHalf.set(m, values.filter((v) => Math.abs(v - 1) < 0.5).length / values.length);
  const title = `m = ${m}: x̂₀ within 0.5 of 1 in ${(100 * withinHalf.get(m)!).toFixed(1)} % of 400 batches`;
  return { label: String(m), figure: lab.histogram([{ name: "x̂₀ in one batch", values }], { title, xTitle: "x̂₀ (population value 1)", bins: 48, range: [-1, 3], normalize: "probability density" }) };
});
show.plot(lab.sliderFigure(noiseSteps, { sliderLabel: "batch size m", active: 3, height: 480 }));

// %% [markdown]
// *Drag from m = 2 to 500. At m = 2 every normalized value is ±1 (notebook 01): $x_0$ comes out as exactly 1
// whenever it is the larger of the two, so most batches look "right" for the wrong reason, and the rest give −1.
// At m = 3 and 5 the histogram is wide; from there it narrows around the population value 1 as the batch
// statistics improve — slowly, like $1/\sqrt m$.*
//
// **Inline question 2.** Using the slider: what is the **smallest** batch size $m$ on it for which $x_0$ comes out
// within 0.5 of its population value in at least 90 % of the batches? What does that say about the noise
// that training-mode BN adds to each example, compared with the evaluation mode?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ2(): number {
  // BEGIN SOLUTION
  return 20;
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const measured = batchSizes.find((m) => withinHalf.get(m)! >= 0.9);
  console.log(String(lab.checkTrue("inline question 2: the smallest m with ≥ 90 % of batches within 0.5", answerQ2() === measured, "Drag the slider and read the percentage in each title; the answer is one of the slider's values.")));
}

// %% [markdown]
// ## 3. The backward pass, one node of Algorithm 1 at a time
//
// The paper's Algorithm 1 is a small graph: $x \to \mu$, $(x, \mu) \to \sigma^2$, $(x, \mu, \sigma^2) \to \hat x$, $\hat x \to y$.
// Walking it backwards, each node's gradient is the sum, over the edges leaving it, of (gradient of the child)
// × (local derivative of the edge). Notebook 02 derived each one and checked it by computer algebra; here you
// implement them, one exercise per node, in the order the backward pass visits them. $g_{ij} = \partial\ell/\partial y_{ij}$
// is `dOut`.
//
// To test each node on its own, the checks feed it the **correct** gradients of the nodes above, computed
// here from the library's cache in a different but equal form (for instance $(x-\mu)(\sigma^2+\varepsilon)^{-3/2} = \hat x\,(\sigma^2+\varepsilon)^{-1}$):

// %%
const libraryGradients = lab.batchNormBackwardStaged(dOut, reference.cache); // dX, dGamma, dBeta
const truth = (() => {
  const { xHat, invStd } = reference.cache;
  const dXHat = dOut.mulRow(gamma); // ∂ℓ/∂x̂ = g·γ
  const dVariance = dXHat.mul(xHat).sumRows().map((s, _i, j) => -0.5 * s * invStd.data[j] ** 2); // −½ Σᵢ ∂ℓ/∂x̂ᵢ·x̂ᵢ /(σ² + ε)
  const dMean = dXHat.sumRows().map((s, _i, j) => -s * invStd.data[j]); // −Σᵢ ∂ℓ/∂x̂ᵢ /√(σ² + ε) (the σ² path is 0)
  return { dXHat, dVariance, dMean };
})();

// %% [markdown]
// ### Exercise 5 · The output node $y = \gamma\hat x + \beta$
//
// $$\frac{\partial\ell}{\partial\hat x_{ij}} = g_{ij}\,\gamma_j, \qquad \frac{\partial\ell}{\partial\gamma_j} = \sum_i g_{ij}\,\hat x_{ij}, \qquad \frac{\partial\ell}{\partial\beta_j} = \sum_i g_{ij}$$
//
// $\gamma_j$ and $\beta_j$ are used by every example of the batch, so their gradients **sum** over the batch.

// %%
function affineBackward(dOut: lab.Matrix, xHat: lab.Matrix, gamma: lab.Matrix): { dXHat: lab.Matrix; dGamma: lab.Matrix; dBeta: lab.Matrix } {
  // BEGIN SOLUTION
  const [N, D] = dOut.shape;
  const dXHat = new lab.Matrix(N, D);
  const [dGamma, dBeta] = [new lab.Matrix(1, D), new lab.Matrix(1, D)];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      dXHat.set(i, j, dOut.get(i, j) * gamma.get(0, j)); // g·γ
      dGamma.set(0, j, dGamma.get(0, j) + dOut.get(i, j) * xHat.get(i, j)); // Σᵢ g·x̂
      dBeta.set(0, j, dBeta.get(0, j) + dOut.get(i, j)); // Σᵢ g
    }
  }
  return { dXHat, dGamma, dBeta };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `affineBackward` and fails, with a hint, when its result is wrong.

// %%
{
  const answer = affineBackward(dOut, reference.cache.xHat, gamma);
  console.log(String(lab.checkGradient("∂ℓ/∂x̂", answer.dXHat, { f: (xHat) => xHat.mulRow(gamma).addRow(beta), x: reference.cache.xHat, dOut, hint: "∂ℓ/∂x̂ᵢⱼ = gᵢⱼ·γⱼ, one value per entry [N, D]." })));
  console.log(String(lab.checkClose("∂ℓ/∂γ", answer.dGamma, libraryGradients.dGamma, { tolerance: 1e-10, hint: "Σᵢ gᵢⱼ·x̂ᵢⱼ: sum over the batch, [1, D]. The library's value: lab.batchNormBackward(dOut, cache).dGamma." })));
  console.log(String(lab.checkClose("∂ℓ/∂β", answer.dBeta, libraryGradients.dBeta, { tolerance: 1e-10, hint: "Σᵢ gᵢⱼ, [1, D]. The library's value: lab.batchNormBackward(dOut, cache).dBeta." })));
}

// %% [markdown]
// ### Exercise 6 · The variance node
//
// $\sigma_j^2$ reaches $\ell$ only through the $\hat x_{ij}$ of its column, and $\hat x = (x-\mu)(\sigma^2+\varepsilon)^{-1/2}$:
//
// $$\frac{\partial\ell}{\partial\sigma_j^2} = \sum_i \frac{\partial\ell}{\partial\hat x_{ij}}\,(x_{ij}-\mu_j)\cdot\Big(-\frac12\Big)(\sigma_j^2+\varepsilon)^{-3/2}$$

// %%
function varianceBackward(dXHat: lab.Matrix, xCentered: lab.Matrix, variance: lab.Matrix, eps: number): lab.Matrix {
  // BEGIN SOLUTION
  const [N, D] = dXHat.shape;
  const dVariance = new lab.Matrix(1, D);
  for (let j = 0; j < D; j++) {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += dXHat.get(i, j) * xCentered.get(i, j);
    const shifted = variance.get(0, j) + eps; // σ² + ε
    dVariance.set(0, j, (sum * -0.5) / (shifted * Math.sqrt(shifted))); // (σ² + ε)^(−3/2), with × and √ only (** -1.5 rounds differently in Chromium and Node)
  }
  return dVariance;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `varianceBackward` and fails, with a hint, when its result is wrong.

// %%
{
  const { xCentered, variance } = reference.cache;
  const answer = varianceBackward(truth.dXHat, xCentered, variance, eps);
  console.log(String(lab.checkShape("∂ℓ/∂σ² shape", answer, [1, 4], "σ² is one number per feature, so is its gradient: [1, D].")));
  console.log(String(lab.checkClose("∂ℓ/∂σ²", answer, truth.dVariance, { tolerance: 1e-10, hint: "Power rule on (σ² + ε)^(−1/2): the factor is (−1/2)(σ² + ε)^(−3/2); sum ∂ℓ/∂x̂·(x − μ) over the batch." })));
  const xHatOf = (v: lab.Matrix) => xCentered.map((c, _i, j) => c / Math.sqrt(v.data[j] + eps)); // x̂ as a function of σ² alone
  const probe = variance.clone();
  const numeric = lab.numericalGradientOf(() => xHatOf(probe).mul(truth.dXHat).sum(), probe, 1e-6);
  console.log(String(lab.checkClose("∂ℓ/∂σ² against finite differences", answer, numeric, { tolerance: 1e-5, hint: "Finite differences of ℓ through x̂(σ²) with x − μ held fixed." })));
}

// %% [markdown]
// ### Exercise 7 · The mean node
//
// $\mu_j$ feeds every $\hat x_{ij}$ directly and $\sigma_j^2$ through the $(x_{ij}-\mu_j)$:
//
// $$\frac{\partial\ell}{\partial\mu_j} = \sum_i \frac{\partial\ell}{\partial\hat x_{ij}}\cdot\frac{-1}{\sqrt{\sigma_j^2+\varepsilon}} \;+\; \frac{\partial\ell}{\partial\sigma_j^2}\cdot\frac1N\sum_i -2\,(x_{ij}-\mu_j)$$
//
// The second term is zero, because $\sum_i (x_{ij}-\mu_j) = 0$ (notebook 02, section 3); the paper writes it
// anyway, and so should you: in floating point it is rounding noise of order $10^{-15}$.

// %%
function meanBackward(dXHat: lab.Matrix, dVariance: lab.Matrix, xCentered: lab.Matrix, variance: lab.Matrix, eps: number): lab.Matrix {
  // BEGIN SOLUTION
  const [N, D] = dXHat.shape;
  const dMean = new lab.Matrix(1, D);
  for (let j = 0; j < D; j++) {
    let throughXHat = 0;
    let sumCentered = 0;
    for (let i = 0; i < N; i++) {
      throughXHat += -dXHat.get(i, j) / Math.sqrt(variance.get(0, j) + eps);
      sumCentered += -2 * xCentered.get(i, j);
    }
    dMean.set(0, j, throughXHat + (dVariance.get(0, j) * sumCentered) / N);
  }
  return dMean;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `meanBackward` and fails, with a hint, when its result is wrong.

// %%
{
  const { xCentered, variance } = reference.cache;
  const answer = meanBackward(truth.dXHat, truth.dVariance, xCentered, variance, eps);
  console.log(String(lab.checkClose("∂ℓ/∂μ", answer, truth.dMean, { tolerance: 1e-10, atol: 1e-12, hint: "Each x̂ᵢⱼ depends on μⱼ with slope −1/√(σ² + ε): sum ∂ℓ/∂x̂ᵢⱼ times that over the batch (the σ² term is ≈ 0)." })));
}

// %% [markdown]
// ### Exercise 8 · The input node
//
// Each $x_{ij}$ reaches $\ell$ along three edges: into $\hat x_{ij}$, into $\sigma_j^2$ and into $\mu_j$:
//
// $$\frac{\partial\ell}{\partial x_{ij}} = \frac{\partial\ell}{\partial\hat x_{ij}}\cdot\frac{1}{\sqrt{\sigma_j^2+\varepsilon}} \;+\; \frac{\partial\ell}{\partial\sigma_j^2}\cdot\frac{2\,(x_{ij}-\mu_j)}{N} \;+\; \frac{\partial\ell}{\partial\mu_j}\cdot\frac1N$$

// %%
function inputBackward(dXHat: lab.Matrix, dVariance: lab.Matrix, dMean: lab.Matrix, xCentered: lab.Matrix, variance: lab.Matrix, eps: number): lab.Matrix {
  // BEGIN SOLUTION
  const [N, D] = dXHat.shape;
  const dX = new lab.Matrix(N, D);
  for (let j = 0; j < D; j++) {
    const invStd = 1 / Math.sqrt(variance.get(0, j) + eps);
    for (let i = 0; i < N; i++) {
      dX.set(i, j, dXHat.get(i, j) * invStd + (dVariance.get(0, j) * 2 * xCentered.get(i, j)) / N + dMean.get(0, j) / N);
    }
  }
  return dX;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `inputBackward` and fails, with a hint, when its result is wrong.

// %%
{
  const { xCentered, variance } = reference.cache;
  const answer = inputBackward(truth.dXHat, truth.dVariance, truth.dMean, xCentered, variance, eps);
  console.log(String(lab.checkClose("∂ℓ/∂x", answer, libraryGradients.dX, { tolerance: 1e-10, atol: 1e-12, hint: "Three terms per entry: the direct edge, the σ² edge (2(x − μ)/N) and the μ edge (1/N). The library's value: lab.batchNormBackwardStaged(dOut, cache).dX." })));
}

// %% [markdown]
// ### Exercise 9 · The staged backward pass
//
// Chain your four nodes: from `dOut` and your cache, return $\partial\ell/\partial x$, $\partial\ell/\partial\gamma$ and $\partial\ell/\partial\beta$.

// %%
function bnBackwardStaged(dOut: lab.Matrix, cache: Cache): { dX: lab.Matrix; dGamma: lab.Matrix; dBeta: lab.Matrix } {
  // BEGIN SOLUTION
  const { xHat, xCentered, variance, gamma, eps } = cache;
  const { dXHat, dGamma, dBeta } = affineBackward(dOut, xHat, gamma);
  const dVariance = varianceBackward(dXHat, xCentered, variance, eps);
  const dMean = meanBackward(dXHat, dVariance, xCentered, variance, eps);
  return { dX: inputBackward(dXHat, dVariance, dMean, xCentered, variance, eps), dGamma, dBeta };
  // END SOLUTION
}

// %% [markdown]
// The check compares with the library's staged backward, and with finite differences of the forward pass
// ($\ell(x) = \sum_{ij} y_{ij}(x)\,g_{ij}$, `lab.checkGradient`).

// %%
{
  const answer = bnBackwardStaged(dOut, bnForwardTrain(x, gamma, beta, eps).cache);
  console.log(String(lab.checkClose("staged ∂ℓ/∂x", answer.dX, libraryGradients.dX, { tolerance: 1e-10, atol: 1e-12, hint: "dXHat from affineBackward, then dVariance, dMean, dX in that order. The library's value: lab.batchNormBackwardStaged." })));
  console.log(String(lab.checkClose("staged ∂ℓ/∂γ", answer.dGamma, libraryGradients.dGamma, { tolerance: 1e-10, hint: "affineBackward's dGamma." })));
  console.log(String(lab.checkGradient("staged ∂ℓ/∂x against finite differences", answer.dX, { f: (v) => lab.batchNormForward(v, gamma, beta, eps).out, x, dOut })));
}

// %% [markdown]
// ## 4. The compact backward pass
//
// Substituting the nodes into each other (notebook 02, section 4) collapses the graph into one line per entry:
//
// $$\frac{\partial\ell}{\partial x_{ij}} = \frac{\gamma_j}{N\sqrt{\sigma_j^2+\varepsilon}}\Big(N g_{ij} - \sum_k g_{kj} - \hat x_{ij}\sum_k g_{kj}\,\hat x_{kj}\Big)$$
//
// ### Exercise 10 · The compact backward pass
//
// Return the same three gradients as Exercise 9, with two sums per column and one pass over the batch.

// %%
function bnBackwardCompact(dOut: lab.Matrix, cache: Cache): { dX: lab.Matrix; dGamma: lab.Matrix; dBeta: lab.Matrix } {
  // BEGIN SOLUTION
  const [N, D] = dOut.shape;
  const dX = new lab.Matrix(N, D);
  const [dGamma, dBeta] = [new lab.Matrix(1, D), new lab.Matrix(1, D)];
  for (let j = 0; j < D; j++) {
    let sumG = 0;
    let sumGXHat = 0;
    for (let i = 0; i < N; i++) {
      sumG += dOut.get(i, j); // Σₖ g
      sumGXHat += dOut.get(i, j) * cache.xHat.get(i, j); // Σₖ g·x̂
    }
    dBeta.set(0, j, sumG);
    dGamma.set(0, j, sumGXHat);
    const scale = (cache.gamma.get(0, j) * cache.invStd.get(0, j)) / N; // γ/(N√(σ² + ε))
    for (let i = 0; i < N; i++) dX.set(i, j, scale * (N * dOut.get(i, j) - sumG - cache.xHat.get(i, j) * sumGXHat));
  }
  return { dX, dGamma, dBeta };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `bnBackwardCompact` and fails, with a hint, when its result is wrong.

// %%
{
  const answer = bnBackwardCompact(dOut, bnForwardTrain(x, gamma, beta, eps).cache);
  const compact = lab.batchNormBackward(dOut, reference.cache);
  console.log(String(lab.checkClose("compact ∂ℓ/∂x", answer.dX, compact.dX, { tolerance: 1e-10, atol: 1e-12, hint: "γ·invStd/N · (N·g − Σg − x̂·Σ(g·x̂)), the sums over column j. The library's value: lab.batchNormBackward(dOut, cache).dX." })));
  console.log(String(lab.checkClose("compact ∂ℓ/∂γ", answer.dGamma, compact.dGamma, { tolerance: 1e-10, hint: "Σᵢ g·x̂ per column." })));
  console.log(String(lab.checkClose("compact ∂ℓ/∂β", answer.dBeta, compact.dBeta, { tolerance: 1e-10, hint: "Σᵢ g per column." })));
}

// %% [markdown]
// ## 5. LayerNorm (层标准化)
//
// Layer normalization (Ba, Kiros & Hinton, 2016) normalizes each **example** over its $D$ features, along a row
// instead of down a column; $\gamma_j$, $\beta_j$ are still per feature:
//
// $$\mu_i = \frac1D\sum_j x_{ij}, \qquad \sigma_i^2 = \frac1D\sum_j (x_{ij}-\mu_i)^2, \qquad \hat x_{ij} = \frac{x_{ij}-\mu_i}{\sqrt{\sigma_i^2+\varepsilon}}, \qquad y_{ij} = \gamma_j\hat x_{ij} + \beta_j$$
//
// No statistic crosses examples, so there is nothing to keep for test time, and a batch of one is fine.
//
// ### Exercise 11 · LayerNorm forward
//
// Return $y$ and a cache with `xHat` $[N, D]$, `invStd` $= 1/\sqrt{\sigma_i^2+\varepsilon}$ as a column $[N, 1]$, and `gamma`.

// %%
type LayerNormCacheByHand = { xHat: lab.Matrix; invStd: lab.Matrix; gamma: lab.Matrix };
function layerNormForwardByHand(x: lab.Matrix, gamma: lab.Matrix, beta: lab.Matrix, eps: number): { out: lab.Matrix; cache: LayerNormCacheByHand } {
  // BEGIN SOLUTION
  const [N, D] = x.shape;
  const [xHat, out, invStd] = [new lab.Matrix(N, D), new lab.Matrix(N, D), new lab.Matrix(N, 1)];
  for (let i = 0; i < N; i++) {
    let sum = 0;
    for (let j = 0; j < D; j++) sum += x.get(i, j);
    const mean = sum / D; // μᵢ
    let squares = 0;
    for (let j = 0; j < D; j++) squares += (x.get(i, j) - mean) ** 2;
    invStd.set(i, 0, 1 / Math.sqrt(squares / D + eps)); // 1/√(σ²ᵢ + ε)
    for (let j = 0; j < D; j++) {
      xHat.set(i, j, (x.get(i, j) - mean) * invStd.get(i, 0));
      out.set(i, j, gamma.get(0, j) * xHat.get(i, j) + beta.get(0, j));
    }
  }
  return { out, cache: { xHat, invStd, gamma } };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `layerNormForwardByHand` and fails, with a hint, when its result is wrong.

// %%
{
  const yours = layerNormForwardByHand(x, gamma, beta, eps);
  const library = lab.layerNormForward(x, gamma, beta, eps);
  console.log(String(lab.checkShape("LayerNorm invStd shape", yours.cache.invStd, [6, 1], "One standard deviation per EXAMPLE: a column [N, 1].")));
  console.log(String(lab.checkClose("LayerNorm x̂", yours.cache.xHat, library.cache.xHat, { tolerance: 1e-10, hint: "The statistics run ALONG row i, over its D features. The library's value: lab.layerNormForward(…).cache.xHat." })));
  console.log(String(lab.checkClose("LayerNorm y", yours.out, library.out, { tolerance: 1e-10, hint: "γⱼ, βⱼ still belong to column j. The library's value: lab.layerNormForward(x, gamma, beta, eps).out." })));
  const one = lab.Matrix.from([[0.3, -1.2, 4, 7]]);
  console.log(String(lab.checkClose("LayerNorm of a single example", layerNormForwardByHand(one, gamma, beta, eps).out, lab.layerNormForward(one, gamma, beta, eps).out, { tolerance: 1e-10 })));
}

// %% [markdown]
// ### Exercise 12 · LayerNorm backward
//
// The same graph as BN with rows and columns swapped. With $d_{ij} = g_{ij}\,\gamma_j$ (that is $\partial\ell/\partial\hat x_{ij}$):
//
// $$\frac{\partial\ell}{\partial x_{ij}} = \frac{1}{D\sqrt{\sigma_i^2+\varepsilon}}\Big(D\,d_{ij} - \sum_k d_{ik} - \hat x_{ij}\sum_k d_{ik}\,\hat x_{ik}\Big), \qquad
// \frac{\partial\ell}{\partial\gamma_j} = \sum_i g_{ij}\hat x_{ij}, \qquad \frac{\partial\ell}{\partial\beta_j} = \sum_i g_{ij}$$
//
// Note where $\gamma$ goes: inside the sums (it varies along the row), not in front as in BN.

// %%
function layerNormBackwardByHand(dOut: lab.Matrix, cache: LayerNormCacheByHand): { dX: lab.Matrix; dGamma: lab.Matrix; dBeta: lab.Matrix } {
  // BEGIN SOLUTION
  const [N, D] = dOut.shape;
  const { xHat, invStd, gamma } = cache;
  const { dXHat, dGamma, dBeta } = affineBackward(dOut, xHat, gamma); // the output node is the same as BN's
  const dX = new lab.Matrix(N, D);
  for (let i = 0; i < N; i++) {
    let sumD = 0;
    let sumDXHat = 0;
    for (let j = 0; j < D; j++) {
      sumD += dXHat.get(i, j);
      sumDXHat += dXHat.get(i, j) * xHat.get(i, j);
    }
    for (let j = 0; j < D; j++) dX.set(i, j, (invStd.get(i, 0) / D) * (D * dXHat.get(i, j) - sumD - xHat.get(i, j) * sumDXHat));
  }
  return { dX, dGamma, dBeta };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `layerNormBackwardByHand` and fails, with a hint, when its result is wrong.

// %%
{
  const answer = layerNormBackwardByHand(dOut, layerNormForwardByHand(x, gamma, beta, eps).cache);
  const library = lab.layerNormBackward(dOut, lab.layerNormForward(x, gamma, beta, eps).cache);
  console.log(String(lab.checkClose("LayerNorm ∂ℓ/∂x", answer.dX, library.dX, { tolerance: 1e-10, atol: 1e-12, hint: "Per ROW i: sums over its D features, γⱼ inside (d = g·γ). The library's value: lab.layerNormBackward(dOut, cache).dX." })));
  console.log(String(lab.checkClose("LayerNorm ∂ℓ/∂γ", answer.dGamma, library.dGamma, { tolerance: 1e-10, hint: "γⱼ is shared by all rows: Σᵢ g·x̂ down column j." })));
  console.log(String(lab.checkClose("LayerNorm ∂ℓ/∂β", answer.dBeta, library.dBeta, { tolerance: 1e-10, hint: "Σᵢ g down column j." })));
  console.log(String(lab.checkGradient("LayerNorm ∂ℓ/∂x against finite differences", answer.dX, { f: (v) => lab.layerNormForward(v, gamma, beta, eps).out, x, dOut })));
}

// %% [markdown]
// ## 6. Your layer inside a network
//
// ### Exercise 13 · A `BatchNorm1d` of your own
//
// A layer owns its parameters ($\gamma$, $\beta$ as `lab.Parameter`s, whose `grad` the backward pass **adds** into)
// and its buffers (the running statistics), and switches mode with `train()` / `eval()` (inherited from
// `lab.Module`, which sets `this.training`). The bookkeeping first, kept apart from the maths as in the library: you
// write only `forward` and `backward`, in the next cell. Backward after an evaluation-mode forward is not needed here.

// %%
/** The bookkeeping of a BN layer: parameters, buffers, mode (from lab.Module), the cache. */
abstract class BatchNormBookkeeping extends lab.Module {
  readonly gamma: lab.Parameter; // parameters: learned by gradient descent
  readonly beta: lab.Parameter;
  readonly runningMean: lab.Matrix; // buffers: estimated from the data, PyTorch's start values
  readonly runningVar: lab.Matrix;
  protected cache: Cache | null = null;
  constructor(numFeatures: number, readonly eps = 1e-8, readonly momentum = 0.1) {
    super();
    this.gamma = new lab.Parameter("gamma", lab.Matrix.full(1, numFeatures, 1));
    this.beta = new lab.Parameter("beta", lab.Matrix.zeros(1, numFeatures));
    this.runningMean = lab.Matrix.zeros(1, numFeatures);
    this.runningVar = lab.Matrix.full(1, numFeatures, 1);
  }
  override parameters(): lab.Parameter[] {
    return [this.gamma, this.beta];
  }
}

// %% [markdown]
// Now the maths: `forward` in both modes and `backward`, from the functions you wrote above.

// %%
class MyBatchNorm1d extends BatchNormBookkeeping {
  readonly name = "MyBatchNorm1d";
  forward(x: lab.Matrix): lab.Matrix {
    // BEGIN SOLUTION
    if (!this.training) return bnForwardEval(x, this.runningMean, this.runningVar, this.gamma.value, this.beta.value, this.eps);
    const { out, cache } = bnForwardTrain(x, this.gamma.value, this.beta.value, this.eps);
    updateRunningStatistics({ mean: this.runningMean, variance: this.runningVar }, cache, x.rows, this.momentum);
    this.cache = cache;
    return out;
    // END SOLUTION
  }
  backward(dOut: lab.Matrix): lab.Matrix {
    // BEGIN SOLUTION
    if (this.cache === null) throw new Error("MyBatchNorm1d.backward: call forward in training mode first.");
    const { dX, dGamma, dBeta } = bnBackwardCompact(dOut, this.cache);
    this.gamma.accumulate(dGamma); // grad += dGamma, never =
    this.beta.accumulate(dBeta);
    return dX;
    // END SOLUTION
  }
}

// %% [markdown]
// The check runs your layer and the library's `BatchNorm1d` side by side for three training steps (forward, then
// backward, with the gradients accumulating over the three steps, never zeroed), then in evaluation mode.

// %%
{
  const [mine, library] = [new MyBatchNorm1d(4, eps), new lab.BatchNorm1d(4, { eps })];
  for (const layer of [mine, library]) [layer.gamma.value.data, layer.beta.value.data].forEach((d, k) => d.set((k === 0 ? gamma : beta).data));
  const stepRng = lab.makeRng(31);
  for (let step = 0; step < 3; step++) {
    const [batch, upstream] = [new lab.Matrix(7, 4, stepRng.normalArray(28, 2, 3)), new lab.Matrix(7, 4, stepRng.normalArray(28))];
    const [outMine, outLibrary] = [mine.forward(batch), library.forward(batch)];
    const [dXMine, dXLibrary] = [mine.backward(upstream), library.backward(upstream)];
    console.log(String(lab.checkClose(`step ${step}: output`, outMine, outLibrary, { tolerance: 1e-10, hint: "In training mode: bnForwardTrain with the layer's γ, β, then update the running statistics." })));
    console.log(String(lab.checkClose(`step ${step}: ∂ℓ/∂x`, dXMine, dXLibrary, { tolerance: 1e-10, atol: 1e-12, hint: "backward returns dX from the cache of the last forward." })));
  }
  console.log(String(lab.checkClose("γ.grad (three steps, never zeroed)", mine.gamma.grad, library.gamma.grad, { tolerance: 1e-10, hint: "Gradients ACCUMULATE: gamma.accumulate(dGamma), i.e. +=, never =." })));
  console.log(String(lab.checkClose("running variance", mine.runningVar, library.runningVar, { tolerance: 1e-10, hint: "forward in training mode must call updateRunningStatistics." })));
  [mine, library].forEach((layer) => layer.eval());
  console.log(String(lab.checkClose("evaluation mode", mine.forward(x), library.forward(x), { tolerance: 1e-10, hint: "When this.training is false, use bnForwardEval with the running statistics." })));
}

// %% [markdown]
// ### Exercise 14 · Wire it into a network and check its gradient
//
// Build `Linear(5 → 8, no bias) → MyBatchNorm1d(8) → ReLU → Linear(8 → 3)` from the library's layers and yours
// (the first `Linear` needs no bias: BN's $\beta$ takes its role, notebook 02, section 6), and write
// `lossAndGradients`: zero the gradients, forward, softmax cross-entropy (`lab.softmaxCrossEntropy`), backward; return the loss.

// %%
function buildNetwork(rng: lab.Rng): lab.Sequential {
  // BEGIN SOLUTION
  return new lab.Sequential([new lab.Linear(5, 8, { rng, bias: false }), new MyBatchNorm1d(8, eps), new lab.ReLU(), new lab.Linear(8, 3, { rng })]);
  // END SOLUTION
}
function lossAndGradients(model: lab.Sequential, x: lab.Matrix, labels: number[]): number {
  // BEGIN SOLUTION
  model.zeroGrad();
  const { loss, dLogits } = lab.softmaxCrossEntropy(model.forward(x), labels);
  model.backward(dLogits);
  return loss;
  // END SOLUTION
}

// %% [markdown]
// The check gives $\gamma$ and $\beta$ random values (an identity setting could hide a bug), then compares every
// parameter's gradient with centered finite differences of the loss (`lab.gradcheckParameters`, notebook 03).

// %%
{
  const netRng = lab.makeRng(42);
  const model = buildNetwork(netRng);
  const bn = model.layers.find((layer) => layer instanceof MyBatchNorm1d) as MyBatchNorm1d | undefined;
  console.log(String(lab.checkTrue("the network holds a MyBatchNorm1d", bn !== undefined, "Put new MyBatchNorm1d(8) between the first Linear and the ReLU.")));
  bn!.gamma.value.data.set(netRng.normalArray(8, 1, 0.5));
  bn!.beta.value.data.set(netRng.normalArray(8, 0, 0.5));
  const [inputs, labels] = [new lab.Matrix(16, 5, netRng.normalArray(80, 1, 2)), Array.from({ length: 16 }, (_, i) => i % 3)];
  const rows = lab.gradcheckParameters(model.parameters(), () => lab.softmaxCrossEntropy(model.forward(inputs), labels).loss, () => lossAndGradients(model, inputs, labels), { tolerance: 1e-6 });
  console.log(lab.formatGradcheckReport(rows));
  console.log(String(lab.checkTrue("every parameter's gradient agrees with finite differences", rows.length === 5 && rows.every((r) => r.passed), "Zero the gradients first, then forward, loss, backward(dLogits); a failing row names the layer to look at.")));
}

// %% [markdown]
// Every row passes, the $\gamma$ and $\beta$ of **your** layer included: the gradient that reaches the first
// `Linear` has gone through your backward pass.
//
// ### The same in PyTorch
//
// ```python
// import torch, torch.nn as nn
// bn = nn.BatchNorm1d(8, eps=1e-8, momentum=0.1)   # momentum weights the NEW batch; running_var is unbiased
// model = nn.Sequential(nn.Linear(5, 8, bias=False), bn, nn.ReLU(), nn.Linear(8, 3)).double()
// model.train(); loss = nn.functional.cross_entropy(model(x), y); loss.backward()
// model.eval()                                      # bn now uses bn.running_mean, bn.running_var
// torch.autograd.gradcheck(lambda x: nn.functional.layer_norm(x, (4,)), torch.randn(6, 4, dtype=torch.double, requires_grad=True))
// ```
//
// ## Summary
//
// - Training-mode BN: per column, $\mu$, biased $\sigma^2$, $\hat x = (x-\mu)/\sqrt{\sigma^2+\varepsilon}$, $y = \gamma\hat x+\beta$; a batch of one
//   gives $y = \beta$, which is why training refuses it.
// - Running statistics (PyTorch): $(1-\rho)\cdot\text{running} + \rho\cdot\text{batch}$ with the unbiased batch variance; evaluation
//   mode normalizes with them, one example at a time. Batch statistics are noisy: the same example moves by
//   about $1/\sqrt m$ from batch to batch.
// - The backward pass walks Algorithm 1's graph node by node (staged) or in one line (compact); both agree with
//   the library to $10^{-10}$ and with finite differences.
// - LayerNorm is the same computation along rows; its backward is BN's with rows and columns swapped.
// - A layer of your own, wired between the library's layers, passes a whole-network gradient check.
//
// Next: [16 · Batch Normalization for images](16-bn-for-images.ipynb).
