// %% [markdown]
// # 01 · The Batch Normalization forward pass (批标准化公式)
//
// Section 2.4.2.1 of the lecture text (*BN与神经网络调优(二)*) gives four formulas. This notebook
// computes them by hand on a small batch, checks the library against them, and then asks what
// they do: to the distribution of a layer's inputs, to the non-linearity after them, and at the
// edges (a constant feature, a batch of two, a batch of one).
//
// **Lecture section 2.4.2.1** (批标准化公式), in our words: over a mini-batch of $m$ examples, standardize each hidden unit's
// pre-activation $z$ with the batch's own mean and variance ($\varepsilon$ only keeps the denominator away from 0), then let two learned
// parameters per unit, $\gamma$ and $\beta$, scale and shift the result, so the network itself chooses where each unit's inputs sit on the
// activation function instead of being stuck near 0, in its linear region. 用我们自己的话说：在一个小批量上，用该批的均值和方差把每个
// 隐藏单元的输入标准化（$\varepsilon$ 只为防止分母为 0），再由每个单元的两个可学习参数 $\gamma$、$\beta$ 缩放和平移，让网络自己决定输入落在
// 激活函数的哪一段，而不是总停在 0 附近的线性区域。
//
// 1. The formulas, and the lecture's column convention versus our row convention
// 2. Step by step on a batch of four examples, then the library
// 3. Distributions before and after BN; what γ and β do; undoing BN exactly
// 4. Why γ and β (为什么要使用这样两个参数): the linear region of the sigmoid (线性区域)
// 5. Edge cases: ε on a (nearly) constant feature, a batch of 2, a batch of 1
//
// Chinese terms are given beside the English where the lecture uses them; the
// [glossary](../docs/glossary.md) lists them all. Three exercises (marked **Exercise**) check
// themselves: a wrong answer makes the check cell fail with a hint. Three **inline questions** ask you
// to explain what you measured: write your answer in the cell under each; where the answer is a
// number or a choice, a small cell records it and a check compares it with what this notebook measured.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. The formulas
//
// Take a hidden layer (隐藏层) $l$ and its pre-activations $z^{(1)}, \dots, z^{(m)}$ over a
// mini-batch of $m$ examples, one hidden unit at a time (the lecture drops the layer index $[l]$).
// Batch normalization (批标准化, BN) computes, **for each unit separately**:
//
// $$\mu = \frac{1}{m}\sum_{i=1}^{m} z^{(i)} \qquad \text{(均值, mean)}$$
// $$\sigma^2 = \frac{1}{m}\sum_{i=1}^{m} \big(z^{(i)} - \mu\big)^2 \qquad \text{(方差, variance: divided by } m\text{, not } m-1)$$
// $$z^{(i)}_{\text{norm}} = \frac{z^{(i)} - \mu}{\sqrt{\sigma^2 + \varepsilon}} \qquad \text{(标准化, normalize)}$$
// $$\tilde z^{(i)} = \gamma\, z^{(i)}_{\text{norm}} + \beta \qquad \text{(scale and shift, learned } \gamma, \beta)$$
//
// $\varepsilon$ only keeps the denominator away from zero (防止分母为0); the lecture takes
// $\varepsilon = 10^{-8}$, PyTorch's default is $10^{-5}$ (section 5 shows when that matters).
// $\gamma$ and $\beta$ are parameters of the model (学习参数), one pair per unit, trained by
// gradient descent exactly like $W$ and $b$.
//
// **Notation in the code.** The library calls the layer's input `x` (the lecture's $z$), the
// normalized value `xHat` ($\hat x = z_{\text{norm}}$) and the output `out` ($\tilde z$).
//
// **Column versus row convention.** The lecture follows Andrew Ng: $Z^{[l]}$ has one **column per
// example**, shape $[\text{units}, m]$. This kit, like PyTorch, stores a batch with one **row per
// example**, shape $[N, D]$ ($N = m$ examples, $D$ units or features), so the statistics are taken
// over the rows, down each column. The two layouts are transposes of each other:

// %%
const eps = 1e-8; // the lecture's ε
const z = lab.Matrix.from([
  [1, 10],
  [2, 14],
  [3, 6],
  [6, 10],
]); // [N, D] = [4, 2]: 4 examples, 2 units
show.matrix(z, { name: "z, our convention [N, D] (one row per example)" });
show.matrix(z.transpose(), { name: "Z, the lecture's convention [units, m] (one column per example)" });

// %% [markdown]
// ## 2. Step by step
//
// We compute each formula with plain `Matrix` operations and print the numbers, then write the
// same step for unit 1 (the first column) as a formula with its numbers filled in. The mean and
// variance are per unit: `meanRows()` averages over the rows, giving one number per column, $[1, D]$.

