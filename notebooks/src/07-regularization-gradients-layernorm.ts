// %% [markdown]
// # 07 · Regularization, gradients and LayerNorm
//
// **Lecture section 2.4.2.3** (BN总结) sums batch normalization (批标准化) up in two sentences. In our words: BN regularizes a little,
// as a side effect, but you should use it to learn faster, not to regularize; and what it mainly fixes is vanishing and exploding
// gradients (梯度消失/梯度爆炸) in back-propagation. 用我们自己的话说：批标准化有一点正则化的副作用，但应当把它当作加速学习的方法，
// 而不是正则化手段；它主要解决反向传播中的梯度消失和梯度爆炸问题。
//
// This notebook tests both sentences — with error bars and a fair baseline, and the answers are more modest than the sentences — and
// then meets BN's sibling, **layer normalization** (层标准化, LayerNorm), which normalizes each example over its own features instead
// of each feature over the batch:
//
// 1. the train/validation gap with and without BN, at two batch sizes, next to L2 weight decay (L2 正则化) and dropout (5 seeds each);
// 2. per-layer gradient norms in a 15-layer tanh network with poor initializations and with a good one, with and without BN;
// 3. LayerNorm versus BN: independence of the batch size; why BN fails with batches of 2; when each fits.
//
// **Run time.** About a minute on a 2-core laptop; sizes and step counts are given with each experiment.
// Chinese terms: see the [glossary](../docs/glossary.md).
// Three **inline questions** ask you to explain what you measured: answer in the cell under each; where the
// answer is a number or a choice, a small cell records it and a check compares it with this notebook's measurement.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %%
const rng = lab.makeRng(1337);

// %% [markdown]
// ## 1. BN's slight regularizing effect (正则化)?
//
// In train mode each example is normalized with its batch's mean and variance, which depend on the **other** examples drawn
// with it. That is noise injected into every hidden unit, of size roughly $\propto 1/\sqrt{m}$ for batch size $m$ (notebook 05), and
// noise in training can act as a regularizer — like dropout. Ioffe & Szegedy (§3.4) found it useful: "Whereas Dropout (Srivastava
// et al., 2014) is typically used to reduce overfitting, in a batch-normalized network we found that it can be either removed or
// reduced in strength", and their abstract says BN "also acts as a regularizer, in some cases eliminating the need for Dropout."
// The lecture (2.4.2.3) is more cautious: the effect is slight; do not use BN *as* a regularizer.
//
// **The experiment.** A network that overfits: 500 MNIST training images, a ReLU MLP 784 → 100 → 100 → 10, SGD with α = 0.05 and
// momentum 0.9, **the same 200 steps for every configuration**, **5 seeds** each (the seed sets the initial weights, the batches and
// the dropout masks). We measure the **generalization gap** (泛化差距) = train accuracy − validation accuracy, both in eval mode, on
// the 500 training images and 1 000 other images:
//
// - without and with BN, at batch 50 (20 epochs) and at batch 10 (4 epochs: the same steps see fewer examples);
// - L2 weight decay $\lambda = 5\cdot10^{-3}$ (no BN, batch 50): the loss gains $\frac{\lambda}{2}\sum W^2$, the gradient $\lambda W$;
// - dropout $p = 0.5$ after each hidden activation (no BN, batch 50).
//
// How small an effect can this see? With 1 000 validation images one accuracy has a binomial standard error of about
// $\sqrt{0.87 \cdot 0.13/1000} \approx 0.011$; averaging 5 seeds and comparing two configurations, differences below about 0.01–0.02
// are noise. The error bars below show the seed-to-seed spread.

// %% [markdown]
// **Inline question 1 — predict first.** Before running the experiment, record your prediction: compared with the same network
// without BN at the same batch size, will BN make the train/validation gap **narrower**, **wider**, or leave **no difference** beyond
// the seed-to-seed noise (more than two standard errors of the difference) — at batch 50, and at batch 10, where its batch noise is
// larger? A cell after the run compares your prediction with the measurement; if they differ, explain why in your answer.

// %%
type GapEffect = "narrower" | "no difference" | "wider";
function predictQ1(): { batch50: GapEffect; batch10: GapEffect } {
  // BEGIN SOLUTION
  return { batch50: "no difference", batch10: "no difference" };
  // END SOLUTION
}

// %%
{
  const choices: string[] = ["narrower", "no difference", "wider"];
  const prediction = predictQ1();
  console.log(String(lab.checkTrue("inline question 1: prediction recorded for both batch sizes", choices.includes(prediction.batch50) && choices.includes(prediction.batch10), "Return one of \"narrower\", \"no difference\", \"wider\" for each batch size.")));
}

