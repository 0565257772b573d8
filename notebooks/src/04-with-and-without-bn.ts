// %% [markdown]
// # 04 · Training with and without Batch Normalization (批标准化)
//
// **Lecture sections 2.4.2.2–2.4.2.3.** In our words: BN (批标准化) makes optimization easier — training is faster, larger
// learning rates (学习率) work, the initialization matters less, and the gradient problems (梯度消失/爆炸, vanishing/exploding
// gradients) fade. 用我们自己的话说：批标准化让优化更容易——训练更快、可以用更大的学习率、对初始化不那么敏感、梯度消失和爆炸减轻。
// (Ioffe & Szegedy make the first three claims: their title is *Batch Normalization: Accelerating Deep Network Training by Reducing
// Internal Covariate Shift*, and their abstract says "Batch Normalization allows us to use much higher learning rates and be
// less careful about initialization.") In this notebook we **measure** each claim on MNIST, one seed per experiment:
//
// 1. where BN goes in a network, and why the bias before it is redundant;
// 2. training curves with and without BN;
// 3. the largest learning rate that still trains;
// 4. CS231n's weight-initialization sweep (20 scales from $10^{-4}$ to $1$);
// 5. Karpathy's per-layer diagnostics: activation and gradient histograms, saturated units, update:data ratio.
//
// **Run time.** Every experiment is sized to keep the whole notebook around a minute on a
// 2-core laptop (each cell prints its own time); the step counts are stated next to each one.
// Everything is seeded: a re-run gives the same numbers. Chinese terms: see the [glossary](../docs/glossary.md).
// Three **inline questions** ask you to explain what you measured: answer in the cell under each; where the
// answer is a number or a choice, a small cell records it and a check compares it with this notebook's measurement.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. Where BN goes
//
// For a hidden layer $l$ with input $x$ (a mini-batch $[N, D]$), BN sits **after the affine map and
// before the non-linearity** $g$ (the paper, §3.2; the lecture's $z^{[l]} \to \tilde z^{[l]} \to a^{[l]}$):
//
// $$z = xW, \qquad \mu_B = \frac{1}{m}\sum_i z^{(i)}, \qquad \sigma_B^2 = \frac{1}{m}\sum_i \big(z^{(i)}-\mu_B\big)^2,$$
// $$z_{\text{norm}}^{(i)} = \frac{z^{(i)}-\mu_B}{\sqrt{\sigma_B^2+\varepsilon}}, \qquad \tilde z^{(i)} = \gamma\, z_{\text{norm}}^{(i)} + \beta, \qquad a^{(i)} = g\big(\tilde z^{(i)}\big).$$
//
// The output layer gets **no BN**: its outputs are the logits of the softmax, and forcing them to
// mean 0, variance 1 over the batch would fight the loss. `lab.mlp({ batchNorm: true })` builds exactly this — in PyTorch:
//
// ```python
// model = nn.Sequential(nn.Linear(784, 100, bias=False), nn.BatchNorm1d(100), nn.ReLU(),
//                       nn.Linear(100, 100, bias=False), nn.BatchNorm1d(100), nn.ReLU(),
//                       nn.Linear(100, 10))
// ```

// %%
const bnNet = lab.mlp({ inputSize: 784, hiddenSizes: [100, 100], outputSize: 10, activation: "relu", batchNorm: true, rng: rng });
show.summary(bnNet, 784);

// %% [markdown]
// ### Why the bias before BN is redundant
//
// Add a constant $b$ to every $z^{(i)}$: the batch mean becomes $\mu_B + b$, so $z^{(i)} + b - (\mu_B + b) = z^{(i)} - \mu_B$
// and the output is unchanged. The gradient reaching $b$ is $\sum_i \partial L/\partial z^{(i)}$, which BN's backward
// makes exactly $0$ (its $dX$ sums to zero over the batch). So the `Linear` before a BN has `bias: false`,
// and $\beta$ takes over the role of the bias. Let us check both statements numerically:

// %%
{
  const z = new lab.Matrix(32, 5, rng.normalArray(160, 2, 3)); // a batch of pre-activations, mean ≠ 0
  const gamma = lab.Matrix.row([1.5, 0.5, 1, 2, 0.8]);
  const beta = lab.Matrix.row([0.1, -0.3, 0, 0.5, 1]);
  const bias = lab.Matrix.row([10, -4, 0.3, 7, -1]);
  const plain = lab.batchNormForward(z, gamma, beta, 1e-5);
  const shifted = lab.batchNormForward(z.addRow(bias), gamma, beta, 1e-5);
  const dOut = new lab.Matrix(32, 5, rng.normalArray(160));
  const dZ = lab.batchNormBackward(dOut, shifted.cache).dX;
  console.log("max |BN(z + b) − BN(z)|      =", lab.maxAbsDiff(plain.out, shifted.out).toExponential(2));
  console.log("gradient reaching the bias Σᵢ dZ =", Array.from(dZ.sumRows().data, (v) => v.toExponential(1)).join(", "));
}

// %% [markdown]
// Both are zero up to rounding ($\approx 10^{-15}$): a bias before BN is a parameter that never learns.

// %% [markdown]
// ## 2. Training curves with and without BN
//
// Two identical sigmoid networks 784 → 100 → 100 → 10 (Xavier initialization: our choice; the paper's MNIST network had "the
// weights W initialized to small random Gaussian values", §4.1), one with BN after each hidden
// `Linear`. Same data (the first 6 000 of the shipped 12 000 MNIST training images; 2 000 held out for
// validation), same seed, plain SGD with $\alpha = 0.5$, mini-batches of 64, 3 epochs (282 steps each).
// Sigmoid is the activation of the original paper's MNIST experiment (§4.1); we did not compare other activations here.

// %%
const mnist = lab.loadMnist();
const split = lab.trainValidationSplit(mnist.train, { validationFraction: 1 / 6, rng: rng }); // 10 000 / 2 000
const train6k = lab.subsetDataset(split.train, Array.from({ length: 6000 }, (_, i) => i));
const validation = split.validation;
console.log(`train ${train6k.x.rows} × ${train6k.x.cols}, validation ${validation.x.rows} × ${validation.x.cols}`);

// %% [markdown]
// `trainCurves` trains one network for 3 epochs (SGD α = 0.5, batches of 64) with a live curve and returns its history; the same
// seed gives both networks the same weights and the same batches, so BN is the only difference.

// %%
async function trainCurves(batchNorm: boolean): Promise<lab.History> {
  const runRng = lab.makeRng(7); // the same weights and shuffles for both runs, except BN
  const model = lab.mlp({ inputSize: 784, hiddenSizes: [100, 100], outputSize: 10, activation: "sigmoid", batchNorm, rng: runRng });
  const optimizer = new lab.SGD(model.parameters(), { learningRate: 0.5 });
  const live = show.liveTraining({ title: batchNorm ? "With BN" : "Without BN", totalEpochs: 3 });
  const history = await lab.fit(model, train6k, { epochs: 3, batchSize: 64, optimizer, rng: runRng, validation: validation, onStep: live.onStep, onEpoch: live.onEpoch });
  await live.finish(history);
  return history;
}
const withoutBn = await trainCurves(false);
const withBn = await trainCurves(true);

// %% [markdown]
// Left the loss after every step, right the train and validation accuracy after every epoch:

// %%
show.plot(lab.sideBySide([
  lab.lineChart([{ name: "without BN", y: withoutBn.loss }, { name: "with BN", y: withBn.loss }],
    { title: "Mini-batch loss per step", xTitle: "step (SGD update)", yTitle: "cross-entropy loss", logY: true }),
  lab.lineChart([
    { name: "without BN · train", x: [1, 2, 3], y: withoutBn.trainAccuracy, mode: "lines+markers", dash: "dot" },
    { name: "without BN · validation", x: [1, 2, 3], y: withoutBn.validationAccuracy, mode: "lines+markers" },
    { name: "with BN · train", x: [1, 2, 3], y: withBn.trainAccuracy, mode: "lines+markers", dash: "dot" },
    { name: "with BN · validation", x: [1, 2, 3], y: withBn.validationAccuracy, mode: "lines+markers" },
  ], { title: "Accuracy per epoch", xTitle: "epoch", yTitle: "accuracy (fraction correct)" }),
], { title: "Sigmoid MLP on MNIST, SGD α = 0.5: without vs with BN", height: 420 }));

