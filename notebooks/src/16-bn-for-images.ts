// %% [markdown]
// # 16 · Batch Normalization for images: one γ, β per channel (BatchNorm2d)
//
// Section 2.4.2.1 of the lecture text normalizes each hidden **unit** over the mini-batch. A convolutional layer
// has one unit per channel **and per position**, yet the same filter computed all of a channel's values. Ioffe &
// Szegedy (2015, §3.2) therefore normalize a channel as one feature:
//
// > "For convolutional layers, we additionally want the normalization to obey the convolutional property – so that
// > different elements of the same feature map, at different locations, are normalized in the same way. To achieve
// > this, we jointly normalize all the activations in a mini-batch, over all locations. […] for a mini-batch of size
// > $m$ and feature maps of size $p \times q$, we use the effective mini-batch of size $m' = |\mathcal B| = m \cdot pq$. We learn a
// > pair of parameters $\gamma^{(k)}$ and $\beta^{(k)}$ per feature map, rather than per activation."
//
// *2.4.2.1 restated for images:* the "unit" of the formulas is a channel; its mean and variance run over the batch
// **and** all positions. 对图像(卷积层),公式中的"单元"是一个通道:均值和方差在整个批次**和**所有位置上计算,每个通道一对 $\gamma, \beta$。
//
// 1. The smallest convolution that shows it: four 3×3 filters on MNIST digits
// 2. Per-channel statistics by hand (Exercise 1), then `lab.BatchNorm2d`
// 3. Why per channel and not per position: the convolutional property, measured (inline question)
// 4. The gradient, checked
//
// Shapes: a batch of feature maps $[N, C, H, W]$ is stored as a `Matrix` $[N, C \cdot H \cdot W]$ — one row per image, the $C$ channels
// one after the other, each channel's $H \times W$ values row by row (PyTorch's memory order), so $(n, c, h, w)$ is
// `x.get(n, c·H·W + h·W + w)`. Chinese terms: [glossary](../docs/glossary.md).

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

const rng = lab.makeRng(1337); // the seeded generator for this notebook's random numbers

// %% [markdown]
// ## 1. Four filters on 64 digits
//
// 64 training images of 28×28 pixels ($[64, 784]$, values in $[0, 1]$). A "valid" 3×3 convolution (卷积) with filter $K_c$
// gives channel $c$ of size 26×26:
//
// $$y[n, c, i, j] = \sum_{a=0}^{2}\sum_{b=0}^{2} K_c[a, b]\; x[n, i + a, j + b]$$
//
// We pick four fixed filters that respond very differently (no training is needed to see per-channel statistics):
// a blur, a vertical-edge and a horizontal-edge detector, and a centre-minus-surround spot detector.

// %%
const digits = lab.loadMnist({ trainLimit: 64, testLimit: 1 }).train.x; // [64, 784]
const filters = [
  [[1, 1, 1], [1, 1, 1], [1, 1, 1]].map((row) => row.map((v) => v / 9)), // blur
  [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], // vertical edges (Sobel)
  [[-1, -2, -1], [0, 0, 0], [1, 2, 1]], // horizontal edges (Sobel)
  [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], // spot: centre minus surround
];
const filterNames = ["blur", "vertical edges", "horizontal edges", "spot"];
/** Valid 3×3 convolution of square images [N, S·S] with the filters: [N, C·(S−2)·(S−2)], channel after channel. */
function conv3x3(images: lab.Matrix, kernels: number[][][], size = 28): lab.Matrix {
  const out = size - 2;
  const y = new lab.Matrix(images.rows, kernels.length * out * out);
  for (let n = 0; n < images.rows; n++)
    kernels.forEach((K, c) => {
      for (let i = 0; i < out; i++)
        for (let j = 0; j < out; j++) {
          let sum = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) sum += K[a][b] * images.get(n, (i + a) * size + j + b);
          y.set(n, c * out * out + i * out + j, sum);
        }
    });
  return y;
}
const maps = conv3x3(digits, filters); // [64, 4·26·26] = [64, 2704]
console.log("feature maps:", maps.shape, "= [N, C·H·W] with N = 64, C = 4, H = W = 26");