// %% [markdown]
// ### Exercise 1 · The gradient of the L2 penalty
//
// Weight decay adds $R(W) = \frac{\lambda}{2}\sum_{ij} W_{ij}^2$ to the loss. Return $\partial R/\partial W$ (same shape as `weight`).

// %%
function l2PenaltyGradient(weight: lab.Matrix, lambda: number): lab.Matrix {
  // BEGIN SOLUTION
  return weight.scale(lambda);
  // END SOLUTION
}

// %%
{
  const weight = new lab.Matrix(6, 4, rng.normalArray(24, 0.3, 1));
  const penalty = (w: lab.Matrix) => lab.Matrix.from([[(0.01 / 2) * w.data.reduce((s, v) => s + v * v, 0)]]); // R(W) as a [1, 1] matrix
  console.log(String(lab.checkGradient("∂R/∂W of the L2 penalty", l2PenaltyGradient(weight, 0.01), { f: penalty, x: weight, dOut: lab.Matrix.from([[1]]), hint: "differentiate λ/2·ΣW²: the 2 cancels the 1/2" })));
}

// %%
const mnist = lab.loadMnist();
const small = lab.subsetDataset(mnist.train, Array.from({ length: 500 }, (_, i) => i));
const validation = lab.subsetDataset(mnist.train, Array.from({ length: 1000 }, (_, i) => 10000 + i));
type RegularizerKind = "none" | "bn" | "dropout";
function regularizerModel(kind: RegularizerKind, modelRng: lab.Rng): lab.Sequential {
  if (kind === "dropout") {
    return new lab.Sequential([
      new lab.Linear(784, 100, { rng: modelRng }), new lab.ReLU(), new lab.Dropout(0.5, { rng: modelRng }),
      new lab.Linear(100, 100, { rng: modelRng }), new lab.ReLU(), new lab.Dropout(0.5, { rng: modelRng }),
      new lab.Linear(100, 10, { rng: modelRng }),
    ]);
  }
  return lab.mlp({ inputSize: 784, hiddenSizes: [100, 100], outputSize: 10, activation: "relu", batchNorm: kind === "bn", rng: modelRng });
}
/** One seed of one configuration: 200 SGD steps, then train and validation accuracy in eval mode. */
async function gapRun(kind: RegularizerKind, batchSize: number, weightDecay: number, seed: number): Promise<{ train: number; validation: number }> {
  const runRng = lab.makeRng(seed);
  const model = regularizerModel(kind, runRng);
  const optimizer = new lab.SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9, weightDecay });
  await lab.fit(model, small, { epochs: 1000, batchSize, optimizer, rng: runRng, maxSteps: 200, trainAccuracy: false });
  return { train: lab.evaluate(model, small).accuracy, validation: lab.evaluate(model, validation).accuracy };
}

// %%
const regularizerConfigs = [
  { name: "no BN, batch 50", kind: "none", batchSize: 50, weightDecay: 0 },
  { name: "BN, batch 50", kind: "bn", batchSize: 50, weightDecay: 0 },
  { name: "no BN, batch 10", kind: "none", batchSize: 10, weightDecay: 0 },
  { name: "BN, batch 10", kind: "bn", batchSize: 10, weightDecay: 0 },
  { name: "L2 λ = 5e-3, batch 50", kind: "none", batchSize: 50, weightDecay: 5e-3 },
  { name: "dropout 0.5, batch 50", kind: "dropout", batchSize: 50, weightDecay: 0 },
] as const;
const seeds = [101, 102, 103, 104, 105];
const gapStatus = show.newDisplayId();
const gapResults: { name: string; train: lab.SeedSpread; validation: lab.SeedSpread; gap: lab.SeedSpread }[] = [];
for (const config of regularizerConfigs) {
  const runs = [];
  for (const seed of seeds) runs.push(await gapRun(config.kind, config.batchSize, config.weightDecay, seed));
  gapResults.push({ name: config.name, train: lab.seedSpread(runs.map((r) => r.train)), validation: lab.seedSpread(runs.map((r) => r.validation)), gap: lab.seedSpread(runs.map((r) => r.train - r.validation)) });
  await show.sendDisplay({ "text/plain": `${gapResults.length} / ${regularizerConfigs.length} configurations × ${seeds.length} seeds done (${config.name})` }, { displayId: gapStatus, update: gapResults.length > 1 });
}
const plusMinus = (s: lab.SeedSpread) => `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}`;
console.table(gapResults.map((r) => ({ configuration: r.name, train: plusMinus(r.train), validation: plusMinus(r.validation), "gap (mean ± std over 5 seeds)": plusMinus(r.gap), "standard error of the gap": r.gap.standardError.toFixed(3) })));

