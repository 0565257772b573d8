// %% [markdown]
// # 12 · Tuning (调参): random search, the right scale, coarse to fine
//
// **Lecture section 2.4.3** (掌握基本的超参数以及调参技巧). In our words: tuning is a search with a budget; spend it where the
// hyperparameters matter and on the scale on which they act. 用我们自己的话说：调参是在有限预算下的搜索，要把预算花在重要的超参数上，
// 并在它们起作用的尺度（对数尺度）上取样。
//
// [Notebook 11](11-hyperparameters-optimizers.ipynb) named the learning rate (学习率) $\alpha$ the first hyperparameter to tune. How do we *find* a good
// one, and the others, with a limited budget of training runs? Three habits from deeplearning.ai
// (Course 2, week 3) and CS231n, each measured here on our MLP:
//
// 1. **Random search beats grid search** (随机搜索 vs 网格搜索): same budget, many more distinct values
//    of the hyperparameter that matters.
// 2. **Sample on the right scale** (对数尺度): $\alpha = 10^r$, and $\beta = 1 - 10^r$ for averages near 1.
// 3. **Coarse to fine** (由粗到细): search wide, then zoom into the region of the best trials — and
//    watch for an optimum at the edge of the range.
//
// **Budget.** Each trial trains the spiral MLP of notebook 11 (`lab.mlpTrial`, 2 → 64 → 64 → 3) for
// 5–10 epochs, about 0.1–0.2 s of CPU; the notebook runs 70 trials, about 16 s of CPU in all (kernel
// start included, measured on a shared 2-core machine). Terms: see the [glossary](../docs/glossary.md).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. Random search beats grid search
//
// Two hyperparameters, a budget of 16 training runs. With momentum (EWA form) the learning rate
// $\alpha$ matters far more than the momentum coefficient $\beta$ in $[0.8, 0.95]$ (Exercise 1 measures by how much: in our run
// the column means span 0.57 across $\alpha$, the largest spread within a column is 0.13). A
// $4\times4$ **grid** spends its 16 runs on only **4** values of $\alpha$ (each tried with 4 values of
// $\beta$, which change much less); **random** sampling tries **16** different values of $\alpha$.
//
// ### Exercise 1 — predict what the grid will show
// The grid below tries 4 values of $\alpha$ (log-uniform in $[10^{-3}, 1]$), each with 4 values of $\beta \in [0.8, 0.95]$, 5 epochs per
// trial. Before it runs, predict: will the validation accuracy vary more across the 4 values of α (`"alpha"`: the range of the
// columns' mean accuracies) or more across the 4 values of β (`"beta"`: the largest spread within a column)? The cell after the
// figure compares (a wrong prediction is reported, not an error).

// %%
function predictGrid(): "alpha" | "beta" {
  // BEGIN SOLUTION
  return "alpha";
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("exercise 1: prediction recorded", ["alpha", "beta"].includes(predictGrid()), "Return \"alpha\" or \"beta\".")));

// %% [markdown]
// A helper for the comparison: how many *different* values of one hyperparameter a list of trials tries.

// %%
/** How many different values of hyperparameter `name` the trials try. */
function distinctValues(trials: lab.Trial[], name: string): number {
  return new Set(trials.map((t) => t.config[name])).size;
}

// %% [markdown]
// Both plans for two knobs, α on a log scale and β uniform: a 4 × 4 grid and 16 random trials, 16 runs each. Before training
// anything, count what each plan tries:

// %%
const twoKnobs = { learningRate: lab.logUniform(1e-3, 1), beta: lab.uniform(0.8, 0.95) };
const base = { optimizer: "momentum", epochs: 5 }; // fixed settings added to every trial
const gridPlan = lab.gridTrials(twoKnobs, { points: 4, seed: 1 });
const randomPlan = lab.randomTrials(twoKnobs, { count: 16, seed: 1 });
lab.checkTrue("the grid tries 4 learning rates", distinctValues(gridPlan, "learningRate") === 4, "A 4×4 grid repeats each of its 4 values of α four times.");
lab.checkTrue("random search tries 16 learning rates", distinctValues(randomPlan, "learningRate") === 16, "Count the different values, e.g. with a Set.");
lab.checkTrue("the grid tries 4 values of β", distinctValues(gridPlan, "beta") === 4);

// %% [markdown]
// Now train all 32 trials (momentum SGD, 5 epochs each on the spirals) and plot each search's validation accuracy against α:

