// %% [markdown]
// # 11 · Hyperparameters (超参数) and optimizers
//
// **Lecture section 2.4.3** (总结) closes with two goals: *master the basic hyperparameters and the techniques
// for tuning them* (掌握基本的超参数以及调参技巧), and master BN. In our words: before BN, the lecture series
// (its part 1, which this kit also covers) taught which knobs a network has and how to set them; notebooks 11–14
// take that first goal. 用我们自己的话说：讲义的第一个目标是知道网络有哪些超参数、各自起什么作用、怎样调；
// 笔记本 11–14 讲这一部分，01–10 讲批标准化。
// This one names the hyperparameters, ranks them, and measures the ones that live in the
// optimizer: momentum (动量) as an exponentially weighted average with its bias correction
// (偏差修正), RMSprop, Adam, and learning-rate decay (学习率衰减).
// [Notebook 12](12-random-search-scale.ipynb) searches for good values (random search on the right scale, coarse to fine);
// [notebook 13](13-pandas-or-caviar.ipynb) runs many trials in parallel, and [14](14-bn-and-learning-rates.ipynb) ties the learning rate back to BatchNorm.
// Terms in Chinese are collected in the [glossary](../docs/glossary.md). Three **inline questions** ask you
// to predict (questions 2 and 3, before the run) and to explain what you measured (answer in the cell under each; the measurable part is checked).
//
// **Budget.** Everything here trains a small MLP (2 → 64 → 64 → 3) on the 3-arm spiral
// (450 training / 150 validation points) for 20 epochs — under a second of CPU per run; the 8 runs
// and the rest of the notebook take about 12 s of CPU, kernel start included (measured on a shared
// 2-core machine).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. The hyperparameters and their order of importance
//
// *Parameters* (参数) $W, b, \gamma, \beta$ are learned by gradient descent. *Hyperparameters*
// are the choices we make before training, which gradient descent cannot make for us. Andrew Ng's
// order of importance (deeplearning.ai, *Improving Deep Neural Networks*, week 3) is a rule of thumb
// from experience, **not something this course measures**: of the whole ranking we test only one
// comparison — on the spiral, the learning rate matters far more than the momentum β
// ([notebook 12](12-random-search-scale.ipynb), grid versus random search). The rest of the table is his advice, not our evidence.
//
// | importance | hyperparameter | symbol / option | typical values |
// |---|---|---|---|
// | 1st | learning rate 学习率 | $\alpha$, `learningRate` | search on a log scale, $10^{-4}$ … $1$ |
// | 2nd | momentum 动量 | $\beta$ (`MomentumEWA`), `beta1` | 0.9 |
// | 2nd | mini-batch size | $B$, `batchSize` | 32 … 512 |
// | 2nd | hidden units | `hiddenSizes` | 32 … 1024 |
// | 3rd | number of layers | `hiddenSizes.length` | 2 … 5 |
// | 3rd | learning-rate decay 学习率衰减 | `schedule` | step, $1/t$, exponential |
// | rarely tuned | Adam's $\beta_1, \beta_2, \varepsilon$ | `beta1`, `beta2`, `eps` | 0.9, 0.999, $10^{-8}$ |
//
// Why the learning rate first: every update is $\theta \leftarrow \theta - \alpha\,\cdot$(something),
// so $\alpha$ sets the size of *every* step of *every* parameter. A factor 10 too large and training
// diverges; a factor 10 too small and it crawls.

// %% [markdown]
// ## 2. One data set, one model, for every comparison
//
// `lab.trialData("spiral")` is the fixed data set the search notebooks use too (seeded, so it is the
// same in every run and in every worker thread). The three arms are not linearly separable.

// %%
const data = lab.trialData("spiral");
show.plot(lab.classScatter(data.train, { title: "The 3-arm spiral: 450 training points" }));

// %% [markdown]
// *What to look at:* the arms wind around each other, so a linear classifier gets only about half of the points right;
// the MLP must bend its decision boundary, which takes a few hundred steps.

