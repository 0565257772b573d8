// %% [markdown]
// # 00 · Start here
//
// This kit teaches Batch Normalization (批标准化) with TypeScript notebooks and a small, exact
// float64 library, `lib/`. This first notebook shows how to run a notebook and what the library
// and its display helpers look like, in a few seconds of computing. The Chinese and English terms of
// the lecture are collected in the [glossary 术语表](../docs/glossary.md).
//
// **The lecture.** The course follows the Chinese lecture text *BN与神经网络调优(二)* (Batch Normalization and network tuning,
// part 2): 2.4.2.1 the BN formulas (notebooks 01–03, and BN at test time, 05–06), 2.4.2.2 why BN makes optimization
// easier — internal covariate shift (04, 07), 2.4.2.3 the summary: slight regularization (08), the gradient problem (09), and
// 2.4.3 the goals: hyperparameters and tuning (11–14). 10 (LayerNorm), 15 (implement BN yourself) and 16 (BN for images) go
// beyond the text. Each notebook names its section and restates its point in Chinese and English; the text itself is not shipped.
//
// **Running a notebook**
//
// - **Shift-Enter** runs the selected cell and moves to the next one. Cells share their variables,
//   so run them **top to bottom**: *Cell → Run All* (classic Notebook) or *Run → Run All Cells*
//   (JupyterLab, VS Code).
// - A cell shows `[*]` while it runs and a number when it is done. An error prints in red under
//   the cell, and the cells after it do not run.
// - `npm start` rebuilds the library whenever a file in `lib/` changes, but a running kernel keeps
//   the version it loaded: after a change, **restart the kernel** (*Kernel → Restart*) and run all again.
// - The kernel is *TypeScript* (tslab). Type errors are reported before the cell runs.
//
// The first code cell only imports: `lab` is the library, `show` the notebook display helpers
// (tables, formulas, figures), `math` is [mathjs](https://mathjs.org) for formulas.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";
import * as math from "mathjs";

// %% [markdown]
// Every random number comes from one seeded generator, so a re-run gives the same numbers, digit for digit.

// %%
const rng = lab.makeRng(1337);

// %% [markdown]
// ## The library in five cells
//
// **1 · Data.** A toy data set: three interleaved spirals in the plane, 100 points each. The
// inputs are a `Matrix` `x` of shape $[N, D] = [300, 2]$ (one row per example) and the labels
// `y` are the class numbers 0, 1, 2.

// %%
const spiral = lab.makeSpiral({ pointsPerClass: 100, classes: 3, rng });
show.matrix(spiral.x, { name: "spiral.x", maxRows: 6 });
show.plot(lab.classScatter(spiral, { title: "Three spirals: 300 points, 3 classes", xTitle: "x₁ (input feature 1)", yTitle: "x₂ (input feature 2)" }));

// %% [markdown]
// *Above: the first and last rows of `spiral.x`, then the points coloured by class. No straight
// line separates the classes, so a linear model cannot classify them; a small network can.*
//
// **2 · A formula.** Batch normalization first normalizes each feature over the mini-batch.
// mathjs parses the formula, renders it, and evaluates it:

// %%
const normalize = math.parse("(x - mu) / sqrt(sigma^2 + epsilon)");
show.latex(normalize);
console.log("x = 3, μ = 1, σ = 2, ε = 1e-5  →", normalize.evaluate({ x: 3, mu: 1, sigma: 2, epsilon: 1e-5 }));

// %% [markdown]
// *A value 3 that sits one standard deviation (σ = 2) above the mean (μ = 1) normalizes to ≈ 1.*
//
// **3 · The same in `lib/`.** `batchNormForward` normalizes every column of a batch and then
// scales and shifts it with the learned $\gamma$ and $\beta$. With $\gamma = 1$ and $\beta = 0$
// each output column has mean 0 and variance 1 (up to ε):

// %%
const batch = spiral.x.selectRows([0, 50, 100, 150, 200, 250]);
const gamma = lab.Matrix.full(1, 2, 1);
const beta = lab.Matrix.zeros(1, 2);
const normalized = lab.batchNormForward(batch, gamma, beta, 1e-5);
show.matrix(batch, { name: "batch" });
show.matrix(normalized.out, { name: "normalized batch" });
show.matrix(normalized.out.meanRows(), { name: "mean of each column after BN" });

// %% [markdown]
// **4 · A model.** A multilayer perceptron with two hidden layers of 32 units, each followed by
// BatchNorm1d and a ReLU. The summary lists each layer, the shape of its output ($N$ = any batch
// size) and its number of learned parameters.

// %%
const model = lab.mlp({ inputSize: 2, hiddenSizes: [32, 32], outputSize: 3, activation: "relu", batchNorm: true, rng });
show.summary(model, 2);

// %% [markdown]
// *The two `Linear` layers before a BatchNorm1d have no bias (2 × 32 = 64 and 32 × 32 = 1024
// weights): BN's β does the bias's job. Each BatchNorm1d learns γ and β, 2 × 32 = 64 numbers.*
//
// **5 · Training, live.** `lab.fit` runs mini-batch training with Adam. `show.liveTraining()`
// redraws the progress line (at most 10 times a second) and the curves (every 2 s) while it runs.

// %%
const { train, validation } = lab.trainValidationSplit(spiral, { validationFraction: 0.2, rng });
const live = show.liveTraining({ title: "Training an MLP with BatchNorm on the spirals", totalEpochs: 40 });
const history = await lab.fit(model, train, {
  epochs: 40,
  batchSize: 32,
  optimizer: new lab.Adam(model.parameters(), { learningRate: 0.01 }),
  rng,
  validation,
  onStep: live.onStep,
  onEpoch: live.onEpoch,
});
await live.finish(history);

// %% [markdown]
// *Left: the loss of every mini-batch, on a log scale: it falls by more than a decade and stays
// noisy, because each step sees only 32 examples; the smoothed line shows the trend. Right: the fraction of points classified correctly after each
// epoch, on the training set and on the 60 held-out validation points.*
//
// Finally, the regions the trained network assigns to each class. `model.eval()` switches
// BatchNorm to its running statistics, so each grid point is classified on its own.

// %%
model.eval();
show.plot(lab.decisionBoundary((grid) => model.forward(grid), spiral, { title: "Decision regions of the trained network", xTitle: "x₁ (input feature 1)", yTitle: "x₂ (input feature 2)" }));
console.log(`validation accuracy after ${history.epochs} epochs: ${history.validationAccuracy[history.validationAccuracy.length - 1].toFixed(3)}`);

// %% [markdown]
// *The coloured background is the predicted class at each point, the dots the data: the
// boundaries follow the spiral arms.*
//
// **Next:** the numbered notebooks take these steps one idea at a time, starting with what
// BatchNorm computes.