// %%
const mu = z.meanRows(); // μ = (1/m) Σᵢ zᵢ, [1, D]
const zCentered = z.map((v, _i, j) => v - mu.data[j]); // zᵢ − μ, [N, D]
const variance = zCentered.mul(zCentered).meanRows(); // σ² = (1/m) Σᵢ (zᵢ − μ)², [1, D]
show.matrix(mu, { name: "μ" });
show.matrix(variance, { name: "σ²" });
const column0 = Array.from({ length: z.rows }, (_, i) => z.get(i, 0));
show.latex(`\\mu_1 = \\tfrac{1}{4}(${column0.join(" + ")}) = ${mu.data[0]}, \\qquad
\\sigma_1^2 = \\tfrac{1}{4}\\big(${column0.map((v) => `(${v} - ${mu.data[0]})^2`).join(" + ")}\\big) = ${variance.data[0]}`);

// %% [markdown]
// Normalize with the lecture's $\varepsilon = 10^{-8}$: every unit now has mean 0 and variance
// (almost exactly) 1.

// %%
const xHat = zCentered.map((v, _i, j) => v / Math.sqrt(variance.data[j] + eps)); // z_norm
show.matrix(xHat, { name: "z_norm = (z − μ) / √(σ² + ε)" });
show.latex(`z^{(1)}_{\\text{norm},1} = \\frac{${z.get(0, 0)} - ${mu.data[0]}}{\\sqrt{${variance.data[0]} + 10^{-8}}} = ${xHat.get(0, 0).toFixed(6)}`);
console.log("mean of each column of z_norm:    ", Array.from(xHat.meanRows().data, (v) => v.toExponential(1)).join(", "));
console.log("variance of each column of z_norm:", Array.from(xHat.mul(xHat).meanRows().data, (v) => v.toFixed(9)).join(", "));

// %% [markdown]
// Then scale and shift with $\gamma$ and $\beta$ (one number per unit, $[1, D]$ rows):

// %%
const gamma = lab.Matrix.row([2, 0.5]);
const beta = lab.Matrix.row([1, -3]);
const zTilde = xHat.mulRow(gamma).addRow(beta); // z̃ = γ·z_norm + β
show.matrix(zTilde, { name: "z̃ = γ · z_norm + β" });
show.latex(`\\tilde z^{(1)}_1 = ${gamma.data[0]} \\cdot (${xHat.get(0, 0).toFixed(6)}) + ${beta.data[0]} = ${zTilde.get(0, 0).toFixed(6)}`);

// %% [markdown]
// ### The library agrees
//
// `lab.batchNormForward(x, gamma, beta, eps)` is the pure function; `lab.BatchNorm1d` is the layer
// that owns $\gamma$, $\beta$ (as `Parameter`s) and the running statistics used at test time
// ([notebook 05](05-bn-at-test-time.ipynb)). Note the layer's default $\varepsilon$ is PyTorch's $10^{-5}$: we pass the lecture's.

// %%
const functional = lab.batchNormForward(z, gamma, beta, eps);
const layer = new lab.BatchNorm1d(2, { eps });
layer.gamma.value.data.set(gamma.data);
layer.beta.value.data.set(beta.data);
const layerOut = layer.forward(z);
console.log("max |by hand − batchNormForward| =", lab.maxAbsDiff(zTilde, functional.out));
console.log("max |by hand − BatchNorm1d|      =", lab.maxAbsDiff(zTilde, layerOut));

// %% [markdown]
// Both differences are exactly 0 or a few units of the last digit ($\approx 10^{-16}$): the
// library runs the same arithmetic.
//
// ### Exercise 1 · BN in the lecture's convention
//
// Write `batchNormColumns(Z, gamma, beta, eps)` for a matrix `Z` in the **lecture's** layout,
// $[\text{units}, m]$ with one column per example; `gamma[u]` and `beta[u]` belong to unit `u`.
// Return $\tilde Z$ in the same layout. Use loops and `Z.get(u, i)`, or transposes: your choice.