// %% [markdown]
// Look at the first hundred steps on the left: the BN network's loss falls below 1 within about 20 steps, while the
// plain sigmoid network starts near $\ln 10 \approx 2.3$ and needs about 100 steps to get there. After one epoch BN is
// roughly where the plain network is after three (right panel, validation accuracy). Each BN step costs more (a mean and a variance per
// feature), so compare the curves per step, not per second.

// %% [markdown]
// ## 3. The largest learning rate that still trains
//
// BN makes each layer's output invariant to the scale of its weights ($\mathrm{BN}(x\,aW) = \mathrm{BN}(xW)$ for $a>0$),
// so a large step cannot blow the activations up. We train a ReLU network 784 → 100 → 100 → 10 for
// 40 steps (batch 64) at learning rates $0.1 \dots 30$ and call a run *trained* when its mean loss over the last
// 10 steps is below 1.0 (chance is $\ln 10 \approx 2.3$). A loss that becomes NaN/∞ raises `TrainingDivergedError`.

// %% [markdown]
// **Inline question 1 — predict first.** The rates tried are 0.1, 0.3, 1, 3, 10 and 30. Before the runs, record your prediction:
// how many times larger will the largest rate that trains be **with** BN than without — 1 (no difference), 3, 10, 30, 100 or 300?
// The cell after the figure compares your prediction with the run (a wrong prediction is reported, not an error).