// %%
{
  const figure = lab.barChart(gapResults.map((r) => r.name), [{ name: "gap = train − validation accuracy (mean of 5 seeds)", values: gapResults.map((r) => r.gap.mean) }],
    { title: "Generalization gap after 200 SGD steps on 500 MNIST images (error bars: ± 1 std over 5 seeds)", xTitle: "configuration", yTitle: "train − validation accuracy (fraction)" });
  figure.data[0].error_y = { type: "data", array: gapResults.map((r) => r.gap.std), visible: true }; // plotly's error bars
  show.plot(figure);
}

// %% [markdown]
// *What to look at:* compare each BN bar with the no-BN bar **at the same batch size**, and the difference with the error bars.
// In our run (5 seeds): at batch 50 every network fits the 500 training images, and the gap is about 0.14 without BN and 0.135 with
// it, a difference well inside the error bars. At batch 10 (the same 200 steps, so only 4 epochs) BN reaches higher train **and**
// validation accuracy (about 0.98 and 0.83 against 0.90 and 0.75) — it learns faster — but the gap is again the same within noise
// (about 0.15). L2 with this λ and dropout also leave the gap within noise of the unregularized 0.14 at this scale, dropout with the
// largest seed-to-seed spread. So: **no regularizing effect of BN is visible at this scale**; if it exists here it is smaller than
// about 0.01. The check below fails if that stops holding. (The previous version of this notebook compared batch sizes after equal
// *epochs* with one seed and could not have told.)
//
// This does not contradict the paper — its claim comes from large convolutional networks on ImageNet (§3.4, §4.2), not from a small
// MLP on 500 images — but it does support the lecture's caution: BN's regularization is at most slight, tied to the batch size (which
// you choose for speed and memory) and absent in eval mode. Use BN for speed and stability, and regularize with tools meant for it
// (dropout, L2, data augmentation, more data), whose strength is a knob of its own.

// %%
{
  const gapOf = (name: string) => gapResults.find((r) => r.name === name)!.gap;
  const verdict = (bn: lab.SeedSpread, plain: lab.SeedSpread): GapEffect => (!lab.differsBeyondNoise(bn, plain) ? "no difference" : bn.mean < plain.mean ? "narrower" : "wider");
  const measured = { batch50: verdict(gapOf("BN, batch 50"), gapOf("no BN, batch 50")), batch10: verdict(gapOf("BN, batch 10"), gapOf("no BN, batch 10")) };
  console.log(`measured (BN vs no BN, 2 standard errors of the difference): batch 50 → ${measured.batch50}, batch 10 → ${measured.batch10}`);
  console.log(String(lab.checkTrue("the text's claim: BN left the gap unchanged within noise at both batch sizes", measured.batch50 === "no difference" && measured.batch10 === "no difference")));
  console.log(String(lab.checkTrue("inline question 1: your prediction at batch 50 matches the run", predictQ1().batch50 === measured.batch50, "Your prediction differed from the measurement — say in your answer what you expected and why it did not happen.")));
  console.log(String(lab.checkTrue("inline question 1: your prediction at batch 10 matches the run", predictQ1().batch10 === measured.batch10, "Your prediction differed from the measurement — say in your answer what you expected and why it did not happen.")));
}

// %% [markdown]
// *Your answer:* (your prediction and what happened; then: why not use BN *as* a regularizer?) …

// %% [markdown]
// ## 2. Vanishing and exploding gradients (梯度消失/爆炸) through depth
//
// Back-propagation multiplies, layer after layer, by $W_l^\top$ and by the activation's slope:
// $\frac{\partial L}{\partial h_{l-1}} = \big(\frac{\partial L}{\partial h_l} \odot g'(z_l)\big) W_l^\top$. If each layer shrinks the gradient by a factor $q<1$, the first layer of a
// 15-layer network gets $q^{15}$ of it; if it grows by $q>1$, $q^{15}$ explodes. A poor initialization sets $q$ far from 1.
//
// We take a tanh network 784 → 50 × 14 → 10 (15 weight layers) with two poor initializations, $W\sim\mathcal N(0, 0.02^2)$ (too small) and
// $\mathcal N(0, 0.5^2)$ (too large), with and without BN, and measure $\lVert \partial L/\partial W_l\rVert$ for every layer on one batch of 200 images.

