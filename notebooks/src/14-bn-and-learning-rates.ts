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
// One **inline question** asks you to predict before the sweep, then explain what you measured (answer in the cell under it; the measurable part is checked).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %% [markdown]
// The trials run in worker threads (Web Workers in the browser), which cannot receive a closure: the trial function is named by module and export, here the
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

// %% [markdown]
// **Inline question 1 — predict first.** Before the sweep runs, record your prediction: will the single best trial of all 22 (the
// highest validation accuracy, whatever α) be one **with** or **without** BatchNorm? A cell after the run compares.

// %%
function predictQ1(): "with BN" | "without BN" {
  // BEGIN SOLUTION
  return "without BN";
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 1: prediction recorded", ["with BN", "without BN"].includes(predictQ1()), "Return \"with BN\" or \"without BN\".")));

// %% [markdown]
// The sweep: 11 rates × {without, with} BN, in 2 worker threads; then validation accuracy against α.

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
// ## 2. How wide is the range of good learning rates — and what is that worth?
//
// **The criterion.** A learning rate is *good* when its trial succeeded and reached at least 0.8 validation accuracy; the width of
// the good range is $\log_{10}(\alpha_{\max}/\alpha_{\min})$ over the good grid points (0 if fewer than two), in decades. The grid steps
// by half a decade, so this is a lower bound on the true width.

// %%
const threshold = 0.8;
function goodRangeDecades(results: lab.TrialResult[]): number {
  const good = results.filter((r) => r.status === "ok" && r.metrics.validationAccuracy >= threshold).map((r) => Number(r.config.learningRate));
  return good.length < 2 ? 0 : Math.log10(Math.max(...good) / Math.min(...good));
}
const widths = { plain: goodRangeDecades(plain), normalized: goodRangeDecades(normalized) };
show.markdown(`Learning rates reaching ≥ ${threshold} validation accuracy span **${widths.plain.toFixed(1)} decades without BN** and **${widths.normalized.toFixed(1)} decades with BN**.`);
lab.checkTrue("BN widens the range of good learning rates", widths.normalized > widths.plain, "Compare the two widths above.");

// %% [markdown]
// ### Exercise 1 — what a wider range buys someone tuning α blind
//
// Someone draws $\alpha$ log-uniformly over the sweep's 5 decades ([notebook 12](12-random-search-scale.ipynb)), knowing nothing else.
// Write `chanceOfGoodRate(widthDecades, searchDecades)`, the probability that one draw lands in a good range of that width, and
// `trialsNeeded(p, confidence)`, the smallest number $n$ of independent draws such that at least one is good with probability
// $\ge$ `confidence` (none good has probability $(1-p)^n$).

// %%
function chanceOfGoodRate(widthDecades: number, searchDecades: number): number {
  // BEGIN SOLUTION
  return widthDecades / searchDecades; // log-uniform: probability = share of the log-axis
  // END SOLUTION
}
function trialsNeeded(p: number, confidence: number): number {
  // BEGIN SOLUTION
  return Math.ceil(Math.log(1 - confidence) / Math.log(1 - p)); // (1 − p)ⁿ ≤ 1 − confidence
  // END SOLUTION
}

// %% [markdown]
// The check below tests both functions on known cases and fails, with a hint, when either is wrong; then applies them to the widths
// measured above.

// %%
lab.checkClose("chanceOfGoodRate(1, 5)", chanceOfGoodRate(1, 5), 0.2, { hint: "On a log scale the probability is the width's share of the searched decades." });
lab.checkClose("trialsNeeded(0.2, 0.95)", trialsNeeded(0.2, 0.95), 14, { hint: "Smallest n with (1 − p)ⁿ ≤ 1 − confidence: n = ⌈ln(1 − confidence) / ln(1 − p)⌉." });
lab.checkClose("trialsNeeded(0.5, 0.95)", trialsNeeded(0.5, 0.95), 5, { hint: "0.5⁴ = 0.0625 > 0.05, 0.5⁵ ≈ 0.031 ≤ 0.05." });
{
  const needed = { plain: trialsNeeded(chanceOfGoodRate(widths.plain, 5), 0.95), normalized: trialsNeeded(chanceOfGoodRate(widths.normalized, 5), 0.95) };
  show.markdown(`Blind log-uniform draws for a 95 % chance of at least one good α: **${needed.plain} without BN**, **${needed.normalized} with BN**.`);
  console.log(String(lab.checkTrue("with BN fewer blind draws are needed", needed.normalized < needed.plain)));
}

// %% [markdown]
// **Inline question 1 (continued).** Your prediction against the run (the cell below) — and: does the answer contradict the
// claim that BN makes the learning rate easier to tune? What would you report to someone choosing $\alpha$ blind?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below compares your prediction with the run (a wrong prediction is reported, not an error); it fails only if the run no
// longer shows what the summary says: in this run the single best trial is one without BN.

// %%
{
  const best = lab.bestResult(sweepResults, "validationAccuracy");
  const measured = best.config.batchNorm === true ? "with BN" : "without BN";
  console.log(predictQ1() === measured ? `✓ your prediction "${predictQ1()}" matches the run.`
    : `✗ you predicted "${predictQ1()}", the run says "${measured}": BN widens the plateau of good rates; it does not raise its top.`);
  console.log(String(lab.checkTrue("the text's claim: the single best trial is one without BN", measured === "without BN", "The run changed: update the text above and the summary.")));
  const describe = (r: lab.TrialResult) => `α = ${Number(r.config.learningRate).toPrecision(3)}, validation accuracy ${r.metrics.validationAccuracy.toFixed(3)}`;
  show.markdown(`Best trial without BN: ${describe(lab.bestResult(plain, "validationAccuracy"))} · best trial with BN: ${describe(lab.bestResult(normalized, "validationAccuracy"))}.`);
}

// %% [markdown]
// ## Summary
//
// BatchNorm widens the range of learning rates that train well (measured above: the width in decades with and without BN), which is
// one more reason, after notebooks 01–10, to use it: *use BN to speed learning up* (当作加速学习的方式), as the lecture text says. In this
// run the single best trial is one without BN (inline question 1); what BN buys is the wide plateau.
//
// **In PyTorch:** the same sweep is a loop over `lr` in `torch.logspace(-3, 2, 11)`, building each model with or without
// `nn.BatchNorm1d` after every hidden `nn.Linear`.
//
// Next: [15 · Implement Batch Normalization yourself](15-implement-bn-yourself.ipynb).
