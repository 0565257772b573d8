// %% [markdown]
// # 10 · LayerNorm (层标准化) versus BatchNorm
//
// **Lecture section 2.4.2.1** (批标准化公式) computes $\mu$ and $\sigma^2$ over the mini-batch of $m$ examples. In our words: BN's
// statistics come from the batch, so what BN outputs for one example depends on the others in its batch, and a very small batch gives
// poor statistics. 讲义 2.4.2.1 在 $m$ 个样本的小批量上计算 $\mu$ 和 $\sigma^2$。用我们自己的话说：批标准化的统计量来自小批量，所以
// 一个样本的输出取决于同一批中的其他样本，批量太小时统计量很差。The lecture stops there and does not name LayerNorm; this notebook
// adds the normalization that does without the batch.
//
// Layer normalization (层标准化, LayerNorm; Ba, Kiros & Hinton 2016) normalizes each example over its own features instead of each
// feature over the batch. This notebook covers: the LayerNorm formula (an exercise); independence of the batch size; training with
// batches of 2, 4 and 32; why BN fails with batches of 2 (the gradient, then the test); when each fits.
//
// **Run time.** About 10 seconds on a 2-core laptop (kernel CPU 7.5 s, measured 3 December); sizes are given with each experiment.
// Chinese terms: see the [glossary](../docs/glossary.md).
// One **inline question** asks you to predict, then explain what you measured; a small cell records the prediction and a check
// compares it with this notebook's measurement.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %% [markdown]
// `rng` draws the random test matrices below; the MNIST images are for the training experiment of section 2.

// %%
const rng = lab.makeRng(1337);
const mnist = lab.loadMnist();

// %% [markdown]
// ## 1. The formula
//
// LayerNorm (Ba, Kiros & Hinton 2016) computes the statistics of each **example** over its $D$ features:
//
// $$\mu_i = \frac1D\sum_{j} z_{ij}, \qquad \sigma_i^2 = \frac1D\sum_j (z_{ij}-\mu_i)^2, \qquad \text{out}_{ij} = \gamma_j\,\frac{z_{ij}-\mu_i}{\sqrt{\sigma_i^2+\varepsilon}} + \beta_j ,$$
//
// while BN computes them for each **feature** over the batch. So LayerNorm needs no batch, no running averages, and computes the same thing
// in training and at test time.

// %% [markdown]
// ### Exercise 1 · Normalize each row
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

// %% [markdown]
// The check below runs your `normalizeRows` and fails, with a hint, when its result is wrong.

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
// ## 2. Training with tiny batches
//
// The same ReLU MLP 784 → 100 → 100 → 10 with BN or with LayerNorm after each hidden `Linear`, trained for
// 1 500 examples (SGD α = 0.05, momentum 0.9) with batch sizes 2, 4 and 32; test accuracy on 1 000 test images in eval mode.
//
// **Inline question 1 — predict first.** With batches of **2**, which will reach the higher test accuracy, BatchNorm or LayerNorm?
// (Hint: [notebook 01](01-bn-forward.ipynb), a batch of 2.) Record your prediction; the cell after the figure compares (a wrong
// prediction is reported, not an error).

// %%
function predictQ1(): "BatchNorm" | "LayerNorm" {
  // BEGIN SOLUTION
  return "LayerNorm";
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 1: prediction recorded", ["BatchNorm", "LayerNorm"].includes(predictQ1()), "Return \"BatchNorm\" or \"LayerNorm\".")));

// %% [markdown]
// `normalizedMlp` puts BN or LayerNorm after each hidden `Linear` (no bias there: the normalization's $\beta$ replaces it). Six runs —
// both kinds at batch sizes 2, 4 and 32 — each over the same 1 500 training images, then the test accuracy in eval mode:

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
// With batches of 32 both work (about 84 % and 82 %). With batches of 4 BN falls behind, and with batches of 2 it fails outright (chance:
// 10.9 % and 8.5 % in two fresh-kernel runs of this seeded notebook — the one number here that moved between runs; we have not
// traced why). LayerNorm still learns with batches of 2 (about 53 % after these few examples, with 750 noisy steps); its computation does
// not involve the batch at all.
//
// **Why BN fails at $m = 2$: the gradient, first.** With two examples, $\mu = (x_1+x_2)/2$ and $\sigma^2 = (x_1-x_2)^2/4$, so
// $\hat x_{1,2} = \pm\,|x_1-x_2|/\sqrt{(x_1-x_2)^2 + 4\varepsilon} \approx \pm 1$ **whatever** $x_1, x_2$ are: the output barely moves when the input
// moves, $\partial\hat x/\partial x \approx 0$. In the backward formula of [notebook 02](02-bn-backward.ipynb), $dX = \frac{\gamma}{\sqrt{\sigma^2+\varepsilon}}\,(g - \bar g - \hat x\,\overline{g\hat x})$,
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
// batches describe single examples poorly. Both effects point the same way; we measured the first (the cell above), not how much each costs in accuracy.
//
// ## 3. When each fits
//
// | | BatchNorm (批标准化) | LayerNorm (层标准化) |
// |---|---|---|
// | statistics over | the batch, per feature | the features, per example |
// | batch size | needs reasonably large batches (≳ 16–32) | any, including 1 |
// | train vs test | different (batch vs running statistics) | identical |
// | typical use | MLPs and CNNs on fixed-size inputs with large batches | RNNs, Transformers, small or variable batches, online learning |
// | side effects | couples the examples of a batch; its batch noise may regularize slightly (not visible in [notebook 08](08-bn-as-regularizer.ipynb)) | none of these |

// %% [markdown]
// **Inline question 1 (continued).** Your prediction against the run — and: why does BN fail with batches of 2 while LayerNorm still
// learns?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below compares your prediction with the run (a wrong prediction is reported, not an error); it fails only if the run no
// longer shows what the text above says: with batches of 2, LayerNorm reaches the higher test accuracy.

// %%
{
  const measured = normAccuracy.LayerNorm[0] > normAccuracy.BatchNorm[0] ? "LayerNorm" : "BatchNorm";
  console.log(`batches of 2: BatchNorm ${normAccuracy.BatchNorm[0].toFixed(3)}, LayerNorm ${normAccuracy.LayerNorm[0].toFixed(3)} → ${measured}`);
  console.log(predictQ1() === measured ? `✓ your prediction "${predictQ1()}" matches the run.`
    : `✗ you predicted "${predictQ1()}", the run says "${measured}": with two examples BN's output is ±1 whatever the input, so almost no gradient gets through.`);
  console.log(String(lab.checkTrue("the text's claim: with batches of 2 LayerNorm beats BatchNorm", measured === "LayerNorm", "The run changed: update the text above and the teacher's answer.")));
}

// %% [markdown]
// ## Summary
//
// - LayerNorm normalizes each example over its features: independent of the batch, the same in training and inference.
// - With batches of 2, BN passes almost no gradient to the layers below it ($\hat x \approx \pm 1$) and fails; LayerNorm still learns —
//   the choice for small batches and sequence models.
//
// **In PyTorch:**
//
// ```python
// nn.BatchNorm1d(100)                 # statistics per feature over the batch; model.train() / model.eval() switch the two modes
// nn.LayerNorm(100)                   # statistics per example over its 100 features; the same in train() and eval()
// ```
//
// Next: [11 · Hyperparameters and optimizers](11-hyperparameters-optimizers.ipynb).

// %% [markdown]
// *Run time of this notebook:* the CPU time the kernel has used so far (on an idle 2-core laptop, about the wall-clock time).

// %%
console.log(`kernel CPU time: ${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)} s`);