// %%
const withBase = (trials: lab.Trial[]) => trials.map((t) => ({ ...t, config: { ...t.config, ...base } }));
// show.searchProgress(label): one line per search, rewritten after each trial
const gridResults = await lab.runSearch(withBase(gridPlan), lab.mlpTrial, { onResult: show.searchProgress("grid search") });
const randomResults = await lab.runSearch(withBase(randomPlan), lab.mlpTrial, { onResult: show.searchProgress("random search") });
show.plot(lab.searchScatter([{ name: "grid 4 × 4", results: gridResults }, { name: "random, 16 trials", results: randomResults }],
  { parameter: "learningRate", metric: "validationAccuracy", title: "Same budget of 16 runs: what each search learns about α", xTitle: "learning rate α", yTitle: "validation accuracy after 5 epochs" }));
const bestOf = (results: lab.TrialResult[]) => lab.bestResult(results, "validationAccuracy");
const describeBest = (name: string, results: lab.TrialResult[]) =>
  `best ${name} trial: α = ${Number(bestOf(results).config.learningRate).toPrecision(3)}, validation accuracy ${bestOf(results).metrics.validationAccuracy.toFixed(3)}`;
show.markdown(`${describeBest("grid", gridResults)} · ${describeBest("random", randomResults)}`);

// %% [markdown]
// *What to look at:* the grid's 16 points stand in 4 vertical columns — 4 runs per value of $\alpha$.
// Within a column the accuracy moves only through $\beta$ and each trial's own random initialization;
// across columns it goes from about 30% to 97%. So the grid spent 12 of its 16 runs re-measuring
// 4 points of the curve, and where its best trial lands depends on where those 4 columns happen to
// fall. The random points trace the accuracy-vs-$\alpha$ curve at 16 places, showing where it rises
// and how steeply. With $d$ hyperparameters of which one matters, a grid of $n^d$ runs tries $n$
// values of it; random search tries $n^d$.
//
// The cell below compares your prediction of exercise 1 with the run (a wrong prediction is reported, not an error); it fails only
// if the run no longer shows what the text above says: the accuracy varies more across α than across β.

// %%
{
  const columns = new Map<number, number[]>(); // α → the 4 accuracies of its column (one per β)
  for (const r of gridResults) columns.set(Number(r.config.learningRate), [...(columns.get(Number(r.config.learningRate)) ?? []), r.metrics.validationAccuracy]);
  const means = [...columns.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const acrossAlpha = Math.max(...means) - Math.min(...means);
  const acrossBeta = Math.max(...[...columns.values()].map((v) => Math.max(...v) - Math.min(...v)));
  const measured = acrossAlpha > acrossBeta ? "alpha" : "beta";
  console.log(`range of the column means (across α): ${acrossAlpha.toFixed(3)} · largest spread within a column (across β): ${acrossBeta.toFixed(3)} → varies more across ${measured}`);
  console.log(predictGrid() === measured ? `✓ exercise 1: your prediction "${predictGrid()}" matches the run.`
    : `✗ exercise 1: you predicted "${predictGrid()}", the run says "${measured}": α sets the size of every step, β only how much of the past each step keeps.`);
  console.log(String(lab.checkTrue("the text's claim: the accuracy varies more across α than across β", measured === "alpha", "The run changed: update the text above and the teacher's answer.")));
}

// %% [markdown]
// **Inline question 1.** Add a third hyperparameter that hardly matters (say the number of hidden units). A $4\times4\times4$
// grid now costs 64 runs: how many distinct values of $\alpha$ does it try, and how many does random search with
// the same 64 runs? What does that say about grid search as the number of hyperparameters grows?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): { grid: number; random: number } {
  // BEGIN SOLUTION
  return { grid: 4, random: 64 };
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const threeKnobs = { learningRate: lab.logUniform(1e-3, 1), beta: lab.uniform(0.8, 0.95), hiddenUnits: lab.uniform(32, 256) };
  const learningRates = (trials: lab.Trial[]) => new Set(trials.map((t) => t.config.learningRate)).size;
  const measured = {
    grid: learningRates(lab.gridTrials(threeKnobs, { points: 4, seed: 1 })),
    random: learningRates(lab.randomTrials(threeKnobs, { count: 64, seed: 1 })),
  };
  const answer = answerQ1();
  console.log(String(lab.checkTrue("inline question 1: values of α tried by a 4 × 4 × 4 grid", answer.grid === measured.grid, "A grid repeats each value of α for every combination of the other two.")));
  console.log(String(lab.checkTrue("inline question 1: values of α tried by 64 random trials", answer.random === measured.random, "Every random trial draws its own α.")));
}

