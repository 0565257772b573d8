// %% [markdown]
// # 05 · Batch Normalization at test time
//
// In training, BN (批标准化) normalizes each feature with the mean $\mu_B$ and variance $\sigma_B^2$ of the current
// mini-batch. At test time there may be **one** example, and its prediction must not depend on which other
// examples happen to share its batch. So BN has two modes:
//
// $$\text{train:}\quad \hat z = \frac{z-\mu_B}{\sqrt{\sigma_B^2+\varepsilon}}, \qquad\qquad \text{eval:}\quad \hat z = \frac{z-\hat\mu}{\sqrt{\hat\sigma^2+\varepsilon}},$$
//
// where $\hat\mu, \hat\sigma^2$ are estimates of the population statistics made during or after training.
//
// **Lecture section.** The lecture's formulas (2.4.2.1) compute $\mu, \sigma^2$ over the mini-batch of $m$ examples and say nothing
// about test time; this notebook fills that gap. In our words: at test time a prediction must depend on its own example only, so BN
// replaces the batch statistics by fixed estimates of the population's, collected during training. 讲义 2.4.2.1 的公式用小批量的
// 均值和方差，没有讲测试时怎么办；本笔记本补上这一点：测试时每个预测只能取决于它自己的样本，所以批标准化改用训练中估计出的、
// 固定的总体均值和方差。
//
// **Notation.** As in the lecture, $m$ is the **batch size**. The running-average weight that PyTorch calls `momentum` is written
// $\rho$ here, so the two never share a letter.
// This notebook covers: train versus eval mode; running averages as exponentially weighted averages (指数加权平均)
// and their warm-up bias; the three momentum conventions you will meet (PyTorch, cs231n, Keras); the paper's
// population statistics with $m/(m-1)$ (Algorithm 2); and the train/eval gap. What the batch size does to that gap, single-example
// inference and folding BN into the linear layer before it are the next notebook's
// ([06 · Batch size and deployment](06-batch-size-and-deployment.ipynb)).
//
// **Run time.** About 10 seconds on a 2-core laptop (kernel CPU 6.7 s, measured 3 December); the training runs are short and their sizes are stated.
// Chinese terms: see the [glossary](../docs/glossary.md).
// One **inline question** asks you to explain what you measured: answer in the cell under it; where the
// answer is a number or a choice, a small cell records it and a check compares it with this notebook's measurement.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. Train versus eval mode
//
// The same `BatchNorm1d` layer gives different outputs for the same batch in the two modes. Freshly made, its
// running mean is 0 and running variance 1, so in eval mode it is (almost) the identity $\gamma\cdot z/\sqrt{1+\varepsilon}+\beta$,
// while in train mode it standardizes the batch.

// %%
{
  const layer = new lab.BatchNorm1d(3);
  const z = new lab.Matrix(6, 3, rng.normalArray(18, 5, 2)); // mean 5, std 2
  const trainOut = layer.forward(z); // train mode (the default): batch statistics; updates the running averages once
  layer.eval();
  const evalOut = layer.forward(z);
  show.matrix(trainOut, { name: "train-mode output (batch-standardized)" });
  show.matrix(evalOut, { name: "eval-mode output (running statistics after one batch)" });
  console.log("running mean after one batch:", Array.from(layer.runningMean.data, (v) => v.toFixed(3)).join(", "), " (0.1 × the batch mean)");
}

// %% [markdown]
// After a single batch the running mean is only $0.1\,\mu_B$: the running averages start at $(0, 1)$ and need many
// batches to forget that start. Which brings us to how they are computed.
//
// ## 2. Running averages are exponentially weighted averages
//
// PyTorch updates, after every training batch $t$,
//
// $$\hat\mu_t = (1-\rho)\,\hat\mu_{t-1} + \rho\,\mu_{B_t}, \qquad \hat\sigma^2_t = (1-\rho)\,\hat\sigma^2_{t-1} + \rho\,\tfrac{m}{m-1}\sigma^2_{B_t}, \qquad \rho = 0.1 \ (\texttt{momentum}),$$
//
// with $m$ the batch size. Unrolled, $\hat\mu_t = (1-\rho)^t\hat\mu_0 + \sum_{k=1}^{t} \rho(1-\rho)^{t-k}\mu_{B_k}$: batch $k$ gets weight $\rho(1-\rho)^{t-k}$, so the
// average "remembers" about the last $1/\rho$ batches, and the **start value keeps weight $(1-\rho)^t$** — the warm-up bias.
// If the true mean is $c$ and $\hat\mu_0 = 0$, then $\hat\mu_t \approx c\,(1-(1-\rho)^t)$; dividing by $1-(1-\rho)^t$ removes the bias (Adam's bias correction).