// %% [markdown]
// ## 3. Exponentially weighted averages (指数加权平均) and bias correction
//
// Momentum, RMSprop and Adam all keep an exponentially weighted average (EWA) of something:
//
// $$ v_0 = 0, \qquad v_t = \beta\, v_{t-1} + (1-\beta)\,\theta_t $$
//
// which averages roughly the last $1/(1-\beta)$ values ($\beta = 0.9$: about 10, $\beta = 0.98$:
// about 50). Because $v_0 = 0$, the first averages are too small: for a constant input
// $\theta_t = c$ one gets $v_t = c\,(1-\beta^t)$. The **bias correction** divides that factor out:
//
// $$ \hat v_t = \frac{v_t}{1-\beta^t} $$
//
// **How long it matters.** For *any* series, $v_t / \hat v_t = 1-\beta^t$: the uncorrected average is too small by the
// fraction $\beta^t$. That fraction is still $\beta^{1/(1-\beta)} \approx e^{-1} \approx 37\,\%$ after $t = 1/(1-\beta)$ steps, the
// "window" of the average; it falls below a fraction $p$ only after $t > \ln p / \ln\beta \approx \ln(1/p)/(1-\beta)$ steps —
// about $3/(1-\beta)$ steps for 5 % and $4.6/(1-\beta)$ for 1 %. So the correction matters for several windows, not one.
//
// ### Exercise 1 — an EWA with optional bias correction
// Write `ewa(values, beta, biasCorrection)` returning the list $v_1, \dots, v_n$ (or $\hat v_1, \dots, \hat v_n$).

// %%
function ewa(values: number[], beta: number, biasCorrection: boolean): number[] {
  // BEGIN SOLUTION
  const out: number[] = [];
  let v = 0;
  values.forEach((value, k) => {
    v = beta * v + (1 - beta) * value; // v_t = β v_{t−1} + (1 − β) θ_t
    out.push(biasCorrection ? v / (1 - beta ** (k + 1)) : v); // v̂_t = v_t / (1 − βᵗ)
  });
  return out;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `ewa` and fails, with a hint, when its result is wrong.

// %%
lab.checkClose("EWA of a constant 5 without correction", ewa([5, 5, 5, 5], 0.9, false), [0.5, 0.95, 1.355, 1.7195], { hint: "v₀ = 0, then v_t = β·v_{t−1} + (1 − β)·θ_t." });
lab.checkClose("EWA of a constant 5 with bias correction", ewa([5, 5, 5, 5], 0.9, true), [5, 5, 5, 5], { hint: "Divide v_t by 1 − βᵗ, with t counted from 1." });
lab.checkClose("EWA of 1, 2, 3 with β = 0.5", ewa([1, 2, 3], 0.5, false), [0.5, 1.25, 2.125]);

// %% [markdown]
// Now on a noisy series — a year of daily temperatures, the example of deeplearning.ai: a seasonal
// curve plus noise. Without the correction, the $\beta = 0.98$ average starts near 0, far below
// the data; with it, it starts on the data.

// %%
const days = Array.from({ length: 200 }, (_, t) => t + 1);
const temperature = days.map((t) => 15 + 10 * Math.sin((2 * Math.PI * (t + 30)) / 365) + rng.normal(0, 3)); // starts near 20 °C
show.plot(lab.lineChart([
  { name: "daily temperature θ_t", x: days, y: temperature, mode: "markers" },
  { name: "EWA β = 0.9 (≈ 10 days)", x: days, y: ewa(temperature, 0.9, false) },
  { name: "EWA β = 0.98 (≈ 50 days), no correction", x: days, y: ewa(temperature, 0.98, false), dash: "dash" },
  { name: "EWA β = 0.98, bias-corrected", x: days, y: ewa(temperature, 0.98, true) },
], { title: "Exponentially weighted averages and bias correction", xTitle: "day t", yTitle: "temperature (°C)" }));

// %% [markdown]
// *What to look at:* the data start near 20 °C, but the dashed curve starts near 0 °C; the corrected one follows the data from day 1.
// The two β = 0.98 curves are the same curve up to the factor $1-0.98^t$, so the dashed one is still about 36 % low at day 50
// ($0.98^{50} = 0.36$) and within 5 % of the corrected one only from day 149 ($\ln 0.05/\ln 0.98 = 148.3$) — the cell below reads both
// off the plotted curves. The larger $\beta$, the smoother — and the later — the average.

// %%
{
  const [raw, corrected] = [ewa(temperature, 0.98, false), ewa(temperature, 0.98, true)];
  const shortfall = raw.map((v, k) => 1 - v / corrected[k]); // = 0.98^t for any series
  const within5 = shortfall.findIndex((f) => f < 0.05) + 1; // days count from 1
  console.log(`β = 0.98, uncorrected vs corrected: ${(100 * shortfall[49]).toFixed(1)} % low at day 50; within 5 % from day ${within5}`);
  console.log(String(lab.checkClose("shortfall at day 50 = 0.98^50", shortfall[49], 0.98 ** 50, { tolerance: 1e-9 })));
  console.log(String(lab.checkTrue("within 5 % from day ⌈ln 0.05 / ln 0.98⌉ = 149", within5 === Math.ceil(Math.log(0.05) / Math.log(0.98)))));
}

// %% [markdown]
// **Inline question 1.** For how many steps does the bias correction matter? For $\beta = 0.9$ and a constant series,
// from which step $t$ on is the uncorrected average within 1% of the corrected one? How does that step grow with $\beta$,
// and why does Adam's default $\beta_2 = 0.999$ make the correction essential?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): number {
  // BEGIN SOLUTION
  return Math.ceil(Math.log(0.01) / Math.log(0.9)); // βᵗ < 1 %
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const constant = Array.from({ length: 200 }, () => 1);
  const [raw, corrected] = [ewa(constant, 0.9, false), ewa(constant, 0.9, true)];
  const measured = raw.findIndex((v, k) => Math.abs(corrected[k] - v) / corrected[k] < 0.01) + 1; // steps count from 1
  console.log(String(lab.checkTrue("inline question 1: the first step where the correction changes the average by less than 1 %", Math.abs(answerQ1() - measured) <= 1, "For a constant series the uncorrected average is c·(1 − βᵗ): solve βᵗ < 0.01.")));
}