// %% [markdown]
// ## 2. The right scale
//
// Sampling $\alpha$ **uniformly** in $[10^{-4}, 1]$ puts 90% of the samples in $[0.1, 1]$: the
// decades $[10^{-4}, 10^{-3}]$, $[10^{-3}, 10^{-2}]$, $[10^{-2}, 10^{-1}]$ — where good learning rates
// often are — share the other 10%. Sampling the **exponent** uniformly gives every decade the same share:
//
// $$ r \sim U[\log_{10} a,\ \log_{10} b], \qquad \alpha = 10^{r}. $$
//
// ### Exercise 2 — a log-uniform sampler
// Write `sampleLogUniform(rng, low, high)` with one call to `rng.uniform(lowExponent, highExponent)`.

// %%
function sampleLogUniform(random: lab.Rng, low: number, high: number): number {
  // BEGIN SOLUTION
  return 10 ** random.uniform(Math.log10(low), Math.log10(high));
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `sampleLogUniform` and fails, with a hint, when its result is wrong.

// %%
const mine = Array.from({ length: 5 }, ((r) => () => sampleLogUniform(r, 1e-4, 1))(lab.makeRng(7)));
const library = Array.from({ length: 5 }, ((r) => () => lab.logUniform(1e-4, 1).sample(r))(lab.makeRng(7)));
lab.checkClose("five log-uniform draws (seed 7) against lab.logUniform", mine, library, { tolerance: 1e-9, hint: "r = rng.uniform(log₁₀ low, log₁₀ high), then α = 10 ** r." });

// %% [markdown]
// 2 000 samples of α in $[10^{-4}, 1]$ drawn uniformly and drawn with your `sampleLogUniform`, as histograms of $\log_{10}\alpha$, and the share
// of each decade in a table:

// %%
const uniformSamples = Array.from({ length: 2000 }, () => lab.uniform(1e-4, 1).sample(rng));
const logSamples = Array.from({ length: 2000 }, () => sampleLogUniform(rng, 1e-4, 1));
show.plot(lab.histogram([
  { name: "uniform in [1e-4, 1]", values: uniformSamples.map(Math.log10) },
  { name: "log-uniform: α = 10^r", values: logSamples.map(Math.log10) },
], { title: "2000 samples of the learning rate α, on a log₁₀ axis", xTitle: "log₁₀ α", bins: 40 }));
const share = (values: number[], low: number, high: number) => (100 * values.filter((v) => v >= low && v < high).length / values.length).toFixed(1);
show.markdown("| decade | uniform | log-uniform |\n|---|---|---|\n" + [-4, -3, -2, -1].map((d) =>
  `| [1e${d}, 1e${d + 1}) | ${share(uniformSamples, 10 ** d, 10 ** (d + 1))}% | ${share(logSamples, 10 ** d, 10 ** (d + 1))}% |`).join("\n"));

// %% [markdown]
// *What to look at:* the uniform samples pile up at $\log_{10}\alpha \approx 0$ (about 90% in the top
// decade, almost none below $10^{-2}$); the log-uniform samples are flat across the four decades, 25% each.

// %% [markdown]
// **Inline question 2.** Suppose the good learning rates lie in $[10^{-4}, 10^{-2}]$. What share (in %) of the uniform samples
// above lands there? About how many uniform trials would you need to get 10 trials into that range, and how many
// log-uniform ones?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ2(): number {
  // BEGIN SOLUTION
  return 100 * (1e-2 - 1e-4) / (1 - 1e-4); // the length of [1e-4, 1e-2] over the length of [1e-4, 1], in %
  // END SOLUTION
}

// %% [markdown]
// The check below compares your answer with what this notebook measured, and gives a hint when they differ.

// %%
{
  const measured = (100 * uniformSamples.filter((v) => v < 1e-2).length) / uniformSamples.length;
  console.log(String(lab.checkTrue("inline question 2: share of uniform samples in [1e-4, 1e-2], in %", Math.abs(answerQ2() - measured) <= 0.5, "Add the first two rows of the uniform column, or compare the lengths of the intervals.")));
}

// %% [markdown]
// ### β near 1: sample $1-\beta$ on a log scale
// An average with coefficient $\beta$ spans about $1/(1-\beta)$ steps. Near 1 this is very sensitive:
//
// | β | 0.9 | 0.9005 | 0.99 | 0.999 | 0.9995 |
// |---|---|---|---|---|---|
// | $1/(1-\beta)$ | 10 | 10.05 | 100 | 1000 | 2000 |
//
// A change of 0.0005 does nothing at 0.9 and doubles the window at 0.999. So for $\beta \in [0.9, 0.999]$
// sample $1 - \beta = 10^r$ with $r \sim U[-3, -1]$ (`lab.oneMinusLogUniform(0.9, 0.999)`): as many
// samples in $[0.99, 0.999]$ as in $[0.9, 0.99]$.
//
// ### Exercise 3 — sample β through 1 − β
// Write `sampleBeta(rng, low, high)` returning $\beta = 1 - 10^r$, $r \sim U[\log_{10}(1-\text{high}), \log_{10}(1-\text{low})]$.