// %% [markdown]
// ## 2. Per-channel statistics
//
// For channel $c$, the mean and the (biased) variance over all $m' = N \cdot H \cdot W$ values of that channel:
//
// $$\mu_c = \frac{1}{NHW}\sum_{n,h,w} y[n,c,h,w], \qquad \sigma_c^2 = \frac{1}{NHW}\sum_{n,h,w}\big(y[n,c,h,w]-\mu_c\big)^2$$
//
// ### Exercise 1 · Channel statistics
//
// Return $\mu$ and $\sigma^2$, both $[1, C]$, for maps `x` $[N, C \cdot H \cdot W]$ with `channels` $= C$ (so $H \cdot W$ = `x.cols / channels`). Loops only.

// %%
function channelStatistics(x: lab.Matrix, channels: number): { mean: lab.Matrix; variance: lab.Matrix } {
  // BEGIN SOLUTION
  const spatial = x.cols / channels; // H·W
  const count = x.rows * spatial; // m' = N·H·W
  const [mean, variance] = [new lab.Matrix(1, channels), new lab.Matrix(1, channels)];
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < x.rows; n++) for (let p = 0; p < spatial; p++) sum += x.get(n, c * spatial + p);
    mean.set(0, c, sum / count);
    let squares = 0;
    for (let n = 0; n < x.rows; n++) for (let p = 0; p < spatial; p++) squares += (x.get(n, c * spatial + p) - mean.get(0, c)) ** 2;
    variance.set(0, c, squares / count);
  }
  return { mean, variance };
  // END SOLUTION
}

// %% [markdown]
// The check compares with the library, which computes the same numbers by rearranging the maps into a matrix
// $[N \cdot H \cdot W, C]$ with one row per position (`lab.toChannelsLast`) and taking BatchNorm1d's statistics down its columns.

// %%
{
  const answer = channelStatistics(maps, 4);
  const library = lab.batchNormForward(lab.toChannelsLast(maps, 4), lab.Matrix.full(1, 4, 1), lab.Matrix.zeros(1, 4), 1e-5);
  console.log(String(lab.checkShape("channel means shape", answer.mean, [1, 4], "One mean per channel: [1, C].")));
  console.log(String(lab.checkClose("channel means μ", answer.mean, library.mean, { tolerance: 1e-10, hint: "Sum channel c over every image n AND every position p (columns c·H·W … c·H·W + H·W − 1), divide by N·H·W. The library: batchNormForward(toChannelsLast(x, C), …).mean." })));
  console.log(String(lab.checkClose("channel variances σ²", answer.variance, library.variance, { tolerance: 1e-10, hint: "Biased: divide by N·H·W, not N·H·W − 1. The library: batchNormForward(toChannelsLast(x, C), …).variance." })));
}

// %% [markdown]
// The four channels have very different centres and spreads, and `lab.BatchNorm2d(4)` (PyTorch's `nn.BatchNorm2d`) brings each to
// mean 0 and variance 1 (with $\gamma = 1$, $\beta = 0$ at the start):

// %%
const bn2d = new lab.BatchNorm2d(4, { eps: 1e-8 }); // the lecture's ε
const normalizedMaps = bn2d.forward(maps);
const before = channelStatistics(maps, 4);
const after = channelStatistics(normalizedMaps, 4);
show.table(filterNames.map((name, c) => ({
  channel: `${c} · ${name}`, "mean before": before.mean.data[c], "variance before": before.variance.data[c],
  "mean after": after.mean.data[c], "variance after": after.variance.data[c],
})), { caption: "Per-channel statistics over 64 images × 26 × 26 positions (m′ = 43 264 values per channel)", digits: 3 });

// %% [markdown]
// A histogram of each channel's values, before and after (every 8th value, to keep the figure small):