// %% [markdown]
// ## 4. Four optimizers on the same MLP
//
// With $g = \nabla_\theta L$ on the mini-batch (all operations elementwise):
//
// | optimizer | update | library |
// |---|---|---|
// | SGD | $\theta \leftarrow \theta - \alpha g$ | `new lab.SGD(p, { learningRate })` |
// | momentum (EWA form) | $v \leftarrow \beta v + (1-\beta) g,\ \hat v = v/(1-\beta^t),\ \theta \leftarrow \theta - \alpha \hat v$ | `new lab.MomentumEWA(p, { learningRate, beta, biasCorrection: true })` |
// | RMSprop | $s \leftarrow \beta s + (1-\beta) g^2,\ \theta \leftarrow \theta - \alpha\, g/(\sqrt{s}+\varepsilon)$ | `new lab.RMSprop(p, { learningRate })` |
// | Adam | $m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ \theta \leftarrow \theta - \alpha\,\dfrac{m/(1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)}+\varepsilon}$ | `new lab.Adam(p, { learningRate })` |
//
// Every run starts from the **same initial weights** (model seed 42) and sees the **same
// mini-batches** (shuffle seed 43): only the update rule differs. Each optimizer gets a learning
// rate in its usual range (SGD and momentum 0.3; RMSprop and Adam divide by $\sqrt{s}$ and want ~100× less).

// %% [markdown]
// **Inline question 2 — predict first.** Before the four runs, record your prediction: which optimizer will first bring the
// training loss (smoothed by Exercise 1's bias-corrected EWA, β = 0.9) below 0.3? Think about the size of the first steps:
// SGD's step is $\alpha g$, while Adam's is about $\alpha$ per weight whatever the size of $g$. A cell after the run compares.

// %%
function predictQ2(): "SGD" | "momentum" | "RMSprop" | "Adam" {
  // BEGIN SOLUTION
  return "Adam";
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 2: prediction recorded", ["SGD", "momentum", "RMSprop", "Adam"].includes(predictQ2()), "Return \"SGD\", \"momentum\", \"RMSprop\" or \"Adam\".")));

// %% [markdown]
// `trainSpiral` trains one MLP with a given optimizer; the loop runs the four optimizers of the table, one after the other.

// %%
type OptimizerMaker = (params: lab.Parameter[]) => lab.Optimizer;