// %%
function sampleBeta(random: lab.Rng, low: number, high: number): number {
  // BEGIN SOLUTION
  return 1 - 10 ** random.uniform(Math.log10(1 - high), Math.log10(1 - low));
  // END SOLUTION
}

// %% [markdown]
// The check below runs your `sampleBeta` and fails, with a hint, when its result is wrong.

// %%
const betas = Array.from({ length: 2000 }, () => sampleBeta(rng, 0.9, 0.999));
lab.checkTrue("every β lies in [0.9, 0.999]", betas.every((b) => b >= 0.9 && b <= 0.999), "r runs from log₁₀(1 − 0.999) = −3 to log₁₀(1 − 0.9) = −1.");
const belowPoint99 = betas.filter((b) => b < 0.99).length / betas.length;
lab.checkClose("share of β in [0.9, 0.99)", belowPoint99, 0.5, { tolerance: 0.1, hint: "On the right scale half of the samples fall in [0.9, 0.99) and half in [0.99, 0.999]; uniform β would give 91%." });

// %% [markdown]
// The same comparison for β, on the axis that matters — how many steps the average spans, $1/(1-\beta)$:

// %%
const uniformBetas = Array.from({ length: 2000 }, () => lab.uniform(0.9, 0.999).sample(rng));
show.plot(lab.histogram([
  { name: "β uniform in [0.9, 0.999]", values: uniformBetas.map((b) => Math.log10(1 / (1 - b))) },
  { name: "1 − β = 10^r (log scale)", values: betas.map((b) => Math.log10(1 / (1 - b))) },
], { title: "How many steps the average spans, for 2000 samples of β", xTitle: "log₁₀ 1/(1 − β)  (1 = 10 steps, 3 = 1000 steps)", bins: 40 }));

// %% [markdown]
// *What to look at:* with uniform $\beta$ most samples average only 10–100 steps (left); sampling
// $1-\beta$ on a log scale spreads them evenly from 10 to 1000 steps.

// %% [markdown]
// ## 3. Coarse to fine (由粗到细) on the MLP — and the edge of the range
//
// First a coarse sweep of $\alpha$ alone for plain SGD, 10 epochs, over a range that turns out to be
// too narrow: 8 log-spaced values in $[10^{-3}, 10^{-1}]$ (with a single hyperparameter a grid wastes
// nothing). Hopeless trials are **stopped early**: after 2 epochs a trial below 40% validation
// accuracy (chance is 33%) is dropped; a trial whose loss explodes is recorded as **failed** by
// `fit`'s divergence check, and the search goes on.

// %% [markdown]
// **Inline question 3 — predict first.** Before the sweep runs, record your prediction: where in its range $[10^{-3}, 10^{-1}]$
// will the best of the 8 trials lie — on the lower edge, inside, or on the upper edge? (Hint: notebook 11 trained its spiral MLP
// with SGD at $\alpha = 0.3$.) A cell after the run compares.

// %%
function predictQ3(): "lower edge" | "inside" | "upper edge" {
  // BEGIN SOLUTION
  return "upper edge";
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 3: prediction recorded", ["lower edge", "inside", "upper edge"].includes(predictQ3()), "Return \"lower edge\", \"inside\" or \"upper edge\".")));

// %% [markdown]
// The coarse sweep: 8 grid points of α, SGD for 10 epochs each, with the early-stop rule; then the 5 best trials and any warning.

// %%
const sgd = { optimizer: "sgd", epochs: 10 };
const earlyStop: lab.EarlyStopRule = { metric: "validationAccuracy", below: 0.4, afterEpochs: 2 };
const narrowRange = { learningRate: lab.logUniform(1e-3, 1e-1) };
const tooNarrow = await lab.runSearch(lab.gridTrials(narrowRange, { points: 8, seed: 2 }).map((t) => ({ ...t, config: { ...t.config, ...sgd } })),
  lab.mlpTrial, { earlyStop, onResult: show.searchProgress("coarse sweep of [1e-3, 1e-1]") });
show.markdown(lab.formatResults(tooNarrow, { sortBy: "validationAccuracy", top: 5 }));
for (const warning of lab.edgeWarnings(narrowRange, tooNarrow, { metric: "validationAccuracy" })) show.markdown(`**Warning.** ${warning}`);

