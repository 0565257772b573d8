// %% [markdown]
// # 09 · Vanishing and exploding gradients (梯度消失/爆炸) through depth, with and without BN
//
// **Lecture section 2.4.2.3** (BN总结) sums batch normalization (批标准化) up in two sentences. In our words: BN regularizes a little,
// as a side effect, but you should use it to learn faster, not to regularize; and what it mainly fixes is vanishing and exploding
// gradients (梯度消失/梯度爆炸) in back-propagation. 用我们自己的话说：批标准化有一点正则化的副作用，但应当把它当作加速学习的方法，
// 而不是正则化手段；它主要解决反向传播中的梯度消失和梯度爆炸问题。
//
// This notebook tests the **second** sentence, against a fair baseline: per-layer gradient norms in a 15-layer tanh network with
// two poor initializations and with a good one (Xavier), with and without BN; then whether each network learns.
// ([Notebook 08](08-bn-as-regularizer.ipynb) tested the first sentence.)
//
// **Run time.** About 15 seconds on a 2-core laptop (kernel CPU 12.6 s, measured 3 December); sizes and step counts are given with each experiment.
// Chinese terms: see the [glossary](../docs/glossary.md).
// One **inline question** asks you to predict, then explain what you measured; a small cell records the prediction and a check
// compares it with this notebook's measurement.

// %%
import * as lab from "..";
import * as show from "../dist/lib/notebook";

// %% [markdown]
// The MNIST training images; section 1 takes one batch of 200 of them for the gradient norms, section 2 6 000 for training.

// %%
const mnist = lab.loadMnist();

// %% [markdown]
// ## 1. Gradient norms through depth at initialization
//
// Back-propagation multiplies, layer after layer, by $W_l^\top$ and by the activation's slope:
// $\frac{\partial L}{\partial h_{l-1}} = \big(\frac{\partial L}{\partial h_l} \odot g'(z_l)\big) W_l^\top$. If each layer shrinks the gradient by a factor $q<1$, the first layer of a
// 15-layer network gets $q^{15}$ of it; if it grows by $q>1$, $q^{15}$ explodes. A poor initialization sets $q$ far from 1.
//
// We take a tanh network 784 → 50 × 14 → 10 (15 weight layers) with two poor initializations, $W\sim\mathcal N(0, 0.02^2)$ (too small) and
// $\mathcal N(0, 0.5^2)$ (too large), with and without BN, and measure $\lVert \partial L/\partial W_l\rVert$ for every layer on one batch of 200 images.

// %% [markdown]
// ### Exercise 1 · One layer's backward step — where the factor $q$ comes from
//
// A hidden layer computes $z_l = h_{l-1} W_l + b_l$, $h_l = \tanh(z_l)$ ($h$: $[N, D_\text{in}]$, $W_l$: $[D_\text{in}, D_\text{out}]$). Write
// `backwardThroughLayer(delta, z, W)`: given $\delta_l = \partial L/\partial h_l$ $[N, D_\text{out}]$, the layer's $z_l$ and $W_l$, return
// $\partial L/\partial h_{l-1} = (\delta_l \odot \tanh'(z_l))\, W_l^\top$ $[N, D_\text{in}]$, with $\tanh'(z) = 1 - \tanh^2 z$.
// Applied layer after layer, the ratio $\lVert\partial L/\partial h_{l-1}\rVert / \lVert\delta_l\rVert$ is the per-layer factor $q$.

// %%
function backwardThroughLayer(delta: lab.Matrix, z: lab.Matrix, W: lab.Matrix): lab.Matrix {
  // BEGIN SOLUTION
  return delta.zip(z, (d, v) => d * (1 - Math.tanh(v) ** 2)).matmulTransposeB(W); // (δ ⊙ tanh'(z))·Wᵀ
  // END SOLUTION
}

// %% [markdown]
// The check below compares your step with the library's `Linear` + `Tanh` backward on a small random layer, then applies it to the
// 13 inner layers of the $\mathcal N(0, 0.5^2)$ network without BN (defined here, measured in the figure below) on one batch of 200 images.

// %%
const deepNet = (init: "xavier" | { gaussian: number }, batchNorm: boolean, seed = 15) =>
  lab.mlp({ inputSize: 784, hiddenSizes: Array(14).fill(50), outputSize: 10, activation: "tanh", batchNorm, rng: lab.makeRng(seed), init });