// %% [markdown]
// ### Exercise 2 · Gradient norm of each weight
//
// After a backward pass, return $\lVert \partial L / \partial W_l\rVert_2 = \sqrt{\sum_{ij} (\partial L/\partial W_l)_{ij}^2}$ for every `Linear` layer of `model`,
// in order (the gradient is in `layer.weight.grad`).

// %%
function weightGradientNorms(model: lab.Sequential): number[] {
  // BEGIN SOLUTION
  return model.layers
    .filter((layer): layer is lab.Linear => layer instanceof lab.Linear)
    .map((layer) => Math.sqrt(layer.weight.grad.data.reduce((s, g) => s + g * g, 0)));
  // END SOLUTION
}

// %%
const deepNet = (init: "xavier" | { gaussian: number }, batchNorm: boolean, seed = 15) =>
  lab.mlp({ inputSize: 784, hiddenSizes: Array(14).fill(50), outputSize: 10, activation: "tanh", batchNorm, rng: lab.makeRng(seed), init });
const gradientBatch = lab.subsetDataset(mnist.train, Array.from({ length: 200 }, (_, i) => 2000 + i));
{
  const model = deepNet({ gaussian: 0.02 }, false);
  lab.traceStep(model, gradientBatch.x, gradientBatch.y);
  console.log(String(lab.checkClose("‖∂L/∂W‖ per layer", weightGradientNorms(model), lab.weightDiagnostics(model, 1).map((r) => r.gradientNorm), { tolerance: 1e-9, hint: "one number per Linear layer, in order: the square root of the sum of squared gradient entries" })));
}

// %% [markdown]
// **Inline question 2 — predict first.** Each tanh layer multiplies the backward gradient by $W_l^\top$ (entries of size 0.5 over 50
// inputs for $\mathcal N(0, 0.5^2)$) and by the slope $\tanh'$. Before the measurement, record your prediction: without BN and with
// $\mathcal N(0, 0.5^2)$, about how many times larger will $\lVert\partial L/\partial W_1\rVert$ (next to the input) be than
// $\lVert\partial L/\partial W_{15}\rVert$ (next to the output) — 1, 10, 100 or 1000? The cell after the training curves compares.

// %%
function predictQ2(): 1 | 10 | 100 | 1000 {
  // BEGIN SOLUTION
  return 100;
  // END SOLUTION
}

// %%
console.log(String(lab.checkTrue("inline question 2: prediction recorded", [1, 10, 100, 1000].includes(predictQ2()), "Return 1, 10, 100 or 1000.")));

// %%
const depthConfigs: { name: string; init: "xavier" | { gaussian: number }; batchNorm: boolean }[] = [
  { name: "N(0, 0.02²), without BN", init: { gaussian: 0.02 }, batchNorm: false },
  { name: "N(0, 0.02²), with BN", init: { gaussian: 0.02 }, batchNorm: true },
  { name: "N(0, 0.5²), without BN", init: { gaussian: 0.5 }, batchNorm: false },
  { name: "N(0, 0.5²), with BN", init: { gaussian: 0.5 }, batchNorm: true },
  { name: "Xavier, without BN (the baseline)", init: "xavier", batchNorm: false },
];
const gradientNorms = depthConfigs.map(({ init, batchNorm }) => {
  const model = deepNet(init, batchNorm);
  lab.traceStep(model, gradientBatch.x, gradientBatch.y); // one forward and backward, no update
  return lab.weightDiagnostics(model, 1).map((r) => r.gradientNorm);
});
show.plot(lab.lineChart(depthConfigs.map((c, k) => ({ name: c.name, x: gradientNorms[k].map((_, l) => l + 1), y: gradientNorms[k], mode: "lines+markers" as const, dash: c.batchNorm ? "solid" as const : c.init === "xavier" ? "dashdot" as const : "dot" as const })),
  { title: "Gradient norm of each layer's weights at initialization (15-layer tanh net, batch of 200)", xTitle: "layer l (1 = next to the input)", yTitle: "‖∂L/∂W_l‖ (log scale)", logY: true }));