// %% [markdown]
// *What to look at:* accuracy still rises at the top of the range and the best trial sits on its
// upper edge: a finer search *inside* $[10^{-3}, 10^{-1}]$ can never find the better rates above it. So widen the range to
// $[10^{-4}, 10]$ and run three coarse-to-fine rounds of 10 trials. After each round the range shrinks,
// on the log scale, to the span of the 4 best trials so far (plus 10% margin).

// %%
const wideRange = { learningRate: lab.logUniform(1e-4, 10) };
const runRound = (trials: lab.Trial[]) => lab.runSearch(trials.map((t) => ({ ...t, config: { ...t.config, ...sgd } })), lab.mlpTrial,
  { earlyStop, onResult: show.searchProgress(`round ${trials[0].round + 1}`) });
const rounds = await lab.coarseToFine(wideRange, runRound, { rounds: 3, trialsPerRound: 10, seed: 3, metric: "validationAccuracy", topK: 4 });
show.plot(lab.searchScatter(rounds.map((r) => ({ name: `round ${r.round + 1}: ${r.space.learningRate.describe()}`, results: r.results })),
  { parameter: "learningRate", metric: "validationAccuracy", title: "Coarse to fine: validation accuracy against α, round by round", xTitle: "learning rate α", yTitle: "validation accuracy after 10 epochs" }));

// %% [markdown]
// *What to look at:* round 1 (blue) spreads over five decades: rates below $10^{-2}$ learn little in
// 10 epochs, and rates of a few units bounce around at chance level and are stopped early (the legend
// counts the stopped trials; none diverged in this run — one that did would be recorded as failed).
// Rounds 2 and 3 put all their trials into the good region, around $\alpha \approx 0.1$–$0.5$, where
// the differences between trials become visible.

// %%
const allTrials = rounds.flatMap((r) => r.results);
show.markdown(lab.formatResults(allTrials, { sortBy: "validationAccuracy", top: 8 }));
const counts = ["ok", "stopped", "failed"].map((s) => `${allTrials.filter((r) => r.status === s).length} ${s}`).join(", ");
show.markdown(`${allTrials.length} trials: ${counts}. Warnings for the final round: ${lab.edgeWarnings(rounds[2].space, rounds[2].results, { metric: "validationAccuracy" }).join(" ") || "none — the best α lies inside the range."}`);

// %% [markdown]
// **Inline question 3 (continued).** Your prediction against the run (the cell below) — and: why can no number of finer rounds
// inside that range fix it, and what told you so before you spent the budget?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below compares your prediction with the run (a wrong prediction is reported, not an error); it fails only if the run no
// longer shows what the text above says: the best α of the narrow sweep sits on its upper edge.

// %%
{
  const bestRate = Number(lab.bestResult(tooNarrow, "validationAccuracy").config.learningRate);
  const measured = Math.abs(bestRate / 1e-1 - 1) < 1e-9 ? "upper edge" : Math.abs(bestRate / 1e-3 - 1) < 1e-9 ? "lower edge" : "inside";
  console.log(`best α of the narrow sweep: ${bestRate.toPrecision(3)} → ${measured}`);
  console.log(predictQ3() === measured ? `✓ your prediction "${predictQ3()}" matches the run.`
    : `✗ you predicted "${predictQ3()}", the run says "${measured}": in 10 epochs accuracy still rises with α up to 10⁻¹, so the best trial is the largest rate tried.`);
  console.log(String(lab.checkTrue("the text's claim: the best α of the narrow sweep is on its upper edge", measured === "upper edge", "The run changed: update the text above.")));
}

// %% [markdown]
// **Takeaways.** (1) Under a fixed budget, random search explores the important hyperparameter far
// better than a grid. (2) Sample $\alpha$ on a log scale and $\beta$ through $1-\beta$ on a log scale.
// (3) Coarse to fine spends the budget where it matters — but first check that the best trial is not
// at the edge of the range.
//
// **In PyTorch** there is no built-in search; one random trial on the right scales is a few lines (`random` is Python's module):
//
// ```python
// lr = 10 ** random.uniform(-4, 0)                 # α log-uniform in [1e-4, 1]
// beta = 1 - 10 ** random.uniform(-3, -1)          # β in [0.9, 0.999], sampled through 1 − β
// optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=beta)   # PyTorch's momentum is the sum form (notebook 11)
// ```
//
// Next: [**13**](13-pandas-or-caviar.ipynb), running many trials at once (caviar), and
// [**14**](14-bn-and-learning-rates.ipynb), how BatchNorm widens the range of good learning rates.