const gradientBatch = lab.subsetDataset(mnist.train, Array.from({ length: 200 }, (_, i) => 2000 + i));
{
  const [linear, tanh] = [new lab.Linear(4, 3, { rng: lab.makeRng(7) }), new lab.Tanh()];
  const x = new lab.Matrix(5, 4, lab.makeRng(8).normalArray(20)), delta = new lab.Matrix(5, 3, lab.makeRng(9).normalArray(15));
  const z = linear.forward(x);
  tanh.forward(z);
  const expected = linear.backward(tanh.backward(delta));
  console.log(String(lab.checkClose("backwardThroughLayer on a 4 → 3 tanh layer", backwardThroughLayer(delta, z, linear.weight.value), expected, { tolerance: 1e-10, hint: "Multiply δ elementwise by 1 − tanh²(z), then by Wᵀ on the right (matmulTransposeB)." })));
  const model = deepNet({ gaussian: 0.5 }, false), outputs = lab.layerOutputs(model, gradientBatch.x); // [Linear, Tanh] × 14, Linear
  const norm = (m: lab.Matrix) => Math.sqrt(m.mul(m).sum());
  let back = new lab.Matrix(200, 50, lab.makeRng(10).normalArray(10000)); // a δ arriving at h₁₄
  const factors: number[] = [];
  for (let l = 14; l >= 2; l--) { // Linear l is layers[2(l − 1)]; its z is that layer's output
    const next = backwardThroughLayer(back, outputs[2 * (l - 1)], (model.layers[2 * (l - 1)] as lab.Linear).weight.value);
    factors.push(norm(next) / norm(back));
    back = next;
  }
  console.log(`per-layer factor q, layers 14 → 2: ${factors.map((q) => q.toFixed(2)).join(" ")}`);
  console.log(String(lab.checkTrue("q > 1 in every layer of the N(0, 0.5²) network: the gradient explodes going back", factors.every((q) => q > 1.2), "If your step passed above, the network changed: update the text.")));
}

// %% [markdown]
// **Inline question 1 — predict first.** Each tanh layer multiplies the backward gradient by $W_l^\top$ (entries of size 0.5 over 50
// inputs for $\mathcal N(0, 0.5^2)$) and by the slope $\tanh'$. Before the measurement, record your prediction: without BN and with
// $\mathcal N(0, 0.5^2)$, about how many times larger will $\lVert\partial L/\partial W_1\rVert$ (next to the input) be than
// $\lVert\partial L/\partial W_{15}\rVert$ (next to the output) — 1, 10, 100 or 1000? The cell after the training curves compares.

// %%
function predictQ1(): 1 | 10 | 100 | 1000 {
  // BEGIN SOLUTION
  return 100;
  // END SOLUTION
}

// %% [markdown]
// The check below only asks that a prediction is recorded (every honest prediction passes); a cell after the run compares it with the measurement.

// %%
console.log(String(lab.checkTrue("inline question 1: prediction recorded", [1, 10, 100, 1000].includes(predictQ1()), "Return 1, 10, 100 or 1000.")));

// %% [markdown]
// The five networks — two poor initializations with and without BN, and the Xavier baseline without BN — each given one forward and
// backward pass on the same 200 images, and the norm of every layer's weight gradient on a log scale:

// %%
const depthConfigs: { name: string; init: "xavier" | { gaussian: number }; batchNorm: boolean }[] = [
  { name: "N(0, 0.02²), without BN", init: { gaussian: 0.02 }, batchNorm: false },
  { name: "N(0, 0.02²), with BN", init: { gaussian: 0.02 }, batchNorm: true },
  { name: "N(0, 0.5²), without BN", init: { gaussian: 0.5 }, batchNorm: false },
  { name: "N(0, 0.5²), with BN", init: { gaussian: 0.5 }, batchNorm: true },
  { name: "Xavier, without BN (the baseline)", init: "xavier", batchNorm: false },
];
const gradientNorms = depthConfigs.map(({ init, batchNorm }) => {
  const model = deepNet(init, batchNorm);
  lab.traceStep(model, gradientBatch.x, gradientBatch.y); // one forward and backward, no update
  return lab.weightDiagnostics(model, 1).map((r) => r.gradientNorm);
});
show.plot(lab.lineChart(depthConfigs.map((c, k) => ({ name: c.name, x: gradientNorms[k].map((_, l) => l + 1), y: gradientNorms[k], mode: "lines+markers" as const, dash: c.batchNorm ? "solid" as const : c.init === "xavier" ? "dashdot" as const : "dot" as const })),
  { title: "Gradient norm of each layer's weights at initialization (15-layer tanh net, batch of 200)", xTitle: "layer l (1 = next to the input)", yTitle: "‖∂L/∂W_l‖ (log scale)", logY: true }));