async function trainSpiral(makeOptimizer: OptimizerMaker, options: { epochs?: number; schedule?: lab.LearningRateSchedule } = {}): Promise<lab.History> {
  const model = lab.mlp({ inputSize: 2, hiddenSizes: [64, 64], outputSize: 3, rng: lab.makeRng(42) }); // same initial weights
  return lab.fit(model, data.train, {
    epochs: options.epochs ?? 20, batchSize: 32, rng: lab.makeRng(43), // same mini-batches
    optimizer: makeOptimizer(model.parameters()), schedule: options.schedule, validation: data.validation,
  });
}

const optimizers: [string, OptimizerMaker][] = [
  ["SGD α = 0.3", (p) => new lab.SGD(p, { learningRate: 0.3 })],
  ["momentum (EWA) α = 0.3, β = 0.9", (p) => new lab.MomentumEWA(p, { learningRate: 0.3, beta: 0.9, biasCorrection: true })],
  ["RMSprop α = 0.003", (p) => new lab.RMSprop(p, { learningRate: 0.003 })],
  ["Adam α = 0.01", (p) => new lab.Adam(p, { learningRate: 0.01 })],
];
const histories = new Map<string, lab.History>();
const progressId = show.newDisplayId();
for (const [name, make] of optimizers) {
  histories.set(name, await trainSpiral(make));
  const line = [...histories].map(([n, h]) => `${n}: ${(100 * h.validationAccuracy[h.validationAccuracy.length - 1]).toFixed(1)}% in ${h.seconds.toFixed(1)} s`).join(" · ");
  await show.sendDisplay({ "text/plain": `trained ${histories.size}/${optimizers.length} — ${line}` }, { displayId: progressId, update: histories.size > 1 });
}

// %% [markdown]
// The four loss curves, smoothed with Exercise 1's bias-corrected EWA (β = 0.9) so that they can be told apart, and the validation
// accuracy after each epoch:

// %%
const smooth = (values: number[]) => ewa(values, 0.9, true); // exercise 1 at work: a readable loss curve
show.plot(lab.lineChart([...histories].map(([name, h]) => ({ name, y: smooth(h.loss) })),
  { title: "Training loss of four optimizers (same model, same batches)", xTitle: "step", yTitle: "mini-batch loss, EWA β = 0.9", logY: true }));
show.plot(lab.lineChart([...histories].map(([name, h]) => ({ name, x: h.validationAccuracy.map((_, e) => e + 1), y: h.validationAccuracy, mode: "lines+markers" as const })),
  { title: "Validation accuracy of four optimizers", xTitle: "epoch", yTitle: "validation accuracy" }));

// %% [markdown]
// *What to look at:* Adam gets below a loss of 0.3 first (after about 65 steps, against about 100 for
// SGD). Momentum in its EWA form with the same $\alpha$ takes the same *average* step as SGD ($v$ is an
// average of $g$, not a sum), so on this easy problem it tracks SGD closely and ends slightly lower;
// its advantage — damping the zig-zag across a narrow valley — shows on harder surfaces. RMSprop at
// $\alpha = 0.003$ is no faster than SGD here. All of this holds for *these* learning rates: each
// optimizer's best $\alpha$ differs, which is exactly why $\alpha$ is tuned first ([notebook 12](12-random-search-scale.ipynb)).

// %% [markdown]
// **Inline question 2 (continued).** Your prediction against the run (the cell below) — and: why does momentum in its EWA
// form, with the same $\alpha$ as SGD, take steps of about the same size as SGD, and when would its damping pay off?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below prints the step at which each smoothed loss first fell below 0.3 and compares your prediction with it (a wrong
// prediction is reported, not an error); it fails only if the run no longer shows what the text above says (Adam first).