// %% [markdown]
// Read each dotted line from right (output) to left (input). With the small initialization every layer's gradient is about
// $10^{-12}$ — **vanishing** everywhere: each layer multiplies the forward signal by roughly $0.02\sqrt{50}\approx 0.14$, so after 15 layers
// nothing of the input reaches the loss, and the backward gradient shrinks by the same factor on its way down (the two effects balance
// in $\partial L/\partial W_l = h_{l-1}^\top \delta_l$, hence the flat line). With the large initialization the gradient grows by about 1.4× per
// layer going back, from about 0.8 at the last layer to about 100 at the first: **exploding**. With BN (solid lines) both initializations
// give gradient norms between about 0.5 and 1.4 in all 15 layers: every layer's input is re-standardized, so the per-layer factor stays
// near 1 whatever the scale of $W$ — near 1, not at 1: going back from layer 15 to layer 2 the BN gradients still grow, by a factor of
// about 2 (checked below).
//
// **The baseline.** The poor initializations are straw men; the fair comparison is a plain network initialized *well*. Xavier/Glorot
// initialization (std $\sqrt{2/(\text{fan-in}+\text{fan-out})}$, about $1/\sqrt{50}$ here) keeps the per-layer factor near 1 by choosing the scale
// of $W$ — without BN its gradient norms (the dashed-dot line) are flat at about 0.25 from layer 2 to layer 14.
//
// And BN is not a cure for depth. Yang et al. (2019, *A Mean Field Theory of Batch Normalization*, abstract): "Our theory shows that
// gradient signals grow exponentially in depth and that these exploding gradients cannot be eliminated by tuning the initial weight
// variances or by adjusting the nonlinear activation function. Indeed, batch normalization itself is the cause of gradient explosion.
// As a result, vanilla batch-normalized networks without skip connections are not trainable at large depths for common
// initialization schemes". The mild growth of our BN lines at 15 layers is that effect, small at this depth. What makes very deep
// networks trainable in practice is careful initialization together with residual connections (ResNets), usually *with* BN.
//
// Does all this let the networks learn? 100 SGD steps (α = 0.1, batch 64) each:

// %%
const depthCurves: lab.Series[] = [];
for (const [k, config] of depthConfigs.entries()) {
  const model = deepNet(config.init, config.batchNorm);
  const runRng = lab.makeRng(16);
  const live = show.liveTraining({ title: config.name });
  const history = await lab.fit(model, lab.subsetDataset(mnist.train, Array.from({ length: 6000 }, (_, i) => i)), {
    epochs: 2, batchSize: 64, optimizer: new lab.SGD(model.parameters(), { learningRate: 0.1 }), rng: runRng, maxSteps: 100, onStep: live.onStep,
  });
  await live.finish(history);
  depthCurves.push({ name: config.name, y: history.loss, dash: config.batchNorm ? "solid" : config.init === "xavier" ? "dashdot" : "dot" });
}
show.plot(lab.lineChart(depthCurves, { title: "Training loss of the 15-layer tanh network, SGD α = 0.1", xTitle: "step", yTitle: "mini-batch cross-entropy loss (log scale)", logY: true }));

// %% [markdown]
// The poorly initialized networks without BN stay at the chance loss $\ln 10 \approx 2.3$ for all 100 steps — the small initialization
// because no gradient arrives, the large one because its exploding gradients and saturated units give no usable direction. Both BN
// networks learn from the start. But the well-initialized plain network learns too, and here faster than either BN network with a poor
// initialization (the check below compares the mean loss of the last 10 steps; one seed).
//
// So what did we measure about the lecture's sentence (2.4.2.3) "Batch Normalization主要解决的还是反向传播过程中的梯度问题（梯度消失和爆炸）"
// (what BN mainly solves is the gradient problem of back-propagation, vanishing and exploding gradients)?
// BN made vanishing and exploding gradients **caused by a poor weight scale** disappear, because it divides that scale out — which is
// the paper's "be less careful about initialization" (abstract). It did not beat a good initialization, and in deep plain networks BN
// itself makes gradients grow with depth (Yang et al.). The gradient problem of depth is solved by initialization and residual
// connections; BN makes training insensitive to the weight scale and allows larger learning rates (notebooks 04 and 06).

// %%
{
  const lossAtEnd = (k: number) => { const y = Array.from(depthCurves[k].y); return y.slice(-10).reduce((a, b) => a + b, 0) / 10; };
  const index = (name: string) => depthConfigs.findIndex((c) => c.name === name);
  const [xavier, small, large] = ["Xavier, without BN (the baseline)", "N(0, 0.02²), without BN", "N(0, 0.5²), without BN"].map(index);
  const bnRuns = depthConfigs.map((c, k) => k).filter((k) => depthConfigs[k].batchNorm);
  console.log(depthConfigs.map((c, k) => `${c.name}: mean loss of the last 10 steps ${lossAtEnd(k).toFixed(3)}`).join("\n"));
  console.log(String(lab.checkTrue("poor initializations without BN stay near chance (loss > 2.2)", lossAtEnd(small) > 2.2 && lossAtEnd(large) > 2.2)));
  console.log(String(lab.checkTrue("the Xavier baseline learns faster than both poorly initialized BN networks", bnRuns.every((k) => lossAtEnd(xavier) < lossAtEnd(k)))));
  console.log(String(lab.checkTrue("with BN the gradient still grows going back (layer 2 > layer 15, all BN runs)", bnRuns.every((k) => gradientNorms[k][1] > gradientNorms[k][14]))));
}