// %%
function batchNormColumns(Z: lab.Matrix, gamma: number[], beta: number[], eps: number): lab.Matrix {
  // BEGIN SOLUTION
  const [units, m] = Z.shape;
  const out = new lab.Matrix(units, m);
  for (let u = 0; u < units; u++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += Z.get(u, i) / m;
    let variance = 0;
    for (let i = 0; i < m; i++) variance += (Z.get(u, i) - mean) ** 2 / m;
    for (let i = 0; i < m; i++) out.set(u, i, gamma[u] * ((Z.get(u, i) - mean) / Math.sqrt(variance + eps)) + beta[u]);
  }
  return out;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `batchNormColumns` and fails, with a hint, when its result is wrong.

// %%
{
  const Z = new lab.Matrix(3, 5, lab.makeRng(1).normalArray(15, 4, 3)); // 3 units, 5 examples
  const g = [1.5, 0.5, 2];
  const b = [0.1, -1, 3];
  const expected = lab.batchNormForward(Z.transpose(), lab.Matrix.row(g), lab.Matrix.row(b), 1e-8).out.transpose();
  const answer = batchNormColumns(Z, g, b, 1e-8);
  console.log(String(lab.checkShape("batchNormColumns shape", answer, [3, 5], "The output keeps the input's layout: [units, m].")));
  console.log(String(lab.checkClose("batchNormColumns", answer, expected, { tolerance: 1e-9, hint: "The statistics of a unit run along its ROW here (over the m examples); divide the variance by m." })));
}

// %% [markdown]
// ## 3. What BN does to a layer's inputs
//
// A layer of 64 units receives the spiral data set, shifted so that its inputs are not centred,
// through random weights: its pre-activations $z = xW$ have different means and spreads per unit.
// We look at three units before BN, and after BN with $\gamma = 1, \beta = 0$.

// %%
const spiral = lab.makeSpiral({ pointsPerClass: 100, classes: 3, rng });
const shiftedInput = spiral.x.map((v, _i, j) => v + (j === 0 ? 3 : -1)); // inputs with mean ≠ 0
const hidden = new lab.Linear(2, 64, { rng, init: { gaussian: 2 } });
const preActivations = hidden.forward(shiftedInput); // [300, 64]
const normalized = lab.batchNormForward(preActivations, lab.Matrix.full(1, 64, 1), lab.Matrix.zeros(1, 64), eps).out;
const unitValues = (m: lab.Matrix, j: number) => Array.from({ length: m.rows }, (_, i) => m.get(i, j));
const units = [0, 1, 2];
show.plot(
  lab.sideBySide(
    [
      lab.histogram(units.map((j) => ({ name: `unit ${j}, before BN`, values: unitValues(preActivations, j) })), { title: "before BN: z", xTitle: "pre-activation z", bins: 40 }),
      lab.histogram(units.map((j) => ({ name: `unit ${j}, after BN`, values: unitValues(normalized, j) })), { title: "after BN (γ = 1, β = 0)", xTitle: "z_norm", bins: 40 }),
    ],
    { title: "Pre-activations of three units over a batch of 300 examples" },
  ),
);

// %% [markdown]
// *Left: each unit has its own centre and width. Right: after BN all three sit on the same
// centre 0 with spread 1 (the shapes stay: BN shifts and scales, it does not make a distribution normal).*
//
// Now the learned parameters act on one unit: $\gamma$ sets the spread, $\beta$ the centre.

// %%
const settings: [number, number][] = [[1, 0], [2, 1], [0.5, -2]];
show.plot(
  lab.histogram(
    settings.map(([g, b]) => ({ name: `γ = ${g}, β = ${b}`, values: unitValues(normalized, 0).map((v) => g * v + b) })),
    { title: "What γ and β do to unit 0 after normalization", xTitle: "z̃ = γ · z_norm + β", bins: 40 },
  ),
);

// %% [markdown]
// *The same shape three times: γ = 2 doubles its width, β = 1 moves its centre to 1; γ = 0.5,
// β = −2 narrows it around −2. The network learns where each unit's inputs should sit.*
//
// ### Undoing BN exactly
//
// With $\gamma = \sqrt{\sigma^2 + \varepsilon}$ and $\beta = \mu$, the output is the input:
// $\tilde z = \sqrt{\sigma^2+\varepsilon}\,\frac{z - \mu}{\sqrt{\sigma^2+\varepsilon}} + \mu = z$. So adding BN never
// takes anything away from what a layer can represent: if normalizing hurts, the network can learn to undo it.
// On the small batch of section 2:

// %%
const undone = lab.batchNormForward(z, variance.map((v) => Math.sqrt(v + eps)), mu, eps).out; // γ = √(σ² + ε), β = μ
show.matrix(undone, { name: "BN(z) with γ = √(σ² + ε), β = μ" });
console.log("max |BN(z) − z| =", lab.maxAbsDiff(undone, z));

// %% [markdown]
// The input comes back exactly (to the last bit here; in general up to rounding, $\sim 10^{-16}$ relative).
//
// ### Exercise 2 · The parameters that undo BN
//
// For **any** batch `z` $[N, D]$, compute and return the $\gamma$ and $\beta$ (both $[1, D]$) for which
// `batchNormForward(z, gamma, beta, eps).out` equals `z`.

// %%
function undoParameters(z: lab.Matrix, eps: number): { gamma: lab.Matrix; beta: lab.Matrix } {
  // BEGIN SOLUTION
  const mean = z.meanRows();
  const centered = z.map((v, _i, j) => v - mean.data[j]);
  const variance = centered.mul(centered).meanRows();
  return { gamma: variance.map((v) => Math.sqrt(v + eps)), beta: mean };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `undoParameters` and fails, with a hint, when its result is wrong.

// %%
{
  const answer = undoParameters(preActivations, eps);
  console.log(String(lab.checkShape("undoParameters gamma", answer.gamma, [1, 64], "One γ per unit: a [1, D] row.")));
  console.log(String(lab.checkShape("undoParameters beta", answer.beta, [1, 64], "One β per unit: a [1, D] row.")));
  const recovered = lab.batchNormForward(preActivations, answer.gamma, answer.beta, eps).out;
  console.log(String(lab.checkClose("BN with your γ, β gives back z", recovered, preActivations, { tolerance: 1e-10, atol: 1e-12, hint: "γ is a standard deviation (with ε under the root), β a mean." })));
}

// %% [markdown]
// ## 4. Why γ and β: the linear region of the sigmoid
//
// The lecture (为什么要使用这样两个参数): if a layer's inputs stay near 0 they sit in the
// **linear region** (线性区域) of a sigmoid or tanh activation (激活函数), the non-linearity is
// wasted, and the network is weaker. Near 0, $\mathrm{sigmoid}(z) \approx \tfrac12 + \tfrac z4$:

// %%
{
  const grid = Array.from({ length: 121 }, (_, k) => -6 + k * 0.1);
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  show.plot(
    lab.lineChart(
      [
        { name: "sigmoid(z)", x: grid, y: grid.map(sigmoid) },
        { name: "tangent at 0: 1/2 + z/4", x: grid, y: grid.map((v) => 0.5 + v / 4), dash: "dash" },
      ],
      { title: "The sigmoid is almost a straight line for |z| < 1", xTitle: "input z", yTitle: "activation" },
    ),
  );
  console.log("largest gap between the two for |z| ≤ 1:", Math.max(...grid.filter((v) => Math.abs(v) <= 1).map((v) => Math.abs(sigmoid(v) - 0.5 - v / 4))).toFixed(4));
}

// %% [markdown]
// *Between −1 and 1 the curve and its tangent nearly coincide (the gap stays below 0.02); the
// sigmoid bends only further out.* After BN with $\gamma = 1, \beta = 0$ a unit's inputs have mean 0
// and variance 1, so for roughly normal inputs about 68 % of them fall in $|z| < 1$.
//
// ### Exercise 3 · Is the variance of x̂ exactly 1?
//
// "Mean 0 and variance 1" holds only up to $\varepsilon$. By hand, for **one feature** (one column of $z$, a list of its $m$ values):
// write `normalizeByHand(column, eps)`, returning $\hat x_i = (x_i - \mu)/\sqrt{\sigma^2 + \varepsilon}$ with the batch's mean $\mu$
// and biased variance $\sigma^2$ (divide by $m$). Then **predict without any data**: `predictedVariance(sigma2, eps)` returns the
// (biased) variance that $\hat x$ will have, given only $\sigma^2$ and $\varepsilon$. (Its mean is exactly 0: why?)

// %%
function normalizeByHand(column: number[], eps: number): number[] {
  // BEGIN SOLUTION
  const mean = column.reduce((a, b) => a + b, 0) / column.length;
  const variance = column.reduce((a, v) => a + (v - mean) ** 2, 0) / column.length;
  return column.map((v) => (v - mean) / Math.sqrt(variance + eps));
  // END SOLUTION
}
function predictedVariance(sigma2: number, eps: number): number {
  // BEGIN SOLUTION
  return sigma2 / (sigma2 + eps); // Var x̂ = σ² / (σ² + ε): below 1, far below when σ² is not ≫ ε
  // END SOLUTION
}

// %% [markdown]
// The check below compares your $\hat x$ with the library's `batchNormForward` (γ = 1, β = 0) on two features with PyTorch's
// $\varepsilon = 10^{-5}$, and your prediction with the variance of the library's output — for a feature with $\sigma^2 = 2$ and one
// with $\sigma^2 = 2\cdot10^{-6}$, smaller than $\varepsilon$. It fails, with a hint, when either is wrong.

// %%
for (const [column, sigma2] of [[[1, 3, 3, 5], 2], [[0.001, 0.003, 0.003, 0.005], 2e-6]] as [number[], number][]) {
  const z = lab.Matrix.from(column.map((v) => [v])); // [4, 1]: one feature, m = 4
  const out = lab.batchNormForward(z, lab.Matrix.from([[1]]), lab.Matrix.zeros(1, 1), 1e-5).out;
  console.log(String(lab.checkClose(`normalizeByHand([${column}], 1e-5)`, normalizeByHand(column, 1e-5), Array.from(out.data), { tolerance: 1e-9, hint: "Subtract the mean; divide by √(σ² + ε), σ² the biased variance (÷ m)." })));
  const measured = out.data.reduce((a, v) => a + v * v, 0) / 4; // the output's mean is 0, so this is its variance
  console.log(`σ² = ${sigma2.toPrecision(3)}: variance of the library's x̂ = ${measured.toPrecision(6)}`);
  console.log(String(lab.checkClose(`predictedVariance(${sigma2.toPrecision(3)}, 1e-5)`, predictedVariance(sigma2, 1e-5), measured, { tolerance: 1e-9, hint: "x̂ = (x − μ)/√(σ² + ε): its variance is σ² divided by the square of that root — not 1." })));
}

// %% [markdown]
// With $\sigma^2 = 2$ the variance is $1 - 5\cdot10^{-6}$; with $\sigma^2 = 2\cdot10^{-6}$ it is only $1/6$: a feature that barely varies in
// the batch is *not* scaled up to variance 1 — $\varepsilon$ decides (inline question 2 below returns to this).

// %% [markdown]
// ### Drag γ and β through the sigmoid (a slider)
//
// Unit 0 of section 3 after normalization has $z_\text{norm}$ with mean 0 and variance 1. The figure below holds its 300
// values scaled and shifted by 20 pairs $(\gamma, \beta)$, all computed now and stored in the figure: the slider switches
// between them in the browser, without the kernel. The green band is the linear region $|\tilde z| < 1$, the red curve
// the sigmoid (right axis); each title gives the share of the 300 inputs inside the band.

// %%
const sigmoidGrid = Array.from({ length: 161 }, (_, k) => -8 + k * 0.1);
const unit0 = unitValues(normalized, 0); // z_norm of unit 0 over the 300 examples
const linearShare = new Map<string, number>(); // "γ, β" → share of the inputs with |z̃| < 1
const sigmoidSteps = [-3, -1.5, 0, 1.5, 3].flatMap((b) =>
  [0.5, 1, 2, 4].map((g) => {
    const values = unit0.map((v) => g * v + b); // z̃ = γ·z_norm + β
    linearShare.set(`${g}, ${b}`, values.filter((v) => Math.abs(v) < 1).length / values.length);
    const title = `γ = ${g}, β = ${b}: ${(100 * linearShare.get(`${g}, ${b}`)!).toFixed(1)} % of the inputs in the linear region |z̃| < 1`;
    const figure = lab.histogram([{ name: "sigmoid inputs z̃ of unit 0", values }], { title, xTitle: "sigmoid input z̃ = γ · z_norm + β", range: [-8, 8], bins: 64, normalize: "probability density" });
    figure.data.push({ type: "scatter", mode: "lines", name: "sigmoid(z̃), right axis", x: sigmoidGrid, y: sigmoidGrid.map((v) => 1 / (1 + Math.exp(-v))), yaxis: "y2", line: { color: "#d62728" } });
    figure.layout.yaxis2 = { title: { text: "sigmoid(z̃)" }, overlaying: "y", side: "right", range: [0, 1], tickmode: "auto", showgrid: false };
    figure.layout.shapes = [{ type: "rect", xref: "x", yref: "paper", x0: -1, x1: 1, y0: 0, y1: 1, fillcolor: "rgba(44, 160, 44, 0.15)", line: { width: 0 } }];
    return { label: `γ ${g}, β ${b}`, figure };
  }),
);
show.plot(lab.sliderFigure(sigmoidSteps, { sliderLabel: "(γ, β)", active: 9, height: 500 }));

// %% [markdown]
// *Start at γ = 1, β = 0 (BN's output with the initial γ, β): most inputs sit in the green band, where the sigmoid is
// nearly straight. Drag right within β = 0: a larger γ spreads them into the bent parts; then move to β = ±3: the
// distribution slides to one side, into the flat, saturated ends.*
//
// **Slider question.** With $\beta = 0$, what is the **smallest** $\gamma$ on the slider for which fewer than half of the
// inputs stay in the linear region? (Predict it first from what you know of a standard normal, then check with the slider.)

// %% [markdown]
// *Your answer:* …

// %%
function answerSliderQuestion(): number {
  // BEGIN SOLUTION
  return 2;
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const measured = [0.5, 1, 2, 4].find((g) => linearShare.get(`${g}, 0`)! < 0.5);
  console.log(String(lab.checkTrue("slider question: the smallest γ (β = 0) with under half of the inputs in |z̃| < 1", answerSliderQuestion() === measured, "Move the slider along β = 0 and read the percentage in each title; the answer is one of 0.5, 1, 2, 4.")));
}

// %% [markdown]
// ### What the network can fit with γ, β frozen versus learned
//
// Two identical networks with one hidden layer of 16 sigmoid units and BN before the sigmoid,
// trained the same way on the three spirals (Adam, 100 epochs, batches of 32, $\varepsilon = 10^{-8}$).
// In the first, $\gamma = 1, \beta = 0$ stay **frozen** (`affine: false`); in the second they are **learned**.

// %%
async function trainSigmoidNet(affine: boolean) {
  const netRng = lab.makeRng(7); // the same weights and batches for both networks
  const model = lab.mlp({ inputSize: 2, hiddenSizes: [16], outputSize: 3, activation: "sigmoid", batchNorm: { eps, affine }, rng: netRng });
  const history = await lab.fit(model, spiral, { epochs: 100, batchSize: 32, optimizer: new lab.Adam(model.parameters(), { learningRate: 0.02 }), rng: netRng });
  model.eval();
  let sigmoidInputs = spiral.x;
  for (const l of model.layers) {
    sigmoidInputs = l.forward(sigmoidInputs);
    if (l instanceof lab.BatchNorm1d) break; // the BN output is the sigmoid's input
  }
  return { model, history, sigmoidInputs };
}
const frozen = await trainSigmoidNet(false);
const learned = await trainSigmoidNet(true);
for (const [name, run] of [["γ, β frozen ", frozen], ["γ, β learned", learned]] as const) {
  const accuracy = run.history.trainAccuracy[run.history.trainAccuracy.length - 1];
  const inside = run.sigmoidInputs.data.filter((v) => Math.abs(v) < 1).length / run.sigmoidInputs.size;
  console.log(`${name}: training accuracy ${accuracy.toFixed(3)}, sigmoid inputs with |z| < 1: ${(100 * inside).toFixed(1)} %`);
}

// %% [markdown]
// The histogram of the 16 sigmoid units' inputs over all 300 examples, for the two trained networks: how much of each sits in
// the sigmoid's linear region $|\tilde z| < 1$?

// %%
show.plot(
  lab.histogram(
    [
      { name: "γ, β frozen (1, 0)", values: frozen.sigmoidInputs.data },
      { name: "γ, β learned", values: learned.sigmoidInputs.data },
    ],
    { title: "Inputs of the 16 sigmoid units after training (all 300 examples)", xTitle: "sigmoid input z̃", normalize: "probability density", bins: 60 },
  ),
);

// %% [markdown]
// *Frozen, the inputs stay in a bell around 0, about two thirds inside $|z| < 1$; learned, γ
// widens and β shifts them far into the bent parts of the sigmoid.*

// %%
show.plot(
  lab.sideBySide(
    [
      lab.decisionBoundary((grid) => frozen.model.forward(grid), spiral, { title: "γ, β frozen", xTitle: "x₁", yTitle: "x₂" }),
      lab.decisionBoundary((grid) => learned.model.forward(grid), spiral, { title: "γ, β learned", xTitle: "x₁", yTitle: "x₂" }),
    ],
    { title: "Decision regions of the two networks (evaluation mode)" },
  ),
);

// %% [markdown]
// *Frozen, the network is nearly linear and cuts the plane into wedges that miss the spiral arms
// (below 60 % accuracy); learned, it follows the arms
// (above 90 %).* That is the lecture's argument, measured: normalization alone would pin every unit to
// the linear region; γ and β give the non-linearity back. (Training accuracy, one seed; the check below fails if this stops holding.)

// %%
{
  const final = (run: typeof frozen) => run.history.trainAccuracy[run.history.trainAccuracy.length - 1];
  console.log(String(lab.checkTrue("the text's claim: training accuracy below 60 % with γ, β frozen, above 90 % learned", final(frozen) < 0.6 && final(learned) > 0.9)));
}

// %% [markdown]
// **Inline question 1.** With $\gamma = \sqrt{\sigma^2+\varepsilon}$ and $\beta = \mu$ BN is the identity. So what has the
// network gained by normalizing and then learning $\gamma, \beta$? (Hint: who controls a unit's mean and spread
// before BN, and who after? [Notebook 07](07-internal-covariate-shift.ipynb) comes back to this.) The measurable part: of the two networks
// above, which one keeps more of its sigmoid inputs in the linear region $|z| < 1$?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): "γ, β frozen" | "γ, β learned" {
  // BEGIN SOLUTION
  return "γ, β frozen";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const inside = (run: typeof frozen) => run.sigmoidInputs.data.filter((v) => Math.abs(v) < 1).length / run.sigmoidInputs.size;
  const measured = inside(frozen) > inside(learned) ? "γ, β frozen" : "γ, β learned";
  console.log(String(lab.checkTrue("inline question 1: the network with more sigmoid inputs in |z| < 1", answerQ1() === measured, "Read the percentages printed under the training cell.")));
}

// %% [markdown]
// ## 5. Edge cases
//
// ### ε on a (nearly) constant feature: 1e-8 versus 1e-5
//
// For an exactly constant feature $z - \mu = 0$, so $z_\text{norm} = 0/\sqrt{0 + \varepsilon} = 0$ for any
// $\varepsilon > 0$; without $\varepsilon$ it is $0/0$:

// %%
console.log("ε = 0:    0 / √0 =", 0 / Math.sqrt(0));
console.log("ε = 1e-8: 0 / √ε =", 0 / Math.sqrt(0 + 1e-8));

// %% [markdown]
// Where the two $\varepsilon$ differ is a **nearly** constant feature, whose spread $s$ is noise.
// $z_\text{norm}$ then has standard deviation $s/\sqrt{s^2 + \varepsilon}$: about 1 when $s \gg \sqrt\varepsilon$
// (the noise is blown up to full size), about $s/\sqrt\varepsilon$ when $s \ll \sqrt\varepsilon$ (left small).

// %%
{
  const spreads = Array.from({ length: 25 }, (_, k) => 10 ** (-7 + k * 0.25)); // s from 1e-7 to 1
  const noise = rng.normalArray(256);
  const measured = (s: number, e: number) => {
    const x = new lab.Matrix(256, 1, noise.map((v) => 5 + s * v)); // a feature ≈ 5 with spread s
    const out = lab.batchNormForward(x, lab.Matrix.row([1]), lab.Matrix.row([0]), e).out;
    return Math.sqrt(out.mul(out).meanRows().data[0]);
  };
  show.plot(
    lab.lineChart(
      [
        { name: "ε = 1e-8 (lecture)", x: spreads, y: spreads.map((s) => measured(s, 1e-8)), mode: "lines+markers" },
        { name: "ε = 1e-5 (PyTorch)", x: spreads, y: spreads.map((s) => measured(s, 1e-5)), mode: "lines+markers" },
      ],
      { title: "Spread of z_norm for a feature ≈ 5 with tiny noise of spread s", xTitle: "spread s of the feature", yTitle: "standard deviation of z_norm", logX: true },
    ),
  );
}

// %% [markdown]
// *Read the curves where they rise: with ε = 1e-8 noise of spread 1e-3 already comes out with
// standard deviation ≈ 1, as if it were signal; with ε = 1e-5 it must exceed about 3e-3 ($\sqrt{10^{-5}}$).*
// The backward pass multiplies by the same $\gamma/\sqrt{\sigma^2+\varepsilon}$, so with
// $\varepsilon = 10^{-8}$ a near-constant feature can receive gradients up to $10^4$ times larger.
// (The values sit at 5; adding $s \approx 10^{-7}$ to 5 is still exact in float64, whose spacing near 5 is $9 \times 10^{-16}$.)

// %% [markdown]
// **Inline question 2.** For which features does the choice $\varepsilon = 10^{-8}$ (lecture) versus $10^{-5}$ (PyTorch)
// matter, and what does it do to their gradients in the backward pass? The measurable part: a feature whose
// noise has spread $s = 10^{-3}$ — with which $\varepsilon$ does its $z_\text{norm}$ come out with a standard deviation
// above 0.9 (the noise blown up to full size)?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ2(): "only ε = 1e-8" | "only ε = 1e-5" | "both" | "neither" {
  // BEGIN SOLUTION
  return "only ε = 1e-8";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const feature = new lab.Matrix(256, 1, lab.makeRng(2).normalArray(256).map((v) => 5 + 1e-3 * v)); // ≈ 5, spread 1e-3
  const spreadAfterBN = (e: number) => {
    const out = lab.batchNormForward(feature, lab.Matrix.row([1]), lab.Matrix.row([0]), e).out;
    return Math.sqrt(out.mul(out).meanRows().data[0]);
  };
  const [small, large] = [spreadAfterBN(1e-8), spreadAfterBN(1e-5)];
  const measured = small > 0.9 && large > 0.9 ? "both" : small > 0.9 ? "only ε = 1e-8" : large > 0.9 ? "only ε = 1e-5" : "neither";
  console.log(String(lab.checkTrue("inline question 2: the ε that blows noise of spread 1e-3 up to full size", answerQ2() === measured, "Compare s = 1e-3 with √ε for each ε, or read the figure at s = 1e-3.")));
  console.log(`standard deviation of z_norm at s = 1e-3: ε = 1e-8 → ${small.toFixed(3)}, ε = 1e-5 → ${large.toFixed(3)}`);
}