// %% [markdown]
// ### Exercise 1 · The running average, step by step
//
// Return the sequence $\hat\mu_1, \dots, \hat\mu_T$ of PyTorch's running average for batch means `values` (one number per batch),
// starting from `start`, with PyTorch's `momentum` $\rho$ (the weight of the **new** batch).

// %%
function runningAverages(values: number[], momentum: number, start: number): number[] {
  // BEGIN SOLUTION
  const out: number[] = [];
  let running = start;
  for (const v of values) {
    running = (1 - momentum) * running + momentum * v;
    out.push(running);
  }
  return out;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `runningAverages` and fails, with a hint, when its result is wrong.

// %%
{
  const batchMeans = Array.from(rng.normalArray(30, 3, 0.5));
  const layer = new lab.BatchNorm1d(1, { momentum: 0.1 });
  const expected = batchMeans.map((mu) => {
    layer.forward(lab.Matrix.from([[mu - 1], [mu + 1]])); // a batch of 2 whose mean is exactly mu
    return layer.runningMean.data[0];
  });
  const firstCheck = lab.checkClose("running averages (momentum 0.1)", runningAverages(batchMeans, 0.1, 0), expected, { hint: "new = (1 − momentum)·old + momentum·value, starting from `start`; return one value per batch" });
  const constant = runningAverages(Array(20).fill(3), 0.1, 0);
  console.log(`${firstCheck}\n${lab.checkClose("warm-up of a constant mean 3", constant[19], 3 * (1 - 0.9 ** 20), { hint: "with start 0 a constant c gives c·(1 − 0.9^t)" })}`); // one print: both lines arrive together
}

// %% [markdown]
// The warm-up bias as a figure: a running mean started at 0 that sees the constant batch mean 3, for PyTorch's $\rho = 0.1$, Keras's
// $\rho = 0.01$, and $\rho = 0.01$ divided by $1 - (1-\rho)^t$ (Adam's bias correction):

// %%
{
  const steps = Array.from({ length: 300 }, (_, t) => t + 1);
  const trueMean = 3;
  const curve = (rho: number, corrected: boolean) => steps.map((t) => {
    const raw = trueMean * (1 - (1 - rho) ** t); // start 0, every batch mean exactly 3
    return corrected ? raw / (1 - (1 - rho) ** t) : raw;
  });
  show.plot(lab.lineChart([
    { name: "ρ = 0.1 (PyTorch default)", x: steps, y: curve(0.1, false) },
    { name: "ρ = 0.01 (Keras momentum 0.99)", x: steps, y: curve(0.01, false) },
    { name: "ρ = 0.01, bias-corrected ÷(1 − 0.99ᵗ)", x: steps, y: curve(0.01, true), dash: "dash" },
    { name: "true mean", x: steps, y: steps.map(() => trueMean), dash: "dot" },
  ], { title: "Warm-up bias of a running mean started at 0 (true mean 3)", xTitle: "training batches t", yTitle: "running mean μ̂ₜ" }));
}

// %% [markdown]
// With $\rho = 0.1$ the running mean is within 5 % of the truth after about 30 batches; with $\rho = 0.01$ it needs about 300.
// A model evaluated early in training (or after fine-tuning only a few steps) therefore uses stale statistics.
// Libraries do not bias-correct the BN running averages; recalibrating (section 4) is the fix.

// %% [markdown]
// **Inline question 1.** Why does a model with BN give different answers in `train()` and `eval()` mode on the same batch (section 1)?
// The measurable part: a running mean starts at 0 and sees a constant batch mean; after how many batches is it within 5 % of
// that mean, for PyTorch's momentum $\rho = 0.1$ and for $\rho = 0.01$ (Keras's 0.99)?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): { momentum01: number; momentum001: number } {
  // BEGIN SOLUTION
  const batchesUntil5Percent = (rho: number) => Math.ceil(Math.log(0.05) / Math.log(1 - rho)); // (1 − ρ)ᵗ < 0.05
  return { momentum01: batchesUntil5Percent(0.1), momentum001: batchesUntil5Percent(0.01) };
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const measured = (rho: number) => runningAverages(Array.from({ length: 2000 }, () => 3), rho, 0).findIndex((v) => Math.abs(v - 3) < 0.05 * 3) + 1;
  const answer = answerQ1();
  console.log(String(lab.checkTrue("inline question 1: batches to within 5 %, ρ = 0.1", Math.abs(answer.momentum01 - measured(0.1)) <= 1, "After t batches the running mean is (1 − (1 − ρ)ᵗ) × the true mean.")));
  console.log(String(lab.checkTrue("inline question 1: batches to within 5 %, ρ = 0.01", Math.abs(answer.momentum001 - measured(0.01)) <= 1, "Solve (1 − ρ)ᵗ < 0.05 for t.")));
}