// %% [markdown]
// **Inline question 2 (continued).** Your prediction against the measurement — and: why does the gradient grow layer after layer going
// back with $W \sim \mathcal N(0, 0.5^2)$, and why does BN stop it?

// %% [markdown]
// *Your answer:* …

// %%
{
  const norms = gradientNorms[depthConfigs.findIndex((c) => c.name === "N(0, 0.5²), without BN")];
  const measured = norms[0] / norms[norms.length - 1];
  const nearest = 10 ** Math.round(Math.log10(measured)); // the choice closest on a log scale
  console.log(`‖∂L/∂W₁‖ / ‖∂L/∂W₁₅‖ without BN, N(0, 0.5²): ${norms[0].toPrecision(3)} / ${norms[norms.length - 1].toPrecision(3)} = ${measured.toPrecision(3)} → nearest choice ${nearest}`);
  console.log(String(lab.checkTrue("inline question 2: your prediction matches the measurement", predictQ2() === nearest, "Your prediction differed: in your answer, estimate the per-layer factor (0.5·√50 times the mean slope of tanh) and compare.")));
}

// %% [markdown]
// ## 3. LayerNorm versus BatchNorm
//
// LayerNorm (Ba, Kiros & Hinton 2016) computes the statistics of each **example** over its $D$ features:
//
// $$\mu_i = \frac1D\sum_{j} z_{ij}, \qquad \sigma_i^2 = \frac1D\sum_j (z_{ij}-\mu_i)^2, \qquad \text{out}_{ij} = \gamma_j\,\frac{z_{ij}-\mu_i}{\sqrt{\sigma_i^2+\varepsilon}} + \beta_j ,$$
//
// while BN computes them for each **feature** over the batch. So LayerNorm needs no batch, no running averages, and computes the same thing
// in training and at test time.

// %% [markdown]
// ### Exercise 3 · Normalize each row
//
// Return $\hat z_{ij} = (z_{ij}-\mu_i)/\sqrt{\sigma_i^2+\varepsilon}$ with the mean and biased variance of **row** $i$ (LayerNorm without $\gamma, \beta$).

// %%
function normalizeRows(z: lab.Matrix, eps: number): lab.Matrix {
  // BEGIN SOLUTION
  const out = new lab.Matrix(z.rows, z.cols);
  for (let i = 0; i < z.rows; i++) {
    let mean = 0;
    for (let j = 0; j < z.cols; j++) mean += z.get(i, j) / z.cols;
    let variance = 0;
    for (let j = 0; j < z.cols; j++) variance += (z.get(i, j) - mean) ** 2 / z.cols;
    for (let j = 0; j < z.cols; j++) out.set(i, j, (z.get(i, j) - mean) / Math.sqrt(variance + eps));
  }
  return out;
  // END SOLUTION
}

// %%
{
  const z = new lab.Matrix(5, 7, rng.normalArray(35, 2, 3));
  const expected = lab.layerNormForward(z, lab.Matrix.full(1, 7, 1), lab.Matrix.zeros(1, 7), 1e-5).out;
  console.log(String(lab.checkClose("row-normalized z", normalizeRows(z, 1e-5), expected, { tolerance: 1e-9, hint: "statistics per ROW (over the 7 features), not per column; divide the variance by D, not D − 1" })));
}

// %% [markdown]
// **Batch independence.** The output for one example, computed alone and inside batches of different sizes, in train mode:

// %%
{
  const z = new lab.Matrix(64, 20, rng.normalArray(1280, 1, 2));
  const layerNorm = new lab.LayerNorm(20);
  const batchNorm = new lab.BatchNorm1d(20);
  for (const size of [4, 16, 64]) {
    const batch = z.selectRows(Array.from({ length: size }, (_, i) => i));
    const ln = lab.maxAbsDiff(layerNorm.forward(batch).rowAt(0), layerNorm.forward(z.selectRows([0])));
    const bn = lab.maxAbsDiff(batchNorm.forward(batch).rowAt(0), batchNorm.forward(z.selectRows([0, 1])).rowAt(0));
    console.log(`batch of ${String(size).padStart(2)}: LayerNorm row 0 differs from row 0 alone by ${ln.toExponential(1)}; BatchNorm row 0 differs from row 0 in a batch of 2 by ${bn.toFixed(3)}`);
  }
}

