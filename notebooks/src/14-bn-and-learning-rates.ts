// %% [markdown]
// # 14 · BatchNorm widens the range of good learning rates
//
// **Lecture section 2.4.2.3** (BN总结): treat BN as a way to speed learning up (当作加速学习的方式), together with 2.4.3's goal of
// mastering the basic hyperparameters. In our words: BN makes the most important knob, the learning rate α, easier to set, because
// a wide range of α trains well. 用我们自己的话说：批标准化让最重要的超参数——学习率 α——更容易调，因为很宽范围内的 α 都能训练好。
//
// This closes the loop between the BN notebooks ([01](01-bn-forward.ipynb)–[10](10-layernorm-vs-batchnorm.ipynb)) and the
// tuning notebooks ([11](11-hyperparameters-optimizers.ipynb)–[13](13-pandas-or-caviar.ipynb)): a learning-rate sweep over five
// decades, with and without BN, run in parallel as in notebook 13.
//
// **Budget.** The spiral MLP of notebooks 11–13 (`lab.mlpTrial`), 10 epochs per trial, 22 trials: about 7 s, kernel start
// included (6.9 s wall time on a shared 2-core machine, 3 December). Terms: [glossary](../docs/glossary.md).
// One **inline question** asks you to explain what you measured (answer in the cell under it; the measurable part is checked).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %% [markdown]
// The trials run in worker threads, which cannot receive a closure: the trial function is named by module and export, here the
// library's compiled `mlpTrial` (notebook 13, section 2).

// %%
const parallel = { module: lab.builtInTrialsModule, exportName: "mlpTrial" };

// %% [markdown]
// ## 1. A learning-rate sweep with and without BN
//
// Notebooks [01](01-bn-forward.ipynb) and [07](07-internal-covariate-shift.ipynb) showed that BN keeps each layer's inputs at a fixed mean and variance set by $\gamma, \beta$.
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
// ## 2. How wide is the range of good learning rates?
//
// ### Exercise 1 — the width in decades
// Write `goodRangeDecades(results, threshold)`: among the successful trials whose validation accuracy
// is at least `threshold`, return $\log_{10}(\alpha_{\max} / \alpha_{\min})$ (0 if fewer than two qualify).

// %%
function goodRangeDecades(results: lab.TrialResult[], threshold: number): number {
  // BEGIN SOLUTION
  const good = results.filter((r) => r.status === "ok" && r.metrics.validationAccuracy >= threshold).map((r) => Number(r.config.learningRate));
  return good.length < 2 ? 0 : Math.log10(Math.max(...good) / Math.min(...good));
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `goodRangeDecades` and fails, with a hint, when its result is wrong.

// %%
const made = (learningRate: number, validationAccuracy: number, status: lab.TrialStatus = "ok"): lab.TrialResult =>
  ({ id: 0, seed: 0, round: 0, config: { learningRate }, status, metrics: { validationAccuracy }, curves: {}, message: "", seconds: 0 });
lab.checkClose("width of [0.01, 0.1] in decades", goodRangeDecades([made(0.01, 0.95), made(0.1, 0.97), made(1, 0.5), made(0.001, 0.2)], 0.9), 1, { hint: "log₁₀(0.1 / 0.01) = 1; leave out trials below the threshold." });
lab.checkClose("failed trials do not count", goodRangeDecades([made(0.01, 0.95), made(10, 0.99, "failed")], 0.9), 0, { hint: "Keep only status \"ok\"; with fewer than two good trials the width is 0." });

// %% [markdown]
// Your `goodRangeDecades` on the sweep: how many decades of α reach at least 0.8 validation accuracy, without and with BN:

// %%
const threshold = 0.8;
const widths = { plain: goodRangeDecades(plain, threshold), normalized: goodRangeDecades(normalized, threshold) };
show.markdown(`Learning rates reaching ≥ ${threshold} validation accuracy span **${widths.plain.toFixed(1)} decades without BN** and **${widths.normalized.toFixed(1)} decades with BN**.`);
lab.checkTrue("BN widens the range of good learning rates", widths.normalized > widths.plain, "Compare the two widths above.");

// %% [markdown]
// **Inline question 1.** Was the single best trial of the sweep one with or without BatchNorm? Does that contradict the
// claim that BN makes the learning rate easier to tune? What would you report to someone choosing $\alpha$ blind?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): "with BN" | "without BN" {
  // BEGIN SOLUTION
  return "without BN";
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const best = lab.bestResult(sweepResults, "validationAccuracy");
  const measured = best.config.batchNorm === true ? "with BN" : "without BN";
  console.log(String(lab.checkTrue("inline question 1: the single best trial of the α sweep", answerQ1() === measured, "Find the highest point of the sweep figure, whatever its colour.")));
  const describe = (r: lab.TrialResult) => `α = ${Number(r.config.learningRate).toPrecision(3)}, validation accuracy ${r.metrics.validationAccuracy.toFixed(3)}`;
  show.markdown(`Best trial without BN: ${describe(lab.bestResult(plain, "validationAccuracy"))} · best trial with BN: ${describe(lab.bestResult(normalized, "validationAccuracy"))}.`);
}

// %% [markdown]
// ## Summary
//
// BatchNorm widens the range of learning rates that train well (measured above: the width in decades with and without BN), which is
// one more reason, after notebooks 01–10, to use it: *use BN to speed learning up* (当作加速学习的方式), as the lecture text says. The
// single best trial may still be one without BN; what BN buys is the wide plateau.
//
// **In PyTorch:** the same sweep is a loop over `lr` in `torch.logspace(-3, 2, 11)`, building each model with or without
// `nn.BatchNorm1d` after every hidden `nn.Linear`.
//
// Next: [15 · Implement Batch Normalization yourself](15-implement-bn-yourself.ipynb).