// %% [markdown]
// ## 3. Three names for the same knob
//
// | library | keyword | default | meaning | update |
// |---|---|---|---|---|
// | PyTorch `BatchNorm1d` | `momentum` | 0.1 | weight of the **new** batch | $\hat\mu \leftarrow (1-0.1)\hat\mu + 0.1\,\mu_B$ |
// | cs231n `batchnorm_forward` | `momentum` | 0.9 | weight of the **old** value | $\hat\mu \leftarrow 0.9\,\hat\mu + (1-0.9)\mu_B$ |
// | Keras `BatchNormalization` | `momentum` | 0.99 | weight of the **old** value | $\hat\mu \leftarrow 0.99\,\hat\mu + 0.01\,\mu_B$ |
// | PyTorch `BatchNorm1d(momentum=None)` | `momentum` | — | no momentum: the **plain average** of all batches so far | $\hat\mu_t \leftarrow \hat\mu_{t-1} + (\mu_{B_t} - \hat\mu_{t-1})/t$ |
//
// PyTorch 0.1 and cs231n 0.9 average identically; Keras 0.99 is PyTorch's 0.01. PyTorch's `momentum=None` is a cumulative average:
// batch $t$ gets weight $1/t$ when it arrives, so after $T$ batches all have weight $1/T$ and the start value none — no warm-up bias,
// but also no forgetting of the early, poorly trained batches. The library implements PyTorch's convention by default, `momentum: null`
// as PyTorch's `None`, and cs231n's as `convention: "cs231n"` (which also averages the biased variance and starts the running variance
// at 0). Feeding the same 50 batches to the four:

// %%
{
  const layers: [string, lab.BatchNorm1d][] = [
    ["PyTorch momentum 0.1", new lab.BatchNorm1d(1, { momentum: 0.1 })],
    ["cs231n momentum 0.9", new lab.BatchNorm1d(1, { convention: "cs231n", momentum: 0.9 })],
    ["Keras momentum 0.99 (= PyTorch 0.01)", new lab.BatchNorm1d(1, { momentum: 0.01 })],
    ["PyTorch momentum None (cumulative)", new lab.BatchNorm1d(1, { momentum: null })],
  ];
  const history: number[][] = layers.map(() => []);
  const batchMeans: number[] = [];
  for (let t = 0; t < 50; t++) {
    const batch = new lab.Matrix(16, 1, rng.normalArray(16, 3, 2)); // true mean 3, variance 4
    batchMeans.push(batch.data.reduce((a, b) => a + b, 0) / 16);
    layers.forEach(([, layer], k) => {
      layer.forward(batch);
      history[k].push(layer.runningMean.data[0]);
    });
  }
  layers.forEach(([name, layer]) => console.log(`${name.padEnd(38)} running mean ${layer.runningMean.data[0].toFixed(4)}  running var ${layer.runningVar.data[0].toFixed(4)}`));
  console.log(String(lab.checkClose("momentum None: running mean = mean of the 50 batch means", layers[3][1].runningMean.data[0], batchMeans.reduce((a, b) => a + b, 0) / 50, { tolerance: 1e-12 })));
  show.plot(lab.lineChart(layers.map(([name], k) => ({ name, y: history[k], x: history[k].map((_, t) => t + 1), dash: k === 1 ? "dash" as const : "solid" as const })),
    { title: "Running mean under three momentum conventions (true mean 3)", xTitle: "training batches", yTitle: "running mean" }));
}