// %%
{
  const channelValues = (x: lab.Matrix, c: number) => {
    const positions = lab.toChannelsLast(x, 4); // [N·H·W, C]: one row per position, one column per channel
    return Array.from({ length: positions.rows / 8 }, (_, k) => positions.get(8 * k, c));
  };
  show.plot(lab.sideBySide([
    lab.histogram(filterNames.map((name, c) => ({ name, values: channelValues(maps, c) })), { title: "before BN", xTitle: "conv output y", bins: 60, normalize: "probability density", logY: true }),
    lab.histogram(filterNames.map((name, c) => ({ name: `${name}, after`, values: channelValues(normalizedMaps, c) })), { title: "after BatchNorm2d", xTitle: "normalized value", bins: 60, normalize: "probability density", logY: true }),
  ], { title: "The four channels of the convolution, before and after per-channel BN", height: 420 }));
}

// %% [markdown]
// *Left: the blur channel lives in [0, 1] (mean 0.15, standard deviation 0.26 in the table); the two edge channels and
// the spot channel are centred near 0 and about four times wider (standard deviations 1.1, 1.1 and 1.0). Right: every
// channel is centred on 0 with spread 1 (the shapes stay: most pixels of a digit are background, so each channel has a
// tall peak at its background value). The y axes are logarithmic.*
//
// ## 3. Why per channel: the convolutional property
//
// The alternative would be to treat each of the $C \cdot H \cdot W = 2704$ values of a map as its own feature — `BatchNorm1d(2704)`,
// with 2704 pairs $(\gamma, \beta)$ instead of 4, each estimated from only $N = 64$ values. Many positions near the border are
// background in every digit, so their "feature" is constant:

// %%
{
  const perPosition = lab.batchNormForward(maps, lab.Matrix.full(1, 2704, 1), lab.Matrix.zeros(1, 2704), 1e-8);
  const constant = Array.from(perPosition.variance.data).filter((v) => v < 1e-12).length;
  console.log(`BatchNorm1d over positions: ${perPosition.variance.cols} means and variances, each from ${maps.rows} values; ${constant} positions are constant over the batch`);
  console.log(`BatchNorm2d: ${bn2d.runningMean.cols} means and variances, each from ${maps.rows * 26 * 26} values`);
}

// %% [markdown]
// The paper's reason is the **convolutional property**: a convolution treats every position alike, so moving the digit
// moves the feature map with it (away from the borders). Per-channel BN applies one affine map to all positions of a channel
// (in evaluation mode exactly: $\gamma_c (y - \mu_c)/\sqrt{\sigma_c^2 + \varepsilon} + \beta_c$), so it keeps that property; a per-position BN
// applies a different map at each position.
//
// **Inline question.** Shift every digit one pixel to the right (MNIST's border columns are blank, so nothing is lost). Predict, before
// running the next cell: after the convolution and BN in **evaluation mode** (statistics from the unshifted batch), is the output the
// unshifted output moved one pixel to the right — with `BatchNorm2d`, with per-position `BatchNorm1d(2704)`, with both, or with neither?

// %% [markdown]
// *Your answer:* …

// %%
function answerQ1(): "only BatchNorm2d" | "only per-position BatchNorm1d" | "both" | "neither" {
  // BEGIN SOLUTION
  return "only BatchNorm2d";
  // END SOLUTION
}

// %% [markdown]
// The run: both layers learn their statistics from the unshifted batch, switch to evaluation mode, and see the shifted digits.
// We compare the output at column $j + 1$ of the shifted digits with column $j$ of the original ones, for $j = 0 \dots 24$.

