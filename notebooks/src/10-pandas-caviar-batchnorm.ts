// %% [markdown]
// # 10 · Pandas or caviar, and how BatchNorm widens the range of good learning rates
//
// **Lecture sections 2.4.3 and 2.4.2.3.** The first goal of 2.4.3 (掌握基本的超参数以及调参技巧) again, and 2.4.2.3's advice to treat
// BN as a way to speed learning up (当作加速学习的方式). In our words: how to spend a tuning budget, and how BN makes the most
// important knob, α, easier to set. 用我们自己的话说：怎样分配调参的计算预算，以及批标准化如何让最重要的超参数 α 更容易调。
//
// Two ways to spend a compute budget on tuning (调参), in deeplearning.ai's picture:
//
// - **Pandas** (熊猫方式): babysit *one* model — watch its curve every epoch and nudge the learning rate
//   (学习率) by hand. Pandas have one cub at a time and look after it closely.
// - **Caviar** (鱼子酱方式): train *many* models at once with different hyperparameters (超参数) and
//   keep the best. Fish lay many eggs and let them take their chances.
//
// Caviar needs parallel hardware; here the trials of `lab.runSearchParallel` run in `worker_threads`,
// one per CPU core. Then we close the loop with the BN notebooks 01–07: **with BatchNorm, a much wider range of
// learning rates trains well**, so BN makes the most important hyperparameter easier to tune.
//
// **Budget.** The spiral MLP of notebooks 08–09 (`lab.mlpTrial`), 8–10 epochs per trial, 38 trials
// and one 64-epoch run in all: about 15 s of CPU, kernel start included (measured on a shared 2-core machine). Terms: [glossary](../docs/glossary.md).
// Three **inline questions** ask you to explain what you measured (answer in the cell under each; the
// measurable part is checked).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %%
const rng = lab.makeRng(1337);

// %% [markdown]
// ## 1. Pandas: babysitting one model for 64 epochs
//
// One MLP, plain SGD, started with a timid $\alpha = 0.01$. After every epoch the babysitter compares the
// validation accuracy with the best so far: more than 1 point better → be bolder, $\alpha \leftarrow 1.5\,\alpha$;
// more than 5 points worse → back off, $\alpha \leftarrow \alpha/2$ (also when the loss exploded); otherwise
// keep $\alpha$. That is what a person does with a live training curve — only faster, and reproducible.

// %%
const data = lab.trialData("spiral");
const budgetEpochs = 64;
const pandaModel = lab.mlp({ inputSize: 2, hiddenSizes: [64, 64], outputSize: 3, rng: lab.makeRng(42) });
const pandaOptimizer = new lab.SGD(pandaModel.parameters(), { learningRate: 0.01 });
const shuffles = lab.makeRng(43);
const panda = { accuracy: [] as number[], learningRate: [] as number[], best: 0 };
const pandaStarted = performance.now();
const pandaLine = show.newDisplayId();
for (let epoch = 0; epoch < budgetEpochs; epoch++) {
  panda.learningRate.push(pandaOptimizer.learningRate);
  let accuracy: number;
  try {
    const history = await lab.fit(pandaModel, data.train, { epochs: 1, batchSize: 32, optimizer: pandaOptimizer, rng: shuffles, validation: data.validation });
    accuracy = history.validationAccuracy[0];
  } catch (error) {
    if (!(error instanceof lab.TrainingDivergedError)) throw error;
    accuracy = 0; // the loss exploded: back off
  }
  if (accuracy > panda.best + 0.01) pandaOptimizer.learningRate *= 1.5; // the babysitter's nudges
  else if (accuracy < panda.best - 0.05) pandaOptimizer.learningRate *= 0.5;
  panda.best = Math.max(panda.best, accuracy);
  panda.accuracy.push(accuracy);
  await show.sendDisplay({ "text/plain": `pandas: epoch ${epoch + 1}/${budgetEpochs} · α = ${panda.learningRate[epoch].toPrecision(3)} · validation accuracy ${accuracy.toFixed(3)}` }, { displayId: pandaLine, update: epoch > 0 });
}
const pandaSeconds = (performance.now() - pandaStarted) / 1000;
const epochAxis = panda.accuracy.map((_, e) => e + 1);
show.plot(lab.lineChart([{ name: "learning rate α (set by the babysitter)", x: epochAxis, y: panda.learningRate, mode: "lines+markers" }],
  { title: "Pandas: the learning rate chosen epoch by epoch", xTitle: "epoch", yTitle: "learning rate α", logY: true }));