// %% [markdown]
// ### A batch of 2 always gives ±1
//
// With two examples, $z^{(1)} - \mu = \frac{z^{(1)} - z^{(2)}}{2} = d$ and $z^{(2)} - \mu = -d$, so
// $\sigma^2 = d^2$ and $z_\text{norm} = \pm d/\sqrt{d^2+\varepsilon} \approx \pm 1$, whatever the values:

// %%
{
  const pairs = new lab.Matrix(2, 4, rng.normalArray(8, 10, 5)); // 4 features, each a batch of 2
  show.matrix(pairs, { name: "a batch of 2 examples, 4 features" });
  const normalizedPairs = lab.batchNormForward(pairs, lab.Matrix.full(1, 4, 1), lab.Matrix.zeros(1, 4), eps).out;
  show.matrix(normalizedPairs, { name: "z_norm" });
  console.log("1 − |z_norm| for each entry:", Array.from(normalizedPairs.data, (v) => (1 - Math.abs(v)).toExponential(1)).join(", "), "(≈ ε / (2d²))");
}

// %% [markdown]
// The batch tells BN nothing but the order of the two values. In general $|z_\text{norm}| \le \sqrt{m-1}$:
// the $z_\text{norm}$ of a batch sum to 0 and their squares sum to $m\,\sigma^2/(\sigma^2+\varepsilon) < m$;
// with the sum fixed at 0, one value is largest when the other $m-1$ are equal, which gives
// $z_{\max}^2 + z_{\max}^2/(m-1) \le m$, i.e. $|z_{\max}| \le \sqrt{m-1}$. The batch $(1, 0, \dots, 0)$ reaches it:

// %%
{
  const sizes = Array.from({ length: 11 }, (_, k) => k + 2); // m = 2 … 12
  const largestOf = (x: lab.Matrix) => Math.max(...Array.from(lab.batchNormForward(x, lab.Matrix.row([1]), lab.Matrix.row([0]), eps).out.data, Math.abs));
  const randomLargest = sizes.map((m) => Math.max(...Array.from({ length: 200 }, () => largestOf(new lab.Matrix(m, 1, rng.normalArray(m))))));
  const outlierLargest = sizes.map((m) => largestOf(new lab.Matrix(m, 1, Float64Array.from({ length: m }, (_, i) => (i === 0 ? 1 : 0)))));
  show.plot(
    lab.lineChart(
      [
        { name: "bound √(m − 1)", x: sizes, y: sizes.map((m) => Math.sqrt(m - 1)), dash: "dash" },
        { name: "batch (1, 0, …, 0)", x: sizes, y: outlierLargest, mode: "markers" },
        { name: "largest in 200 random normal batches", x: sizes, y: randomLargest, mode: "lines+markers" },
      ],
      { title: "The largest |z_norm| a batch of m examples can produce", xTitle: "batch size m", yTitle: "largest |z_norm|" },
    ),
  );
}

// %% [markdown]
// *The one-outlier batch sits on the bound √(m − 1); random batches stay below it. For m = 2 the
// bound is 1: every value is ±1.* Small batches squeeze the normalized values, one more reason BN
// wants batches of reasonable size.