// %%
{
  const firstBelow = (h: lab.History) => {
    const k = smooth(h.loss).findIndex((v) => v < 0.3);
    return k < 0 ? Infinity : k + 1; // steps count from 1
  };
  const ranked = [...histories].sort(([, a], [, b]) => firstBelow(a) - firstBelow(b));
  console.log(ranked.map(([name, h]) => `${name}: below 0.3 at step ${firstBelow(h)}`).join("\n"));
  const measured = ranked[0][0].split(" ")[0]; // "Adam α = 0.01" → "Adam"
  console.log(predictQ2() === measured ? `✓ your prediction "${predictQ2()}" matches the run.`
    : `✗ you predicted "${predictQ2()}", the run says "${measured}": Adam's first steps are about α per weight, whatever the size of g, while SGD's and momentum's are α·g with a small g at the start.`);
  console.log(String(lab.checkTrue("the text's claim: Adam is the first below a smoothed loss of 0.3", measured === "Adam", "The run changed: update the text above and the teacher's answer.")));
}

// %% [markdown]
// ## 5. Learning-rate decay (学习率衰减)
//
// Near a minimum, mini-batch noise makes a constant-$\alpha$ run wander; shrinking $\alpha$ lets it
// settle. With the epoch $e = 0, 1, 2, \dots$:
//
// $$ \text{step: } \alpha_0 \cdot f^{\lfloor e / k \rfloor}, \qquad
//    \text{inverse time: } \frac{\alpha_0}{1 + d\cdot e}, \qquad
//    \text{exponential: } \alpha_0 \cdot r^{e} $$
//
// ### Exercise 2 — the two deeplearning.ai schedules
// Write `inverseTime(alpha0, decayRate, epoch)` and `exponential(alpha0, rate, epoch)`.

// %%
function inverseTime(alpha0: number, decayRate: number, epoch: number): number {
  // BEGIN SOLUTION
  return alpha0 / (1 + decayRate * epoch);
  // END SOLUTION
}

function exponential(alpha0: number, rate: number, epoch: number): number {
  // BEGIN SOLUTION
  return alpha0 * rate ** epoch;
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `inverseTime` and fails, with a hint, when its result is wrong.

// %%
const epochs = Array.from({ length: 20 }, (_, e) => e);
const libraryInverse = lab.inverseTimeDecay({ initial: 0.5, decayRate: 0.3 });
const libraryExponential = lab.exponentialDecay({ initial: 0.5, rate: 0.85 });
lab.checkClose("inverseTime(0.5, 0.3, e), e = 0…19", epochs.map((e) => inverseTime(0.5, 0.3, e)), epochs.map(libraryInverse), { hint: "α₀ / (1 + decayRate · epoch); epoch 0 gives α₀." });
lab.checkClose("exponential(0.5, 0.85, e), e = 0…19", epochs.map((e) => exponential(0.5, 0.85, e)), epochs.map(libraryExponential), { hint: "α₀ · rate^epoch." });

// %% [markdown]
// The four schedules side by side — constant, step, inverse time (yours, checked against the library's) and exponential — as the
// learning rate they give each epoch:

// %%
const schedules: [string, lab.LearningRateSchedule][] = [
  ["constant α = 0.5", () => 0.5],
  ["step: ×0.5 every 5 epochs", lab.stepDecay({ initial: 0.5, dropEvery: 5, factor: 0.5 })],
  ["inverse time: d = 0.3", libraryInverse],
  ["exponential: r = 0.85", libraryExponential],
];
show.plot(lab.lineChart(schedules.map(([name, s]) => ({ name, x: epochs, y: epochs.map(s), mode: "lines+markers" as const })),
  { title: "Learning-rate schedules, α₀ = 0.5", xTitle: "epoch e", yTitle: "learning rate α", logY: true }));

// %% [markdown]
// *What to look at:* on a log axis the exponential schedule is a straight line, the step schedule a
// staircase, and inverse time falls fast at first then flattens ($\alpha \approx \alpha_0/(d\,e)$).

// %% [markdown]
// **Inline question 3 — predict first.** Next, the same SGD run (20 epochs, $\alpha_0 = 0.5$) with each of the four schedules.
// Before it runs, record your prediction: which schedule will end with the **lowest** validation accuracy? (Hint: read off the
// figure above the learning rate each schedule gives at epoch 10.) A cell after the run compares.

// %%
function predictQ3(): "constant" | "step" | "inverse time" | "exponential" {
  // BEGIN SOLUTION
  return "inverse time";
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 3: prediction recorded", ["constant", "step", "inverse time", "exponential"].includes(predictQ3()), "Return \"constant\", \"step\", \"inverse time\" or \"exponential\".")));