// %% [markdown]
// *What to look at:* $\alpha$ climbs by a factor 1.5 per clearly better epoch, overshoots (around 0.5 the
// accuracy drops), backs off by halves and then stays put while the accuracy holds near its best. The
// babysitter found a workable rate on its own — but one epoch at a time, on one core, and its choice
// depends on the noise of single epochs.

// %% [markdown]
// ## 2. Caviar: 8 models in parallel, the same 64 epochs of compute
//
// Eight random learning rates, $\alpha = 10^r$ in $[10^{-2}, 3]$, 8 epochs each — 64 epochs in all, the
// pandas budget — run by `lab.runSearchParallel` in 2 worker threads. The trial function cannot be a
// closure (a worker cannot receive one): it is named by module and export, here the compiled
// `lab.mlpTrial`. Each trial is seeded by its own id, so **1 worker or 2 give identical results**; we
// run both to check it and to measure the speed-up.

// %%
const caviarPlan = lab.randomTrials({ learningRate: lab.logUniform(1e-2, 3) }, { count: 8, seed: 5 })
  .map((t) => ({ ...t, config: { ...t.config, optimizer: "sgd", epochs: 8 } }));
const parallel = { module: lab.builtInTrialsModule, exportName: "mlpTrial" };
let started = performance.now();
const caviar = await lab.runSearchParallel(caviarPlan, { ...parallel, workers: 2, onResult: show.searchProgress("caviar, 2 workers") });
const twoWorkerSeconds = (performance.now() - started) / 1000;
started = performance.now();
const caviarOneWorker = await lab.runSearchParallel(caviarPlan, { ...parallel, workers: 1, onResult: show.searchProgress("caviar, 1 worker") });
const oneWorkerSeconds = (performance.now() - started) / 1000;
const withoutTimes = (results: lab.TrialResult[]) => JSON.stringify(results.map((r) => ({ ...r, seconds: 0 })));
lab.checkTrue("1 worker and 2 workers give identical results", withoutTimes(caviar) === withoutTimes(caviarOneWorker));
show.markdown(lab.formatResults(caviar, { sortBy: "validationAccuracy" }) +
  `\n\nWall clock: pandas ${pandaSeconds.toFixed(1)} s (one thread) · caviar ${twoWorkerSeconds.toFixed(1)} s with 2 workers, ${oneWorkerSeconds.toFixed(1)} s with 1 ` +
  `(speed-up ×${(oneWorkerSeconds / twoWorkerSeconds).toFixed(2)}: at most 2 on 2 cores, less when other programs compete for them).`);

// %% [markdown]
// **Inline question 1.** The 8 caviar trials gave bit-for-bit the same results in 1 worker and in 2, although the workers
// finish in a different order each time. What makes that true, and what change to the trial function would
// break it (and so make a search impossible to reproduce)?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// ### Exercise 1 — the best accuracy so far
// To compare the two under the same budget, plot after each epoch of compute the best validation
// accuracy seen so far. Write `bestSoFar(values)`: the running maximum $m_k = \max(v_1, \dots, v_k)$.

// %%
function bestSoFar(values: number[]): number[] {
  // BEGIN SOLUTION
  const out: number[] = [];
  values.forEach((v, k) => out.push(k === 0 ? v : Math.max(out[k - 1], v)));
  return out;
  // END SOLUTION
}

// %%
lab.checkClose("bestSoFar([0.2, 0.5, 0.4, 0.7, 0.6])", bestSoFar([0.2, 0.5, 0.4, 0.7, 0.6]), [0.2, 0.5, 0.5, 0.7, 0.7], { hint: "Keep the largest value seen up to and including position k." });
lab.checkClose("bestSoFar of one value", bestSoFar([0.3]), [0.3]);