// %% [markdown]
// Read each dotted line from right (output) to left (input). With the small initialization every layer's gradient is about
// $10^{-12}$ — **vanishing** everywhere: each layer multiplies the forward signal by roughly $0.02\sqrt{50}\approx 0.14$, so after 15 layers
// nothing of the input reaches the loss, and the backward gradient shrinks by the same factor on its way down (the two effects balance
// in $\partial L/\partial W_l = h_{l-1}^\top \delta_l$, hence the flat line). With the large initialization the gradient grows by about 1.4× per
// layer going back, from about 0.8 at the last layer to about 100 at the first: **exploding**. With BN (solid lines) both initializations
// give gradient norms between about 0.5 and 1.4 in all 15 layers: every layer's input is re-standardized, so the per-layer factor stays
// near 1 whatever the scale of $W$ — near 1, not at 1: going back from layer 15 to layer 2 the BN gradients still grow, by a factor of
// about 2 (checked below).
//
// **The baseline.** The poor initializations are straw men; the fair comparison is a plain network initialized *well*. Xavier/Glorot
// initialization (std $\sqrt{2/(\text{fan-in}+\text{fan-out})}$, about $1/\sqrt{50}$ here) keeps the per-layer factor near 1 by choosing the scale
// of $W$ — without BN its gradient norms (the dashed-dot line) are flat at about 0.25 from layer 2 to layer 14.
//
// And BN is not a cure for depth. Yang et al. (2019, *A Mean Field Theory of Batch Normalization*, abstract): "Our theory shows that
// gradient signals grow exponentially in depth and that these exploding gradients cannot be eliminated by tuning the initial weight
// variances or by adjusting the nonlinear activation function. Indeed, batch normalization itself is the cause of gradient explosion.
// As a result, vanilla batch-normalized networks without skip connections are not trainable at large depths for common
// initialization schemes". The mild growth of our BN lines at 15 layers is consistent with that effect, small at this depth (we did not test the
// theory's exponential rate, which is derived for very wide networks). What makes very deep
// networks trainable in practice is careful initialization together with residual connections (ResNets), usually *with* BN.
//
// ## 2. Does all this let the networks learn?
//
// 100 SGD steps (α = 0.1, batch 64) each:

// %%
const depthCurves: lab.Series[] = [];
for (const config of depthConfigs) {
  const model = deepNet(config.init, config.batchNorm);
  const runRng = lab.makeRng(16);
  const live = show.liveTraining({ title: config.name });
  const history = await lab.fit(model, lab.subsetDataset(mnist.train, Array.from({ length: 6000 }, (_, i) => i)), {
    epochs: 2, batchSize: 64, optimizer: new lab.SGD(model.parameters(), { learningRate: 0.1 }), rng: runRng, maxSteps: 100, onStep: live.onStep,
  });
  await live.finish(history);
  depthCurves.push({ name: config.name, y: history.loss, dash: config.batchNorm ? "solid" : config.init === "xavier" ? "dashdot" : "dot" });
}
show.plot(lab.lineChart(depthCurves, { title: "Training loss of the 15-layer tanh network, SGD α = 0.1", xTitle: "step", yTitle: "mini-batch cross-entropy loss (log scale)", logY: true }));

// %% [markdown]
// The poorly initialized networks without BN stay at the chance loss $\ln 10 \approx 2.3$ for all 100 steps — the small initialization
// because no gradient arrives, the large one because its exploding gradients and saturated units give no usable direction. Both BN
// networks learn from the start. But the well-initialized plain network learns too, and here faster than either BN network with a poor
// initialization (the check below compares the mean loss of the last 10 steps; one seed).
//
// So what did we measure about the lecture's sentence (2.4.2.3) "Batch Normalization主要解决的还是反向传播过程中的梯度问题（梯度消失和爆炸）"
// (what BN mainly solves is the gradient problem of back-propagation, vanishing and exploding gradients)?
// BN made vanishing and exploding gradients **caused by a poor weight scale** disappear, because it divides that scale out — which is
// the paper's "be less careful about initialization" (abstract). It did not beat a good initialization, and in deep plain networks BN
// itself makes gradients grow with depth (Yang et al.). The gradient problem of depth is solved by initialization and residual
// connections; BN makes training insensitive to the weight scale and allows larger learning rates ([04](04-with-and-without-bn.ipynb) and [07](07-internal-covariate-shift.ipynb)).