// %%
interface RateRun {
  learningRate: number;
  finalLoss: number;
}
type RateRatio = 1 | 3 | 10 | 30 | 100 | 300;
function predictQ1(): RateRatio {
  // BEGIN SOLUTION
  return 10;
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 1: prediction recorded", [1, 3, 10, 30, 100, 300].includes(predictQ1()), "Return one of 1, 3, 10, 30, 100, 300.")));

// %% [markdown]
// `finalLossAt` trains one ReLU network for exactly 40 steps at one learning rate and returns the mean loss of its last 10 steps,
// or `NaN` when `fit` stops a diverged run (`TrainingDivergedError`).

// %%
const rates = [0.1, 0.3, 1, 3, 10, 30];
const rateSubset = lab.subsetDataset(split.train, Array.from({ length: 40 * 64 }, (_, i) => 6000 + i)); // exactly 40 batches
async function finalLossAt(learningRate: number, batchNorm: boolean): Promise<number> {
  const runRng = lab.makeRng(11);
  const model = lab.mlp({ inputSize: 784, hiddenSizes: [100, 100], outputSize: 10, activation: "relu", batchNorm, rng: runRng });
  const optimizer = new lab.SGD(model.parameters(), { learningRate });
  try {
    const history = await lab.fit(model, rateSubset, { epochs: 1, batchSize: 64, optimizer, rng: runRng });
    return history.loss.slice(-10).reduce((a, b) => a + b, 0) / 10;
  } catch (error) {
    if (error instanceof lab.TrainingDivergedError) return NaN;
    throw error;
  }
}

// %% [markdown]
// Twelve runs, without and with BN at each rate, one status line updated after each:

// %%
const rateStatus = show.newDisplayId();
const rateResults: Record<string, RateRun[]> = { "without BN": [], "with BN": [] };
const rateStarted = performance.now();
for (const batchNorm of [false, true]) {
  for (const learningRate of rates) {
    const finalLoss = await finalLossAt(learningRate, batchNorm);
    rateResults[batchNorm ? "with BN" : "without BN"].push({ learningRate, finalLoss });
    const line = `${batchNorm ? "with" : "without"} BN, α = ${learningRate}: final loss ${finalLoss.toFixed(3)} · ${((performance.now() - rateStarted) / 1000).toFixed(1)} s`;
    await show.sendDisplay({ "text/plain": line }, { displayId: rateStatus, update: learningRate !== rates[0] || batchNorm });
  }
}
for (const [name, runs] of Object.entries(rateResults)) {
  const trained = runs.filter((r) => Number.isFinite(r.finalLoss) && r.finalLoss < 1).map((r) => r.learningRate);
  console.log(`${name}: largest learning rate that trains = ${trained.length > 0 ? Math.max(...trained) : "none"}`);
}

// %% [markdown]
// The same numbers as a figure, one line per network (a diverged run is drawn at 10):

// %%
show.plot(lab.lineChart(
  Object.entries(rateResults).map(([name, runs]) => ({ name, x: runs.map((r) => r.learningRate), y: runs.map((r) => (Number.isFinite(r.finalLoss) ? r.finalLoss : 10)), mode: "lines+markers" as const })),
  { title: "Loss after 40 SGD steps against the learning rate (diverged runs drawn at 10)", xTitle: "learning rate α", yTitle: "mean loss of the last 10 steps", logX: true, logY: true },
));

// %% [markdown]
// Read the curves from left to right: without BN the loss climbs back to chance level ($\approx 2.3$) or diverges once α passes
// 0.3, while the BN network keeps training up to α = 3 — a decade further (checked in inline question 1). The paper's §3.3 is titled
// "Batch Normalization enables higher learning rates"; this is that claim on our network, one seed and 40 steps. (Other step counts
// move both limits; we did not measure by how much.)

// %% [markdown]
// **Inline question 1 (continued).** Your prediction against the run — and: why can the BN network take larger steps? (Hint: what
// happens to BN's output, and to the gradient of $W$, when $W$ is multiplied by $a > 1$?)

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below compares your prediction with the run (a wrong prediction is reported, not an error); it fails only if the run no
// longer shows what the text above says: with BN the largest rate that trains is 10 times larger (3 against 0.3).

// %%
{
  const largest = (runs: RateRun[]) => Math.max(...runs.filter((r) => Number.isFinite(r.finalLoss) && r.finalLoss < 1).map((r) => r.learningRate));
  const measured = largest(rateResults["with BN"]) / largest(rateResults["without BN"]);
  console.log(`largest rate that trains: with BN ${largest(rateResults["with BN"])}, without BN ${largest(rateResults["without BN"])} → ratio ${measured.toPrecision(3)}`);
  console.log(Math.abs(predictQ1() / measured - 1) < 1e-6 ? `✓ your prediction ${predictQ1()} matches the run.`
    : `✗ you predicted ${predictQ1()}, the run says ${measured.toPrecision(3)}: without BN a step that inflates W blows up the next layers, while BN's output ignores the scale of W.`);
  console.log(String(lab.checkTrue("the text's claim: with BN the largest rate that trains is 10 times larger", Math.abs(measured / 10 - 1) < 1e-6, "The run changed: update the text above and the teacher's answer.")));
}

// %% [markdown]
// ## 4. The weight-initialization sweep (CS231n)
//
// CS231n's BatchNormalization assignment trains a deep, narrow network with weights drawn from
// $\mathcal N(0, s^2)$ for 20 scales $s$ log-spaced from $10^{-4}$ to $1$, with and without BN. We do the same at a size
// that fits: ReLU network 784 → 50 × 6 → 10 (7 weight layers), 500 training images, batch 50, SGD with α = 0.05 and
// momentum 0.9, 60 steps (6 epochs), validation on 500 held-out images — 40 runs in all (the longest cell of the notebook).

// %%
const sweepTrain = lab.subsetDataset(split.train, Array.from({ length: 500 }, (_, i) => i));
const sweepValidation = lab.subsetDataset(validation, Array.from({ length: 500 }, (_, i) => i));
const scales = Array.from({ length: 20 }, (_, k) => lab.exp10(-4 + (4 * k) / 19)); // 1e-4 … 1, log-spaced (lab.exp10: the same bits in every engine)
interface SweepPoint { scale: number; bestValidation: number; finalLoss: number }
const sweep: Record<string, SweepPoint[]> = { "without BN": [], "with BN": [] };
const sweepStatus = show.newDisplayId();
const sweepStarted = performance.now();
for (const batchNorm of [false, true]) {
  for (const scale of scales) {
    const runRng = lab.makeRng(21);
    const model = lab.mlp({ inputSize: 784, hiddenSizes: [50, 50, 50, 50, 50, 50], outputSize: 10, activation: "relu", batchNorm, rng: runRng, init: { gaussian: scale } });
    const optimizer = new lab.SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9 });
    let point: SweepPoint;
    try {
      const h = await lab.fit(model, sweepTrain, { epochs: 6, batchSize: 50, optimizer, rng: runRng, validation: sweepValidation });
      point = { scale, bestValidation: Math.max(...h.validationAccuracy), finalLoss: h.loss[h.loss.length - 1] };
    } catch (error) {
      if (!(error instanceof lab.TrainingDivergedError)) throw error;
      point = { scale, bestValidation: Math.max(0, ...error.history.validationAccuracy), finalLoss: NaN };
    }
    sweep[batchNorm ? "with BN" : "without BN"].push(point);
    const line = `run ${sweep["without BN"].length + sweep["with BN"].length} / 40 · ${batchNorm ? "with" : "without"} BN, scale ${scale.toExponential(1)}: best validation ${point.bestValidation.toFixed(3)} · ${((performance.now() - sweepStarted) / 1000).toFixed(1)} s`;
    await show.sendDisplay({ "text/plain": line }, { displayId: sweepStatus, update: scale !== scales[0] || batchNorm });
  }
}