// %% [markdown]
// **Inline question 3.** Using $|z_\text{norm}| \le \sqrt{m-1}$: why is a batch of 4 already a poor estimate of a unit's
// distribution, and what happens to a rare large value in such a batch? The measurable part: the largest
// $|z_\text{norm}|$ that any batch of $m = 4$ examples can produce.

// %% [markdown]
// *Your answer:* …

// %%
function answerQ3(): number {
  // BEGIN SOLUTION
  return Math.sqrt(4 - 1);
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const outlierBatch = lab.Matrix.from([[1], [0], [0], [0]]); // the batch that reaches the bound
  const measured = Math.max(...Array.from(lab.batchNormForward(outlierBatch, lab.Matrix.row([1]), lab.Matrix.row([0]), eps).out.data, Math.abs));
  console.log(String(lab.checkClose("inline question 3: the largest |z_norm| in a batch of 4", answerQ3(), measured, { tolerance: 1e-6, hint: "The bound √(m − 1), with m = 4." })));
}

// %% [markdown]
// ### A batch of 1 is an error
//
// One example has $\sigma^2 = 0$ and $z - \mu = 0$ in every feature: its normalized value is always 0
// and carries no information (and its gradient is 0). PyTorch refuses to train on it, and so does `BatchNorm1d`:

// %%
{
  const single = lab.Matrix.from([[0.3, -1.2]]);
  const bnLayer = new lab.BatchNorm1d(2, { eps });
  try {
    bnLayer.forward(single);
  } catch (error) {
    console.log((error as Error).message);
  }
  bnLayer.eval(); // at test time the running statistics are used, and one example is fine
  show.matrix(bnLayer.forward(single), { name: "the same example in evaluation mode" });
}

// %% [markdown]
// ## Summary
//
// - BN normalizes each unit over the mini-batch, $z_\text{norm} = (z - \mu)/\sqrt{\sigma^2+\varepsilon}$, then
//   scales and shifts it, $\tilde z = \gamma z_\text{norm} + \beta$, with learned $\gamma, \beta$ per unit.
// - The lecture's $Z^{[l]}$ is $[\text{units}, m]$; our batches are $[N, D]$ — the transpose.
// - $\gamma = \sqrt{\sigma^2+\varepsilon}$, $\beta = \mu$ undo BN exactly; with $\gamma, \beta$ frozen a sigmoid network
//   stays in the linear region and cannot fit the spirals; learned, it can.
// - $\varepsilon = 10^{-8}$ amplifies near-constant features that $10^{-5}$ leaves small; a batch of 2
//   gives ±1; a batch of 1 cannot be normalized.
//
// **In PyTorch** the same layer is `nn.BatchNorm1d(D, eps=1e-5)` on an `[N, D]` batch (PyTorch's ε; pass `eps=1e-8` for the
// lecture's), with `bn.weight` = $\gamma$ and `bn.bias` = $\beta$; in `model.train()` it uses the batch statistics computed here
// (biased variance, ÷N), in `model.eval()` running averages ([notebook 05](05-bn-at-test-time.ipynb)). `F.batch_norm(x, None, None, weight, bias, training=True)`
// is the functional form.
//
// **Next:** [notebook 02](02-bn-backward.ipynb) derives the backward pass of these formulas and checks every step with mathjs.