// %%
const caviarCurve = caviar.flatMap((r) => r.curves.validationCurve ?? []); // trial after trial: 64 epochs
show.plot(lab.lineChart([
  { name: "pandas: one babysat model", x: epochAxis, y: bestSoFar(panda.accuracy) },
  { name: "caviar: 8 models × 8 epochs, in trial order", x: caviarCurve.map((_, e) => e + 1), y: bestSoFar(caviarCurve) },
], { title: "Same compute budget: best validation accuracy so far", xTitle: "epochs of training spent", yTitle: "best validation accuracy so far" }));
show.plot(lab.lineChart(caviar.map((r) => ({ name: `α = ${Number(r.config.learningRate).toPrecision(2)}`, y: r.curves.validationCurve ?? [], x: [1, 2, 3, 4, 5, 6, 7, 8] })),
  { title: "Caviar: the 8 models' validation curves", xTitle: "epoch", yTitle: "validation accuracy" }));

// %% [markdown]
// *What to look at:* in the first figure, where each curve ends — the best model each approach produced
// with the same 64 epochs of compute. Here the babysat model ends higher: it trained for 64 epochs,
// each caviar model for only 8, too few on the spiral for any $\alpha$ to finish. Caviar's return is
// in the second figure: the whole picture of how the accuracy depends on $\alpha$ (only the large rates
// get anywhere in 8 epochs), from which the next, longer search can start. Pandas needs a person
// (or a rule) watching; caviar needs free cores — on 2 cores the same compute takes at best half the
// wall-clock time, and each worker costs a fraction of a second to start. The line under the table
// reports what this machine measured (`npm run bench:search` measures it over several rounds).

// %% [markdown]
// **Inline question 2.** With the same 64 epochs of compute, which approach produced the better model here, pandas or caviar?
// Why, and what did the other approach give you that the winner did not?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ2(): "pandas" | "caviar" {
  // BEGIN SOLUTION
  return "pandas";
  // END SOLUTION
}

// %%
{
  const [pandaBest, caviarBest] = [Math.max(...panda.accuracy), Math.max(...caviarCurve)];
  const measured = pandaBest > caviarBest ? "pandas" : "caviar";
  console.log(String(lab.checkTrue("inline question 2: the approach with the best model after 64 epochs", answerQ2() === measured, "Compare where the two curves of the first figure end.")));
}

// %% [markdown]
// ## 3. BatchNorm widens the range of good learning rates
//
// Notebooks 01 and 06 showed that BN keeps each layer's inputs at a fixed mean and variance set by $\gamma, \beta$.
// One consequence for tuning: the scale of the weights no longer changes the scale of the next layer's
// input, so both small and large $\alpha$ train better. We sweep $\alpha$ over five decades — 11
// log-spaced values in $[10^{-3}, 10^2]$ — with and without BN (plain SGD, 10 epochs, the same seeds),
// in parallel.

// %%
const sweep = lab.gridTrials({ learningRate: lab.logUniform(1e-3, 100), batchNorm: lab.choice([false, true]) }, { points: 11, seed: 4 })
  .map((t) => ({ ...t, config: { ...t.config, optimizer: "sgd", epochs: 10 } }));
const sweepResults = await lab.runSearchParallel(sweep, { ...parallel, workers: 2, onResult: show.searchProgress("α sweep with and without BN") });
const plain = sweepResults.filter((r) => r.config.batchNorm === false);
const normalized = sweepResults.filter((r) => r.config.batchNorm === true);
show.plot(lab.searchScatter([{ name: "without BN", results: plain }, { name: "with BatchNorm", results: normalized }],
  { parameter: "learningRate", metric: "validationAccuracy", title: "Validation accuracy after 10 epochs against the learning rate", xTitle: "learning rate α", yTitle: "validation accuracy" }));