// %% [markdown]
// The sweep's two summaries against the weight scale $s$ — the best validation accuracy and the final training loss — and a check of
// the band of scales the text below describes:

// %%
const sweepSeries = (key: "bestValidation" | "finalLoss") =>
  Object.entries(sweep).map(([name, points]) => ({ name, x: scales, y: points.map((p) => p[key]), mode: "lines+markers" as const }));
show.plot(lab.sideBySide([
  lab.lineChart(sweepSeries("bestValidation"), { title: "Best validation accuracy", xTitle: "weight scale s", yTitle: "accuracy (fraction correct)", logX: true }),
  lab.lineChart(sweepSeries("finalLoss"), { title: "Final training loss", xTitle: "weight scale s", yTitle: "cross-entropy loss", logX: true, logY: true }),
], { title: "Weight-initialization sweep, 7-layer ReLU net: without vs with BN", height: 420 }));
{
  const good = sweep["with BN"].filter((p) => p.bestValidation >= 0.7).map((p) => p.scale); // the band the text describes
  const decades = Math.log10(Math.max(...good) / Math.min(...good));
  console.log(`with BN, best validation ≥ 0.7 from s = ${Math.min(...good).toExponential(1)} to ${Math.max(...good).toExponential(1)} (${decades.toFixed(1)} decades)`);
  console.log(String(lab.checkTrue("the text's band: ≥ 70 % with BN over more than one decade of weight scale", decades > 1)));
}

// %% [markdown]
// Without BN only a narrow band of scales around the He scale $\sqrt{2/50} = 0.2$ trains in 60 steps: smaller scales shrink the
// signal (and its gradient) at every one of the 7 layers, so the loss never leaves $\ln 10 \approx 2.3$ (accuracy 0.074, chance level);
// larger ones make the activations explode and the run diverges (missing points in the loss panel). With BN the forward pass
// no longer depends on the scale of $W$ (BN divides it out): every scale from $1.6 \times 10^{-4}$ to $1$ gets well above chance (at $10^{-4}$ the pre-activations' variance falls below
// $\varepsilon$ and BN stops normalizing: inline question 2), and a band
// of about one and a half decades ($s \approx 0.008$ to $0.23$) reaches 70–78 % (printed above). What still varies with the scale is the size of the *updates* relative to $W$, which is why the BN
// curve is not perfectly flat.