// %% [markdown]
// LayerNorm's output for an example does not depend on its batch at all; BN's does (and BN cannot take a batch of one in training).
//
// **Training with tiny batches.** The same ReLU MLP 784 → 100 → 100 → 10 with BN or with LayerNorm after each hidden `Linear`, trained for
// 1 500 examples (SGD α = 0.05, momentum 0.9) with batch sizes 2, 4 and 32; test accuracy on 1 000 test images in eval mode.
//
// **Inline question 3 — predict first.** With batches of **2**, which will reach the higher test accuracy, BatchNorm or LayerNorm?
// (Hint: notebook 01, a batch of 2.) Record your prediction; the cell after the figure compares.

// %%
function predictQ3(): "BatchNorm" | "LayerNorm" {
  // BEGIN SOLUTION
  return "LayerNorm";
  // END SOLUTION
}

// %%
console.log(String(lab.checkTrue("inline question 3: prediction recorded", ["BatchNorm", "LayerNorm"].includes(predictQ3()), "Return \"BatchNorm\" or \"LayerNorm\".")));

// %%
function normalizedMlp(kind: "bn" | "ln", modelRng: lab.Rng): lab.Sequential {
  const norm = (d: number): lab.Layer => (kind === "bn" ? new lab.BatchNorm1d(d) : new lab.LayerNorm(d));
  return new lab.Sequential([
    new lab.Linear(784, 100, { rng: modelRng, bias: false }), norm(100), new lab.ReLU(),
    new lab.Linear(100, 100, { rng: modelRng, bias: false }), norm(100), new lab.ReLU(),
    new lab.Linear(100, 10, { rng: modelRng }),
  ]);
}
const tinyBatchSizes = [2, 4, 32];
const normTest = lab.subsetDataset(mnist.test, Array.from({ length: 1000 }, (_, i) => i));
const normTrain = lab.subsetDataset(mnist.train, Array.from({ length: 1500 }, (_, i) => 4000 + i));
const normAccuracy: Record<string, number[]> = { BatchNorm: [], LayerNorm: [] };
const normStatus = show.newDisplayId();
for (const batchSize of tinyBatchSizes) {
  for (const [name, kind] of [["BatchNorm", "bn"], ["LayerNorm", "ln"]] as const) {
    const runRng = lab.makeRng(40);
    const model = normalizedMlp(kind, runRng);
    await lab.fit(model, normTrain, { epochs: 1, batchSize, optimizer: new lab.SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9 }), rng: runRng });
    normAccuracy[name].push(lab.evaluate(model, normTest).accuracy);
    await show.sendDisplay({ "text/plain": `${name}, batch ${batchSize}: test accuracy ${normAccuracy[name][normAccuracy[name].length - 1].toFixed(3)}` }, { displayId: normStatus, update: batchSize !== tinyBatchSizes[0] || kind === "ln" });
  }
}
show.plot(lab.lineChart(Object.entries(normAccuracy).map(([name, accuracy]) => ({ name, x: tinyBatchSizes, y: accuracy, mode: "lines+markers" as const })),
  { title: "Test accuracy after 1 500 training examples, by batch size", xTitle: "batch size (log scale)", yTitle: "test accuracy (eval mode, 1 000 images)", logX: true }));

// %% [markdown]
// With batches of 32 both work (about 84 % and 82 %). With batches of 4 BN falls behind, and with batches of 2 it fails outright (chance,
// about 11 %). LayerNorm still learns with batches of 2 (about 53 % after these few examples, with 750 noisy steps); its computation does
// not involve the batch at all.
//
// **Why BN fails at $m = 2$: the gradient, first.** With two examples, $\mu = (x_1+x_2)/2$ and $\sigma^2 = (x_1-x_2)^2/4$, so
// $\hat x_{1,2} = \pm\,|x_1-x_2|/\sqrt{(x_1-x_2)^2 + 4\varepsilon} \approx \pm 1$ **whatever** $x_1, x_2$ are: the output barely moves when the input
// moves, $\partial\hat x/\partial x \approx 0$. In the backward formula of notebook 02, $dX = \frac{\gamma}{\sqrt{\sigma^2+\varepsilon}}\,(g - \bar g - \hat x\,\overline{g\hat x})$,
// the two subtracted projections remove everything when there are only two examples (the vectors $(1, 1)$ and $\hat x \approx (1, -1)$ span
// all of $\mathbb R^2$), leaving a remainder of order $\varepsilon/(\sigma^2+\varepsilon)$. So the layers **below** a BN layer receive almost no
// gradient and hardly learn. Measured on the first BN layer of a fresh network, with random upstream gradients:

// %%
{
  const model = normalizedMlp("bn", lab.makeRng(41));
  const attenuation = (size: number) => { // median over the 100 features of ‖dX_j‖ / ‖dOut_j‖ through BatchNorm1d
    const z = model.layers[0].forward(normTrain.x.selectRows(Array.from({ length: size }, (_, i) => i)));
    const bn = new lab.BatchNorm1d(100);
    bn.forward(z);
    const dOut = new lab.Matrix(size, 100, lab.makeRng(3).normalArray(size * 100));
    const dX = bn.backward(dOut);
    const column = (m: lab.Matrix, j: number) => Math.hypot(...Array.from({ length: size }, (_, i) => m.get(i, j)));
    return lab.percentilesOf(Array.from({ length: 100 }, (_, j) => column(dX, j) / column(dOut, j)), [50])[0];
  };
  const [two, thirtyTwo] = [attenuation(2), attenuation(32)];
  console.log(`median ‖dX_j‖ / ‖dOut_j‖ through BN: batch of 2 → ${two.toExponential(1)}, batch of 32 → ${thirtyTwo.toExponential(1)}`);
  console.log(String(lab.checkTrue("a batch of 2 passes less than 1 % of what a batch of 32 passes", two < 0.01 * thirtyTwo)));
}

// %% [markdown]
// Only features whose two values nearly coincide ($\sigma^2$ comparable to $\varepsilon$) pass a sizeable gradient — and for those it is noise.
// **Then the test.** Above BN, training sees only values $\gamma_j(\pm 1) + \beta_j$: two values per feature. In eval mode the running
// statistics turn the same features into continuous values the layers above never met in training, and the running averages of such
// batches describe single examples poorly. Both effects point the same way; the gradient effect alone would stop the layers below BN from learning.
//
// ### When each fits
//
// | | BatchNorm (批标准化) | LayerNorm (层标准化) |
// |---|---|---|
// | statistics over | the batch, per feature | the features, per example |
// | batch size | needs reasonably large batches (≳ 16–32) | any, including 1 |
// | train vs test | different (batch vs running statistics) | identical |
// | typical use | MLPs and CNNs on fixed-size inputs with large batches | RNNs, Transformers, small or variable batches, online learning |
// | side effects | slight regularization from batch noise; couples the examples of a batch | none of these |

// %% [markdown]
// **Inline question 3 (continued).** Your prediction against the run — and: why does BN fail with batches of 2 while LayerNorm still
// learns?

// %% [markdown]
// *Your answer:* …

// %%
{
  const measured = normAccuracy.LayerNorm[0] > normAccuracy.BatchNorm[0] ? "LayerNorm" : "BatchNorm";
  console.log(`batches of 2: BatchNorm ${normAccuracy.BatchNorm[0].toFixed(3)}, LayerNorm ${normAccuracy.LayerNorm[0].toFixed(3)} → ${measured}`);
  console.log(String(lab.checkTrue("inline question 3: your prediction matches the run", predictQ3() === measured, "Your prediction differed: explain in your answer what you expected and what the figure shows.")));
}

// %% [markdown]
// ## Summary
//
// - BN's regularizing effect was **not visible** here: with equal steps and 5 seeds, BN left the train/validation gap unchanged within noise at batch 50 and at batch 10 (section 1). The paper reports one on ImageNet; the lecture calls it slight and says not to rely on it — regularize with dropout, L2, data.
// - BN removed the vanishing and exploding gradients caused by a poor weight scale in a 15-layer tanh network, but a well-initialized plain network (Xavier) learned as well or better, and BN's own gradients still grew going back (section 2; Yang et al. 2019 show this growth is exponential in depth). Depth is made trainable by initialization and residual connections; BN makes training insensitive to the weight scale.
// - With batches of 2, BN passes almost no gradient to the layers below it ($\hat x \approx \pm 1$); LayerNorm normalizes each example on its own: independent of the batch, the same in training and inference — the choice for small batches and sequence models.
//
// **In PyTorch:**
//
// ```python
// nn.BatchNorm1d(100)                 # statistics per feature over the batch; model.train() / model.eval() switch the two modes
// nn.LayerNorm(100)                   # statistics per example over its 100 features; the same in train() and eval()
// nn.Dropout(p=0.5)                   # active only in model.train()
// torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-3)   # L2: adds λ·W to every gradient
// nn.init.xavier_normal_(linear.weight)   # the baseline initialization of section 2
// ```

// %% [markdown]
// *Run time of this notebook:* the CPU time the kernel has used so far (on an idle 2-core laptop, about the wall-clock time).

// %%
console.log(`kernel CPU time: ${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)} s`);
