// What the "a rejected forward leaves no trace" bookkeeping costs: the same BatchNorm model calls timed
// with this checkout's library and with another build of it, side by side in one process, round after
// round (A, B, A, B, …), so a busy moment of the shared machine hits both columns of a ratio.
//
//   npm run build
//   git archive <before> | tar -x -C /tmp/before && (cd /tmp/before && ln -s $PWD/node_modules && npm run build)
//   node bench/undo.mjs --against /tmp/before [--rounds 7] [--seconds 0.3] [--clock cpu|wall] [--only W1]
//
// Without --against it prints this library's figures alone. Nothing here is asserted: speed is reported.
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { rate, setClock } from "./tasks.mjs";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(option("--rounds", 7));
const seconds = Number(option("--seconds", 0.3));
setClock(option("--clock", "cpu"));
const against = option("--against", null);
const only = option("--only", ""); // run the tasks whose name contains this text

const libraries = [["this checkout", require("../dist/lib/internal.js")]];
if (against) libraries.push([against, require(join(resolve(against), "dist/lib/internal.js"))]);

/** `blocks` × [BatchNorm1d(D), Sigmoid] and a Linear(D→10) head: the BatchNorm bookkeeping is a large share of it. */
function normalizationModel(lab, D, blocks, rng) {
  const layers = [];
  for (let b = 0; b < blocks; b++) layers.push(new lab.BatchNorm1d(D), new lab.Sigmoid());
  layers.push(new lab.Linear(D, 10, { rng, init: "xavier" }));
  return new lab.Sequential(layers);
}

/** The tasks, each a maker (lab) → () => void. */
const tasks = {
  "the bookkeeping alone: beginForward + endForward(true) on BN(100), ×100": (lab) => {
    const layer = new lab.BatchNorm1d(100); // W1's width; nothing waits to be committed, so this is the pure overhead
    return () => {
      for (let k = 0; k < 100; k++) {
        layer.beginForward();
        layer.endForward(true);
      }
    };
  },
  "the bookkeeping alone: beginForward + endForward(true) on BN(1024), ×100": (lab) => {
    const layer = new lab.BatchNorm1d(1024);
    return () => {
      for (let k = 0; k < 100; k++) {
        layer.beginForward();
        layer.endForward(true);
      }
    };
  },
  "W1 trainStep (784-100×3-10, BN, batch 60)": (lab) => {
    const rng = lab.makeRng(1337);
    const net = lab.mlp({
      inputSize: 784,
      hiddenSizes: [100, 100, 100],
      outputSize: 10,
      activation: "sigmoid",
      batchNorm: true,
      rng,
      init: "xavier",
    });
    const optimizer = new lab.SGD(net.parameters(), { learningRate: 0.1 });
    const x = new lab.Matrix(60, 784, rng.normalArray(60 * 784));
    const y = Int32Array.from({ length: 60 }, () => rng.int(10));
    return () => lab.trainStep(net, optimizer, x, y);
  },
  "trainStep, 4 × [BN(1024), Sigmoid] → Linear(1024→10), batch 8": (lab) => {
    const rng = lab.makeRng(7);
    const net = normalizationModel(lab, 1024, 4, rng);
    const optimizer = new lab.SGD(net.parameters(), { learningRate: 0.1 });
    const x = new lab.Matrix(8, 1024, rng.normalArray(8 * 1024));
    const y = Int32Array.from({ length: 8 }, () => rng.int(10));
    return () => lab.trainStep(net, optimizer, x, y);
  },
  "forward, 8 × BN(1024) alone, training, batch 4": (lab) => {
    const rng = lab.makeRng(8);
    const net = new lab.Sequential(Array.from({ length: 8 }, () => new lab.BatchNorm1d(1024)));
    const x = new lab.Matrix(4, 1024, rng.normalArray(4 * 1024));
    return () => net.forward(x, { reuse: true });
  },
  "forward, 4 × BN(16384) alone, training, batch 2 (bookkeeping-bound)": (lab) => {
    const rng = lab.makeRng(10);
    const net = new lab.Sequential(Array.from({ length: 4 }, () => new lab.BatchNorm1d(16384)));
    const x = new lab.Matrix(2, 16384, rng.normalArray(2 * 16384));
    return () => net.forward(x, { reuse: true });
  },
  "forward, 8 × BN(1024) alone, eval, batch 4": (lab) => {
    const rng = lab.makeRng(9);
    const net = new lab.Sequential(Array.from({ length: 8 }, () => new lab.BatchNorm1d(1024)));
    net.eval();
    const x = new lab.Matrix(4, 1024, rng.normalArray(4 * 1024));
    return () => net.forward(x, { reuse: true });
  },
};

const results = new Map(); // task → library → [calls/s per round]
for (let r = 0; r < rounds; r++) {
  for (const [name, make] of Object.entries(tasks).filter(([name]) => name.includes(only))) {
    const order = r % 2 === 0 ? libraries : [...libraries].reverse(); // alternate who goes first
    for (const [label, lab] of order) {
      lab.useFastKernels();
      const perTask = results.get(name) ?? new Map();
      results.set(name, perTask);
      const runs = perTask.get(label) ?? [];
      perTask.set(label, runs);
      runs.push(rate(make(lab), seconds));
    }
  }
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const header = ["task", ...libraries.map(([label]) => `${label} (calls/s)`)];
if (against) header.push("this / other", "per-round ratios (min…max)");
console.log(`| ${header.join(" | ")} |\n| ${header.map(() => "---").join(" | ")} |`);
for (const [name, perTask] of results) {
  const columns = libraries.map(([label]) => median(perTask.get(label)));
  const cells = [name, ...columns.map((v) => v.toFixed(0))];
  if (against) {
    const [mine, other] = libraries.map(([label]) => perTask.get(label));
    const ratios = mine.map((v, k) => v / other[k]);
    cells.push(`${median(ratios).toFixed(3)}×`, `${Math.min(...ratios).toFixed(2)}…${Math.max(...ratios).toFixed(2)}`);
  }
  console.log(`| ${cells.join(" | ")} |`);
}
console.log(`\nMedians of ${rounds} rounds, ${seconds} s each, fast kernels; load average: see \`uptime\`.`);