// %% [markdown]
// **Inline question 2.** Why does a plain 7-layer ReLU network learn nothing when its weights start small, and why does BN
// rescue almost every scale — but not the very smallest, $s = 10^{-4}$? (Hint: compare the variance of the first layer's
// pre-activations with BN's $\varepsilon = 10^{-5}$; notebook 01, inline question 2.) The measurable part: of the 20 scales,
// at how many does each network stay at chance level (best validation accuracy ≤ 0.1; a diverged run counts)?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ2(): { withoutBN: number; withBN: number } {
  // BEGIN SOLUTION
  return { withoutBN: 17, withBN: 1 }; // read from the left panel: 14 flat at chance + 3 diverged; only s = 1e-4 with BN
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const atChance = (points: SweepPoint[]) => points.filter((p) => p.bestValidation <= 0.1).length;
  const answer = answerQ2();
  console.log(String(lab.checkTrue("inline question 2: scales left at chance without BN", answer.withoutBN === atChance(sweep["without BN"]), "Count the points of the left panel at or below 0.1, the missing (diverged) ones included.")));
  console.log(String(lab.checkTrue("inline question 2: scales left at chance with BN", answer.withBN === atChance(sweep["with BN"]), "Count the BN points at or below 0.1.")));
}

// %% [markdown]
// ## 5. Looking inside: per-layer diagnostics (Karpathy)
//
// Karpathy's *makemore part 3* checks a network layer by layer. For each tanh layer: the histogram of its
// outputs and the share of **saturated** units ($|a| > 0.97$, where $\tanh' = 1 - a^2 < 0.06$ and the gradient dies);
// the histogram of the gradient arriving there; and for each weight the **update:data ratio**
//
// $$\text{update:data} = \frac{\operatorname{std}(\alpha\, \partial L/\partial W)}{\operatorname{std}(W)},$$
//
// which should hover around $10^{-3}$: much lower and the layer learns too slowly, much higher and it thrashes.
// We deliberately initialize badly — $W \sim \mathcal N(0, 0.3^2)$, far too large for 100-wide tanh layers —
// and compare a tanh network 784 → 100 × 4 → 10 with and without BN (SGD α = 0.1, batch 64, 150 steps).

// %% [markdown]
// ### Exercise 1 · Saturated tanh units
//
// Return the fraction of entries of `a` (tanh outputs, any shape) with $|a| > 0.97$.