// %% [markdown]
// *What to look at:* without BN only a narrow band of $\alpha$ reaches high accuracy; with BN the
// plateau of good rates is wider — it extends to smaller rates (normalized layers learn faster at a
// given $\alpha$) and to larger ones, until both diverge (those trials failed with `fit`'s
// `TrainingDivergedError` and are counted in the legend). The single best trial may even be one
// without BN; what BN buys is the wide plateau, which makes the most important hyperparameter easy
// to get right.
//
// ### Exercise 2 — how wide is the range of good learning rates?
// Write `goodRangeDecades(results, threshold)`: among the successful trials whose validation accuracy
// is at least `threshold`, return $\log_{10}(\alpha_{\max} / \alpha_{\min})$ (0 if fewer than two qualify).

// %%
function goodRangeDecades(results: lab.TrialResult[], threshold: number): number {
  // BEGIN SOLUTION
  const good = results.filter((r) => r.status === "ok" && r.metrics.validationAccuracy >= threshold).map((r) => Number(r.config.learningRate));
  return good.length < 2 ? 0 : Math.log10(Math.max(...good) / Math.min(...good));
  // END SOLUTION
}

// %%
const made = (learningRate: number, validationAccuracy: number, status: lab.TrialStatus = "ok"): lab.TrialResult =>
  ({ id: 0, seed: 0, round: 0, config: { learningRate }, status, metrics: { validationAccuracy }, curves: {}, message: "", seconds: 0 });
lab.checkClose("width of [0.01, 0.1] in decades", goodRangeDecades([made(0.01, 0.95), made(0.1, 0.97), made(1, 0.5), made(0.001, 0.2)], 0.9), 1, { hint: "log₁₀(0.1 / 0.01) = 1; leave out trials below the threshold." });
lab.checkClose("failed trials do not count", goodRangeDecades([made(0.01, 0.95), made(10, 0.99, "failed")], 0.9), 0, { hint: "Keep only status \"ok\"; with fewer than two good trials the width is 0." });

// %%
const threshold = 0.8;
const widths = { plain: goodRangeDecades(plain, threshold), normalized: goodRangeDecades(normalized, threshold) };
show.markdown(`Learning rates reaching ≥ ${threshold} validation accuracy span **${widths.plain.toFixed(1)} decades without BN** and **${widths.normalized.toFixed(1)} decades with BN**.`);
lab.checkTrue("BN widens the range of good learning rates", widths.normalized > widths.plain, "Compare the two widths above.");

// %% [markdown]
// **Inline question 3.** Was the single best trial of the sweep one with or without BatchNorm? Does that contradict the
// claim that BN makes the learning rate easier to tune? What would you report to someone choosing $\alpha$ blind?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ3(): "with BN" | "without BN" {
  // BEGIN SOLUTION
  return "without BN";
  // END SOLUTION
}

// %%
{
  const best = lab.bestResult(sweepResults, "validationAccuracy");
  const measured = best.config.batchNorm === true ? "with BN" : "without BN";
  console.log(String(lab.checkTrue("inline question 3: the single best trial of the α sweep", answerQ3() === measured, "Find the highest point of the sweep figure, whatever its colour.")));
  const describe = (r: lab.TrialResult) => `α = ${Number(r.config.learningRate).toPrecision(3)}, validation accuracy ${r.metrics.validationAccuracy.toFixed(3)}`;
  show.markdown(`Best trial without BN: ${describe(lab.bestResult(plain, "validationAccuracy"))} · best trial with BN: ${describe(lab.bestResult(normalized, "validationAccuracy"))}.`);
}

// %% [markdown]
// **Takeaways.** (1) With the same 64 epochs of compute, babysitting one model (pandas) gave the better model
// here (inline question 2); many short models in parallel (caviar) gave instead a map of accuracy against $\alpha$ from
// which to start a longer search, in at best half the wall-clock time on 2 cores. Which wins depends on how long a run
// must be to tell good from bad; here 8 epochs was too short for caviar's models to finish. (2) Parallel
// trials must be reproducible: a per-trial seed makes the results independent of the number of
// workers. (3) BatchNorm widens the range of learning rates that train well, which is one more reason,
// after notebooks 01–07, to use it: *use BN to speed learning up* (当作加速学习的方式), as the lecture text says.