// %% [markdown]
// The PyTorch and cs231n curves lie on top of each other (the dashed line hides the solid one); their running variances
// differ slightly, because PyTorch averages the unbiased batch variance $\frac{m}{m-1}\sigma_B^2$ and starts from 1, cs231n the biased
// one and starts from 0. The Keras-style average is still warming up after 50 batches. The cumulative average (`momentum: null`) is
// the mean of the 50 batch means exactly (checked below): on a stationary series like this one it is the best estimate; during
// training, where early batches come from an untrained network, it keeps their weight forever — which is why PyTorch's default forgets.
//
// ## 4. Population statistics (the paper's Algorithm 2)
//
// The paper's inference procedure (Ioffe & Szegedy, §3.1 and Algorithm 2): after training, freeze the network, run it over training
// mini-batches $B$ of size $m$ and average
//
// $$\mathrm E[z] = \mathrm E_B[\mu_B], \qquad \mathrm{Var}[z] = \frac{m}{m-1}\,\mathrm E_B[\sigma_B^2].$$
//
// In §3.1's words: "We use the unbiased variance estimate $\mathrm{Var}[x] = \frac{m}{m-1}\cdot \mathrm E_B[\sigma_B^2]$, where the expectation is
// over training mini-batches of size m and $\sigma_B^2$ are their sample variances. Using moving averages instead, we can track the
// accuracy of a model as it trains." So the paper describes both: population statistics after training (Algorithm 2), and moving
// averages as the alternative that gives usable statistics *during* training — the one PyTorch and Keras implement (sections 2–3).
// The factor $\frac{m}{m-1}$ turns the average of biased (÷ m) batch variances into an unbiased estimate: a batch's variance around
// its **own** mean is too small on average by exactly that factor.

// %% [markdown]
// ### Exercise 2 · Algorithm 2 for one feature
//
// Given the values of one feature in several batches of equal size $m$ (`batches[b]` holds the $m$ values of batch $b$),
// return $\{ \text{mean}: \mathrm E_B[\mu_B],\ \text{variance}: \frac{m}{m-1}\mathrm E_B[\sigma_B^2] \}$ with $\sigma_B^2$ the biased (÷ m) variance.