// %%
function saturatedShare(a: lab.Matrix): number {
  // BEGIN SOLUTION
  let count = 0;
  for (const v of a.data) if (Math.abs(v) > 0.97) count++;
  return count / a.data.length;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `saturatedShare` and fails, with a hint, when its result is wrong.

// %%
{
  const a = new lab.Matrix(50, 20, rng.normalArray(1000, 0, 2)).map(Math.tanh);
  console.log(String(lab.checkClose("saturated share", saturatedShare(a), lab.saturationFraction(a, "tanh"), { hint: "count |a| > 0.97 (both signs) and divide by the number of entries" })));
}

// %% [markdown]
// ### Exercise 2 · The update:data ratio
//
// Return $\operatorname{std}(\alpha\,g) / \operatorname{std}(W)$ for a gradient `grad` and weight `weight` of the same shape,
// where std is the population standard deviation (÷ n) over all entries.

// %%
function updateToData(grad: lab.Matrix, weight: lab.Matrix, learningRate: number): number {
  // BEGIN SOLUTION
  const std = (m: lab.Matrix) => {
    const mean = m.sum() / m.size;
    return Math.sqrt(m.data.reduce((s, v) => s + (v - mean) ** 2, 0) / m.size);
  };
  return (learningRate * std(grad)) / std(weight);
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `updateToData` and fails, with a hint, when its result is wrong.

// %%
{
  const weight = new lab.Matrix(30, 20, rng.normalArray(600, 0.2, 0.5));
  const grad = new lab.Matrix(30, 20, rng.normalArray(600, -0.01, 0.03));
  console.log(String(lab.checkClose("update:data ratio", updateToData(grad, weight, 0.1), lab.updateToDataRatio(grad.scale(0.1), weight), { tolerance: 1e-9, hint: "std(α·g) = α·std(g); use the mean over all entries and divide by n, not n − 1" })));
}

// %% [markdown]
// `diagnose` trains one tanh network (4 hidden layers, $W \sim \mathcal N(0, 0.3^2)$) for 150 steps, records every weight's
// update:data ratio after each step, and at the end traces one forward and backward pass on 500 validation images for the
// per-layer statistics. Both networks, with and without BN:

// %%
interface Diagnosed { ratios: number[][]; activations: lab.ActivationDiagnostics[]; trace: lab.StepTrace; model: lab.Sequential }
async function diagnose(batchNorm: boolean): Promise<Diagnosed> {
  const runRng = lab.makeRng(31);
  const model = lab.mlp({ inputSize: 784, hiddenSizes: [100, 100, 100, 100], outputSize: 10, activation: "tanh", batchNorm, rng: runRng, init: { gaussian: 0.3 } });
  const optimizer = new lab.SGD(model.parameters(), { learningRate: 0.1 });
  const ratios: number[][] = []; // ratios[step][weight layer]
  const live = show.liveTraining({ title: `tanh net, N(0, 0.3²) init, ${batchNorm ? "with" : "without"} BN` });
  await lab.fit(model, train6k, {
    epochs: 2, batchSize: 64, optimizer, rng: runRng, maxSteps: 150,
    onStep: (p) => {
      ratios.push(lab.weightDiagnostics(model, 0.1).map((w) => w.updateToData)); // p.grad still holds this step's gradient
      return live.onStep(p);
    },
  });
  await live.finish();
  const probe = lab.subsetDataset(validation, Array.from({ length: 500 }, (_, i) => i));
  const trace = lab.traceStep(model, probe.x, probe.y); // one forward/backward on 500 images, no update
  return { ratios, activations: lab.activationDiagnostics(model, trace), trace, model };
}
const plainDiagnosed = await diagnose(false);
const bnDiagnosed = await diagnose(true);

// %% [markdown]
// Per layer: the mean and standard deviation of the tanh outputs, the share of saturated units ($|a| > 0.97$) and the spread of
// the gradient arriving at the layer:

// %%
for (const [name, d] of [["without BN", plainDiagnosed], ["with BN", bnDiagnosed]] as const) {
  console.log(name);
  for (const row of d.activations) {
    console.log(`  layer ${row.name.padEnd(9)} mean ${row.output.mean.toFixed(3).padStart(7)}  std ${row.output.std.toFixed(3)}  saturated ${(100 * row.saturated).toFixed(1).padStart(5)} %  gradient std ${row.gradient.std.toExponential(2)}`);
  }
}

// %% [markdown]
// The same layers as distributions: one density curve per layer of the tanh outputs, without BN (left) and with BN (right).

// %%
// Histograms drawn as lines (as Karpathy does): one density curve per layer, 60 bins over [−limit, limit].
const histogramPanel = (d: Diagnosed, what: "outputs" | "outputGradients", title: string, limit: number) =>
  lab.lineChart(d.activations.map((row) => {
    const h = lab.densityHistogram(d.trace[what][row.layer], { bins: 60, low: -limit, high: limit });
    return { name: `layer ${row.name}`, x: h.centers, y: h.density };
  }), { title, xTitle: what === "outputs" ? "tanh output a" : "gradient ∂L/∂a", yTitle: "probability density" });
show.plot(lab.sideBySide([histogramPanel(plainDiagnosed, "outputs", "Without BN", 1), histogramPanel(bnDiagnosed, "outputs", "With BN", 1)],
  { title: "Tanh outputs per layer after 150 steps (500 validation images)", height: 420 }));

// %% [markdown]
// Without BN the outputs pile up at $\pm 1$ — about half of all units are saturated (the table above): those units pass almost no
// gradient. With BN about 3 % are. With BN each tanh input has mean $\beta$ and spread $\gamma$, so the outputs stay spread over the
// non-linear middle of tanh, the region the lecture text wants (not only its linear part near 0).

// %%
const gradientLimit = 4 * Math.max(...[...plainDiagnosed.activations, ...bnDiagnosed.activations].map((row) => row.gradient.std));
show.plot(lab.sideBySide([histogramPanel(plainDiagnosed, "outputGradients", "Without BN", gradientLimit), histogramPanel(bnDiagnosed, "outputGradients", "With BN", gradientLimit)],
  { title: "Gradients arriving at each tanh layer (500 validation images)", height: 420 }));

// %% [markdown]
// Compare the widths layer by layer (the gradient std is also in the table above): without BN the spread changes by a factor
// of about 2 from the last tanh layer to the first; with BN the four layers' gradients are nearly the same size (within about 20 %).
// In a deeper network such per-layer factors compound — [notebook 09](09-gradients-through-depth.ipynb) shows it over 15 layers.

// %% [markdown]
// **Inline question 3.** Why does a saturated tanh unit pass almost no gradient, and how does BN keep units out of saturation
// even with this bad initialization? The measurable part: in which network does the gradient's spread (its std) vary more
// from one tanh layer to another — ratio of the largest to the smallest?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ3(): "without BN" | "with BN" {
  // BEGIN SOLUTION
  return "without BN";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const spreadRatio = (d: Diagnosed) => {
    const stds = d.activations.map((row) => row.gradient.std);
    return Math.max(...stds) / Math.min(...stds);
  };
  const measured = spreadRatio(plainDiagnosed) > spreadRatio(bnDiagnosed) ? "without BN" : "with BN";
  console.log(String(lab.checkTrue("inline question 3: the network whose gradient spread varies more across layers", answerQ3() === measured, "Use the 'gradient std' column of the table above.")));
  console.log(`largest / smallest gradient std: without BN ${spreadRatio(plainDiagnosed).toFixed(2)}, with BN ${spreadRatio(bnDiagnosed).toFixed(2)}`);
}

// %% [markdown]
// The update:data ratio of each weight matrix over the 150 steps, both networks in one figure, with the $10^{-3}$ rule of thumb dashed:

// %%
const ratioSeries = (d: Diagnosed, label: string, dash: "solid" | "dot") =>
  d.ratios[0].map((_, k) => ({ name: `${label} · W${k + 1}`, y: d.ratios.map((r) => r[k]), dash }));
show.plot(lab.lineChart([
  ...ratioSeries(plainDiagnosed, "without BN", "dot"),
  ...ratioSeries(bnDiagnosed, "with BN", "solid"),
  { name: "1e-3 (rule of thumb)", y: plainDiagnosed.ratios.map(() => 1e-3), dash: "dash" },
], { title: "Update:data ratio of each weight over training (SGD α = 0.1)", xTitle: "step", yTitle: "std(α·∂L/∂W) / std(W)", logY: true }));

// %% [markdown]
// The dashed line is Karpathy's $10^{-3}$. In both networks the ratios start above it and fall as training proceeds, and the output
// layer (W5) moves fastest. Without BN the hidden layers' ratios stay several times above $10^{-3}$ and differ by a factor of
// about 3 from each other; with BN the three middle layers move in step and approach $10^{-3}$ by step 150. BN does not pick
// the learning rate for you: this plot is how you check that α is in the right range (a ratio near $10^{-1}$ would mean thrashing,
// near $10^{-5}$ a layer that hardly learns).
//
// ## Summary
//
// | claim of the lecture text | measured here |
// |---|---|
// | BN speeds learning up | section 2: fewer steps to the same accuracy |
// | larger learning rates work | section 3: about a decade more α before training fails |
// | less sensitive to initialization | section 4: above chance at 19 of the 20 weight scales from $10^{-4}$ to $1$ (all but $10^{-4}$) against 3 without BN, and 70–78 % over about one and a half decades — not flat: the best accuracy still depends on the scale |
// | fewer saturated units, healthier gradients (梯度消失/爆炸) | section 5: histograms and update:data ratios |
//
// Next, [notebook 05](05-bn-at-test-time.ipynb) looks at what BN does **at test time**, when there is no batch to normalize over.

// %% [markdown]
// *Run time of this notebook:* the CPU time the kernel has used so far (on an idle 2-core laptop, about the wall-clock time).

// %%
console.log(`kernel CPU time: ${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)} s`);