// %% [markdown]
// Now the same SGD run with each schedule:

// %%
const decayed = new Map<string, lab.History>();
for (const [name, schedule] of schedules) decayed.set(name, await trainSpiral((p) => new lab.SGD(p, { learningRate: 0.5 }), { schedule }));
show.plot(lab.lineChart([...decayed].map(([name, h]) => ({ name, y: smooth(h.loss) })),
  { title: "SGD on the spiral with four learning-rate schedules", xTitle: "step", yTitle: "mini-batch loss, EWA β = 0.9", logY: true }));
show.markdown([...decayed].map(([name, h]) => `- ${name}: final validation accuracy ${(100 * h.validationAccuracy[h.validationAccuracy.length - 1]).toFixed(1)}%`).join("\n"));

// %% [markdown]
// *What to look at:* the schedules that decay fastest (inverse time, exponential) end this 20-epoch
// run with a *higher* training loss than the constant rate: by epoch 10 their $\alpha$ is below 0.15,
// so they stop making progress before the model has converged. Decay pays off in long runs, where
// mini-batch noise near the minimum is what limits the loss; on a short run it is, as the table in
// section 1 says, a 3rd-order hyperparameter — fix $\alpha_0$ first.

// %% [markdown]
// **Inline question 3 (continued).** Your prediction against the run (the cell below) — and: why did decaying fast hurt here,
// and in what kind of run does learning-rate decay pay off?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below compares your prediction with the run (a wrong prediction is reported, not an error); it fails only if the run no
// longer shows what the text above says: a fast-decaying schedule ends lowest, and both end with a higher training loss than the constant rate.

// %%
{
  const final = (h: lab.History) => h.validationAccuracy[h.validationAccuracy.length - 1];
  const finalLoss = (name: string) => smooth(decayed.get(name)!.loss).at(-1)!;
  const worst = [...decayed].sort(([, a], [, b]) => final(a) - final(b))[0][0];
  const measured = (["constant", "step", "inverse time", "exponential"] as const).find((s) => worst.startsWith(s))!;
  console.log(predictQ3() === measured ? `✓ your prediction "${predictQ3()}" matches the run.`
    : `✗ you predicted "${predictQ3()}", the run says "${measured}": by epoch 10 its α is down to ${schedules.find(([n]) => n === worst)![1](10).toPrecision(2)}, too small to finish training in 20 epochs.`);
  const [fastest, slowest] = [["inverse time: d = 0.3", "exponential: r = 0.85"], "constant α = 0.5"];
  lab.checkTrue("the text's claim: a fast-decaying schedule ends lowest", fastest.includes(worst), "The run changed: update the text above.");
  console.log(String(lab.checkTrue("the text's claim: both fast decays end with a higher smoothed training loss than the constant rate", fastest.every((n) => finalLoss(n) > finalLoss(slowest)), "The run changed: update the text above.")));
}

// %% [markdown]
// **Takeaways.** (1) Each optimizer has its own good range of $\alpha$ (section 4). (2) Momentum,
// RMSprop and Adam are EWAs of $g$ or $g^2$; the uncorrected average is low by the fraction $\beta^t$, still
// 37 % after $1/(1-\beta)$ steps and below 1 % only after about $4.6/(1-\beta)$ (section 3, inline question 1) —
// a few dozen steps for $\beta = 0.9$, thousands for Adam's $\beta_2 = 0.999$. (3) Decay schedules are easy to
// write and to over-do (section 5; one seed, one short run).
//
// **In PyTorch:** `torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)` uses the *sum* form $v \leftarrow \beta v + g$
// (no $1-\beta$, no bias correction), so its step is about $1/(1-\beta)$ times larger than our EWA form with the same `lr`;
// `torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-8)` is section 4's Adam, bias-corrected;
// `torch.optim.RMSprop(..., alpha=0.99)` calls the β of RMSprop `alpha`; schedules live in `torch.optim.lr_scheduler`
// (`StepLR`, `ExponentialLR`, `LambdaLR` for inverse time), stepped once per epoch with `scheduler.step()`.
// Next: [**12**](12-random-search-scale.ipynb), searching for $\alpha$ and $\beta$ — randomly, on the right scale.