// %%
function populationMoments(batches: number[][]): { mean: number; variance: number } {
  // BEGIN SOLUTION
  const m = batches[0].length;
  let meanSum = 0;
  let varianceSum = 0;
  for (const batch of batches) {
    const mu = batch.reduce((a, b) => a + b, 0) / m;
    meanSum += mu;
    varianceSum += batch.reduce((s, v) => s + (v - mu) ** 2, 0) / m;
  }
  return { mean: meanSum / batches.length, variance: (m / (m - 1)) * (varianceSum / batches.length) };
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `populationMoments` and fails, with a hint, when its result is wrong.

// %%
{
  const batches = Array.from({ length: 40 }, () => Array.from(rng.normalArray(8, -2, 3)));
  const reference = lab.populationStatistics(batches.map((b) => new lab.Matrix(b.length, 1, Float64Array.from(b))));
  const got = populationMoments(batches);
  const firstCheck = lab.checkClose("E_B[μ_B]", got.mean, reference.mean.data[0]);
  console.log(`${firstCheck}\n${lab.checkClose("m/(m − 1)·E_B[σ²_B]", got.variance, reference.variance.data[0], { hint: "average the biased (÷ m) batch variances, then multiply by m/(m − 1) = 8/7" })}`); // one print: both lines arrive together
}

// %% [markdown]
// Now on a real network. We train a sigmoid MLP 784 → 100 → 100 → 10 with BN on MNIST for 150 steps (batch 64, SGD α = 0.5) and
// compare test accuracy in eval mode with (a) PyTorch-style running averages ($\rho = 0.1$), (b) a slow running average ($\rho = 0.01$,
// still warming up), and (c) population statistics computed over 40 training batches of 64 (Algorithm 2).

// %%
const mnist = lab.loadMnist();
const train = lab.subsetDataset(mnist.train, Array.from({ length: 6000 }, (_, i) => i));
const test = mnist.test; // 2 000 images
async function trainBnNet(momentum: number, batchSize: number, steps: number): Promise<lab.Sequential> {
  const runRng = lab.makeRng(5);
  const model = lab.mlp({ inputSize: 784, hiddenSizes: [100, 100], outputSize: 10, activation: "sigmoid", batchNorm: { momentum }, rng: runRng });
  const optimizer = new lab.SGD(model.parameters(), { learningRate: 0.5 });
  const live = show.liveTraining({ title: `BN net, running-average momentum ${momentum}, batch ${batchSize}` });
  await lab.fit(model, train, { epochs: 100, batchSize, optimizer, rng: runRng, maxSteps: steps, onStep: live.onStep });
  await live.finish();
  return model;
}
const fastAverage = await trainBnNet(0.1, 64, 150);
const slowAverage = await trainBnNet(0.01, 64, 150);

// %% [markdown]
// Test accuracy in eval mode of both networks; then Algorithm 2 (`lab.calibrateBatchNormLayers`) replaces the slow network's two
// buffers per BN layer by population statistics computed over 40 training batches of 64, and we measure again:

// %%
const calibrationBatches = Array.from({ length: 40 }, (_, b) => train.x.selectRows(Array.from({ length: 64 }, (_, i) => b * 64 + i)));
const accuracyOf = (model: lab.Sequential) => lab.evaluate(model, test).accuracy;
const before = { fast: accuracyOf(fastAverage), slow: accuracyOf(slowAverage) };
lab.calibrateBatchNormLayers(slowAverage, calibrationBatches);
const calibrated = accuracyOf(slowAverage);
console.log(`test accuracy, eval mode with running averages ρ = 0.1:  ${before.fast.toFixed(4)}`);
console.log(`test accuracy, eval mode with running averages ρ = 0.01: ${before.slow.toFixed(4)}`);
console.log(`same network after Algorithm 2 (population statistics):  ${calibrated.toFixed(4)}`);

// %% [markdown]
// The slow average is still biased toward its start $(0, 1)$ after 150 batches and costs accuracy; recomputing the statistics
// with Algorithm 2 recovers it (same weights; only the two buffers of each BN layer, running mean and running variance, changed).
//
// ## 5. The train/eval gap
//
// In train mode, every example's output depends on its batch companions. Evaluate the **same** trained network on the test set
// in both modes: in train mode (batches of 64, batch statistics; we restore the running averages afterwards) and in eval mode.

// %%
function trainModeAccuracy(model: lab.Sequential, data: lab.Dataset, batchSize: number): number {
  const restore = lab.saveState(model); // train-mode forwards update the running averages; put them back
  model.train();
  let correct = 0;
  for (let start = 0; start + batchSize <= data.y.length; start += batchSize) {
    const rows = Array.from({ length: batchSize }, (_, i) => start + i);
    correct += lab.accuracy(model.forward(data.x.selectRows(rows)), Array.from(rows, (r) => data.y[r])) * batchSize;
  }
  restore();
  return correct / (Math.floor(data.y.length / batchSize) * batchSize);
}
console.log(`train-mode accuracy (batch statistics, batches of 64): ${trainModeAccuracy(fastAverage, test, 64).toFixed(4)}`);
console.log(`eval-mode accuracy (running statistics):              ${accuracyOf(fastAverage).toFixed(4)}`);

// %% [markdown]
// With batches of 64 the two agree to within about one percentage point: the batch statistics are good estimates of the
// population's, and the remaining gap is the price of normalizing each example with a slightly different mean and variance. That changes
// with the batch size: [notebook 06](06-batch-size-and-deployment.ipynb) sweeps it, then deploys the network (single examples, folding).

// %% [markdown]
// ## Summary
//
// - Train mode normalizes with the batch's statistics; eval mode with estimates of the population's. Always call `eval()` before predicting.
// - The paper computes the population statistics after training (Algorithm 2) and mentions moving averages for tracking accuracy during training (§3.1); libraries keep moving averages.
// - Running averages are exponentially weighted averages with a warm-up bias; "momentum" means the new batch's weight in PyTorch (0.1) and the old value's weight in cs231n (0.9) and Keras (0.99).
// - Algorithm 2 computes the population statistics directly, with the unbiasing factor $m/(m-1)$.
// - With batches of 64, train mode (batch statistics) and eval mode (running statistics) agree to about a point; how that depends on
//   the batch size is [notebook 06](06-batch-size-and-deployment.ipynb)'s first section.
//
// **In PyTorch** (what you will type next):
//
// ```python
// bn = nn.BatchNorm1d(100, momentum=0.1)     # momentum = ρ, the NEW batch's weight; momentum=None: cumulative average
// bn.running_mean, bn.running_var            # the two buffers (bn.num_batches_tracked counts the batches)
// model.train()                              # batch statistics, running averages updated at every forward
// model.eval()                               # running statistics, nothing updated; a batch of one works
// with torch.no_grad(): logits = model(x)
// ```
//
// Forgetting `model.eval()` before testing is the classic bug: predictions then depend on the test batch ([notebook 06](06-batch-size-and-deployment.ipynb), section 1).
// Next: [06 · Batch size and deployment](06-batch-size-and-deployment.ipynb).

// %% [markdown]
// *Run time of this notebook:* the CPU time the kernel has used so far (on an idle 2-core laptop, about the wall-clock time).

// %%
console.log(`kernel CPU time: ${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)} s`);
