// `npm run bench:search`: the "caviar" speed-up of lib/search — the same random search run by
// runSearchParallel with 1, 2, … workers (up to the number of cores), plus the in-thread runSearch.
// Reports wall time, process CPU time (all threads) and the speed-up over 1 worker; checks that
// every worker count gives identical results (minus `seconds`). Nothing is asserted about speed:
// on a shared machine the wall-clock speed-up depends on the load, which the CPU column shows.
//
//   node bench/search.mjs [--trials 16] [--epochs 8] [--rounds 3] [--dataset spiral|mnist]
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";

const require = createRequire(import.meta.url);
const lab = require("../dist/lib/internal.js");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const count = Number(option("--trials", 16));
const epochs = Number(option("--epochs", 8));
const rounds = Number(option("--rounds", 3));
const dataset = option("--dataset", "spiral");

const trials = lab
  .randomTrials({ learningRate: lab.logUniform(1e-2, 1), batchNorm: lab.choice([false, true]) }, { count, seed: 11 })
  .map((t) => ({ ...t, config: { ...t.config, optimizer: "sgd", epochs, dataset } }));
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const strip = (results) => JSON.stringify(results.map((r) => ({ ...r, seconds: 0 })));

async function measure(run) {
  const [wall0, cpu0] = [performance.now(), cpuSeconds()];
  const results = await run();
  return { wall: (performance.now() - wall0) / 1000, cpu: cpuSeconds() - cpu0, results };
}

const median = (values) => values.slice().sort((a, b) => a - b)[values.length >> 1];
const settings = [{ label: "runSearch (this thread)", run: () => lab.runSearch(trials, lab.mlpTrial) }];
for (let workers = 1; workers <= Math.max(2, cpus().length); workers++) {
  settings.push({
    label: `runSearchParallel, ${workers} worker${workers > 1 ? "s" : ""}`,
    workers,
    run: () => lab.runSearchParallel(trials, { module: lab.builtInTrialsModule, exportName: "mlpTrial", workers }),
  });
}

const rows = [];
let reference;
for (const setting of settings) {
  const runs = [];
  for (let r = 0; r < rounds; r++) runs.push(await measure(setting.run));
  const same = runs.every((m) => strip(m.results) === (reference ??= strip(m.results)));
  rows.push({
    label: setting.label,
    workers: setting.workers,
    wall: median(runs.map((m) => m.wall)),
    cpu: median(runs.map((m) => m.cpu)),
    same,
  });
  process.stderr.write(`${setting.label}: done\n`);
}
const oneWorker = rows.find((r) => r.workers === 1);
console.log(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")} (1/5/15 min).`,
);
console.log(
  `${count} trials of lab.mlpTrial (${dataset}, ${epochs} epochs, SGD, α log-uniform in [0.01, 1], with/without BN); medians of ${rounds} rounds.\n`,
);
console.log("| runner | wall time (s) | CPU time, all threads (s) | speed-up vs 1 worker (wall) | results identical |");
console.log("|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.workers ? `${(oneWorker.wall / r.wall).toFixed(2)}×` : "–"} | ${r.same ? "yes" : "NO"} |`,
  );
}