// %%
{
  const lossAtEnd = (k: number) => { const y = Array.from(depthCurves[k].y); return y.slice(-10).reduce((a, b) => a + b, 0) / 10; };
  const index = (name: string) => depthConfigs.findIndex((c) => c.name === name);
  const [xavier, small, large] = ["Xavier, without BN (the baseline)", "N(0, 0.02²), without BN", "N(0, 0.5²), without BN"].map(index);
  const bnRuns = depthConfigs.map((c, k) => k).filter((k) => depthConfigs[k].batchNorm);
  console.log(depthConfigs.map((c, k) => `${c.name}: mean loss of the last 10 steps ${lossAtEnd(k).toFixed(3)}`).join("\n"));
  console.log(String(lab.checkTrue("poor initializations without BN stay near chance (loss > 2.2)", lossAtEnd(small) > 2.2 && lossAtEnd(large) > 2.2)));
  console.log(String(lab.checkTrue("the Xavier baseline learns faster than both poorly initialized BN networks", bnRuns.every((k) => lossAtEnd(xavier) < lossAtEnd(k)))));
  console.log(String(lab.checkTrue("with BN the gradient still grows going back (layer 2 > layer 15, all BN runs)", bnRuns.every((k) => gradientNorms[k][1] > gradientNorms[k][14]))));
}

// %% [markdown]
// **Inline question 1 (continued).** Your prediction against the measurement — and: why does the gradient grow layer after layer going
// back with $W \sim \mathcal N(0, 0.5^2)$, and why does BN stop it?

// %% [markdown]
// *Your answer:* …

// %% [markdown]
// The cell below compares your prediction with the measurement (a wrong prediction is reported, not an error); it fails only if the
// run no longer shows what the text above says: about 1.4× per layer, so over the 14 layers between $W_{15}$ and $W_1$ the nearest
// choice is 100.

// %%
{
  const norms = gradientNorms[depthConfigs.findIndex((c) => c.name === "N(0, 0.5²), without BN")];
  const measured = norms[0] / norms[norms.length - 1];
  const nearest = 10 ** Math.round(Math.log10(measured)); // the choice closest on a log scale
  console.log(`‖∂L/∂W₁‖ / ‖∂L/∂W₁₅‖ without BN, N(0, 0.5²): ${norms[0].toPrecision(3)} / ${norms[norms.length - 1].toPrecision(3)} = ${measured.toPrecision(3)} → nearest choice ${nearest}`);
  console.log(predictQ1() === nearest ? `✓ your prediction ${predictQ1()} matches the measurement.`
    : `✗ you predicted ${predictQ1()}, the measurement says ${nearest}: each layer back multiplies the gradient by about 1.4 (0.5·√50 ≈ 3.5 times the mean slope of tanh), and 1.4¹⁴ ≈ 110, nearest to 100.`);
  console.log(String(lab.checkTrue("the text's claim: the ratio is nearest to 100", nearest === 100, "The run changed: update the text above and the teacher's answer.")));
}

// %% [markdown]
// ## Summary
//
// - BN removed the vanishing and exploding gradients caused by a poor weight scale in a 15-layer tanh network, because it divides
//   that scale out.
// - A well-initialized plain network (Xavier) learned as well or better, and BN's own gradients still grew going back (Yang et al.
//   2019 show this growth is exponential in depth). Depth is made trainable by initialization and residual connections; BN makes
//   training insensitive to the weight scale.
//
// **In PyTorch:**
//
// ```python
// nn.init.xavier_normal_(linear.weight)   # the baseline initialization of section 1
// for name, p in model.named_parameters(): print(name, p.grad.norm())   # the per-layer gradient norms, after loss.backward()
// ```
//
// Next: [10 · LayerNorm versus BatchNorm](10-layernorm-vs-batchnorm.ipynb).

// %% [markdown]
// *Run time of this notebook:* the CPU time the kernel has used so far (on an idle 2-core laptop, about the wall-clock time).

// %%
console.log(`kernel CPU time: ${((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1)} s`);