// %%
{
  const shifted = digits.map((_, n, k) => (k % 28 === 0 ? 0 : digits.get(n, k - 1))); // every image one pixel to the right
  const [perChannel, perPosition] = [new lab.BatchNorm2d(4, { eps: 1e-8, momentum: 1 }), new lab.BatchNorm1d(2704, { eps: 1e-8, momentum: 1 })];
  for (const layer of [perChannel, perPosition]) {
    layer.forward(maps); // momentum 1: the running statistics are this batch's
    layer.eval();
  }
  const largestMismatch = (layer: lab.Layer) => {
    const [original, moved] = [layer.forward(maps), layer.forward(conv3x3(shifted, filters))];
    let worst = 0;
    for (let n = 0; n < maps.rows; n++) for (let c = 0; c < 4; c++) for (let i = 0; i < 26; i++) for (let j = 0; j < 25; j++)
      worst = Math.max(worst, Math.abs(moved.get(n, c * 676 + i * 26 + j + 1) - original.get(n, c * 676 + i * 26 + j)));
    return worst;
  };
  const [mismatch2d, mismatch1d] = [largestMismatch(perChannel), largestMismatch(perPosition)];
  console.log(`largest |out(shifted)[j + 1] − out(original)[j]|: BatchNorm2d ${mismatch2d.toExponential(2)}, per-position BatchNorm1d ${mismatch1d.toExponential(2)}`);
  const equivariant = (m: number) => m < 1e-9;
  const measured = equivariant(mismatch2d) && equivariant(mismatch1d) ? "both" : equivariant(mismatch2d) ? "only BatchNorm2d" : equivariant(mismatch1d) ? "only per-position BatchNorm1d" : "neither";
  console.log(String(lab.checkTrue("inline question: which BN keeps the shift", answerQ1() === measured, "Which layer applies the same affine map at every position of a channel?")));
}

// %% [markdown]
// With `BatchNorm2d` the shifted output is the original output shifted, to rounding. Per position, each pixel gets its own
// $\mu$ and $\sigma$: where a position was always background, $\sigma^2 = 0$ and $\varepsilon = 10^{-8}$ turns any stroke that now lands there
// into a value of order $10^4$ — the edge case of notebook 01, at every border pixel.
//
// ## 4. The gradient
//
// `BatchNorm2d.backward` is BatchNorm1d's backward on the rearranged matrix. Finite differences agree, for the input maps
// and for $\gamma, \beta$ (random values, as always in a gradient check), on 3 images of a 4-channel 5×5 map:

// %%
{
  const small = new lab.Matrix(3, 4 * 25, rng.normalArray(300, 0.5, 2));
  const layer = new lab.BatchNorm2d(4, { eps: 1e-8 });
  layer.gamma.value.data.set(rng.normalArray(4, 1, 0.5));
  layer.beta.value.data.set(rng.normalArray(4, 0, 0.5));
  const dOut = new lab.Matrix(3, 100, rng.normalArray(300));
  layer.zeroGrad();
  layer.forward(small);
  const dX = layer.backward(dOut);
  console.log(String(lab.checkGradient("BatchNorm2d ∂ℓ/∂x", dX, { f: (v) => layer.forward(v), x: small, dOut })));
  const rows = lab.gradcheckParameters(layer.parameters(), () => layer.forward(small).mul(dOut).sum(), () => { layer.zeroGrad(); layer.forward(small); layer.backward(dOut); });
  console.log(lab.formatGradcheckReport(rows));
  console.log(String(lab.checkTrue("γ and β of BatchNorm2d pass the gradient check", rows.every((r) => r.passed))));
}

// %% [markdown]
// ### The same in PyTorch
//
// ```python
// import torch.nn as nn
// block = nn.Sequential(nn.Conv2d(1, 4, kernel_size=3, bias=False), nn.BatchNorm2d(4, eps=1e-8), nn.ReLU())
// y = block(x)              # x: [N, 1, 28, 28] -> y: [N, 4, 26, 26]; BatchNorm2d keeps 4 running means and variances
// y.reshape(len(y), -1)     # [N, 4*26*26]: the layout this kit stores
// ```
//
// ## Summary
//
// - For feature maps, BN's "unit" is a channel: $\mu_c$, $\sigma_c^2$ over the batch and all positions ($m' = N \cdot H \cdot W$ values), one $\gamma_c, \beta_c$.
// - `lab.BatchNorm2d` does exactly that (PyTorch's semantics, golden-tested), by running BatchNorm1d on the maps rearranged to one row per position.
// - Per-channel normalization keeps the convolutional property (a shifted digit gives a shifted output); per-position normalization breaks it
//   and has constant "features" at the background.
