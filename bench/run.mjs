// `npm run bench`: measures the library side by side with numpy (and PyTorch where installed)
// and prints Markdown tables. Every figure is the median over several rounds; each round runs
// the TypeScript tasks and then the Python references right after, so a slow phase of a shared
// machine hits both sides of a ratio. Nothing here is asserted: speed is reported, not tested.
//
//   node bench/run.mjs [--rounds 5] [--seconds 0.3] [--clock cpu|wall] [--no-torch] [--no-notebooks] [--only w1,bn,gemm]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  lab,
  gemmShapes,
  bnShapes,
  pythonTasks,
  rate,
  selectKernel,
  setClock,
  w1Step,
  w1StepWithoutProducts,
  bnCall,
  gemmCall,
  wasmComputeOnlyCall,
} from "./tasks.mjs";
import { fusedBnCall } from "./fused.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(option("--rounds", 5));
const seconds = Number(option("--seconds", 0.3));
const only = option("--only", "w1,bn,gemm").split(",");
const clock = option("--clock", "cpu");
setClock(clock);
const python = "/usr/bin/python3";
const pythonEnv = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
const KERNELS = ["reference", "packed-ts", "wasm-simd"];

/** One round of the TypeScript tasks: { name: value }. */
function runTypeScript() {
  const results = {};
  for (const kernel of KERNELS) {
    if (selectKernel(kernel) !== kernel) continue; // wasm not built: no column
    if (only.includes("w1")) {
      for (const batchNorm of [true, false])
        results[`${kernel}.w1.${batchNorm ? "bn" : "plain"}`] = rate(w1Step(batchNorm), seconds * 2);
    }
    if (only.includes("w1") && kernel === "wasm-simd") {
      for (const batchNorm of [true, false])
        results[`${kernel}.w1.${batchNorm ? "bn" : "plain"}.outside`] = rate(
          w1StepWithoutProducts(batchNorm),
          seconds * 2,
        );
    }
    if (only.includes("gemm")) {
      for (const shape of gemmShapes)
        results[`${kernel}.gemm.${shape.label}`] =
          (2 * shape.m * shape.n * shape.k * rate(gemmCall(lab.kernels.gemm, shape), seconds)) / 1e9;
    }
  }
  if (only.includes("gemm") && lab.useFastKernels() === "wasm-simd") {
    for (const shape of gemmShapes)
      results[`wasm-compute.gemm.${shape.label}`] =
        (2 * shape.m * shape.n * shape.k * rate(wasmComputeOnlyCall(shape), seconds)) / 1e9;
  }
  lab.useFastKernels();
  if (only.includes("bn")) {
    for (const { n, d } of bnShapes) {
      results[`ts.bn.${n}x${d}`] = 1e6 / rate(bnCall(n, d), seconds);
      if (fusedBnCall) results[`fused.bn.${n}x${d}`] = 1e6 / rate(fusedBnCall(n, d), seconds);
    }
  }
  return results;
}

/** One round of a Python reference, or null when it is not installed. */
function runPython(script) {
  const tasks = pythonTasks().filter((t) => only.includes(t.kind));
  const run = spawnSync(python, [join(root, "bench", script), JSON.stringify(tasks), String(seconds), clock], {
    env: pythonEnv,
    encoding: "utf8",
  });
  if (run.status !== 0) return null;
  return JSON.parse(run.stdout.trim().split("\n").pop());
}

function median(values) {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (v, digits = 1) => (v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(digits));
const row = (cells) => `| ${cells.join(" | ")} |`;

function table(title, header, rows) {
  return [`### ${title}`, "", row(header), row(header.map(() => "---")), ...rows.map(row), ""].join("\n");
}

function machine() {
  const model = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? "?";
  return `${cpus().length} cores (${model}), node ${process.version}, GEMM kernel by default: ${lab.kernels.name}`;
}

/** `npm run test:notebooks` once, timed; or a note why not. */
function notebookWallTime() {
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};
  if (!scripts["test:notebooks"]) return "notebooks: skipped (no `npm run test:notebooks` script yet)";
  const start = Date.now();
  const run = spawnSync("npm", ["run", "--silent", "test:notebooks"], {
    cwd: root,
    encoding: "utf8",
    timeout: 30 * 60 * 1000,
  });
  const wall = (Date.now() - start) / 1000;
  const status = run.status === 0 ? "passed" : run.status === null ? "stopped after 30 min" : `exit ${run.status}`;
  const summary = run.stdout?.match(/notebooks: \d+ passed, \d+ failed/)?.[0] ?? "no summary line";
  return `Notebooks: executing every notebook headless (\`npm run test:notebooks\`) took ${wall.toFixed(0)} s wall time (${status}; ${summary}).`;
}

function main() {
  const loadBefore = loadavg()[0];
  const ts = [],
    numpy = [],
    torch = [];
  let versions = {};
  for (let r = 0; r < rounds; r++) {
    ts.push(runTypeScript());
    const np = runPython("reference_numpy.py");
    if (np) {
      numpy.push(np.results);
      versions.numpy = np.numpy;
    }
    const th = args.includes("--no-torch") ? null : runPython("reference_torch.py");
    if (th) {
      torch.push(th.results);
      versions.torch = th.torch;
    }
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  const med = (runs, name) => median(runs.map((res) => res[name]));
  const out = [
    `Machine: ${machine()}; numpy ${versions.numpy ?? "not found"}, torch ${versions.torch ?? "not run"}.`,
    `Load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after the measurements: other processes shared the ${cpus().length} cores.`,
    `Medians of ${rounds} rounds, ${seconds} s of ${clock === "cpu" ? "process CPU time" : "wall time"} per measurement (W1: ${2 * seconds} s); one thread everywhere.`,
    "",
  ];
  if (only.includes("w1")) {
    const w1Rows = ["bn", "plain"].map((variant) => {
      const values = KERNELS.map((k) => med(ts, `${k}.w1.${variant}`));
      const np = med(numpy, `w1.${variant}`),
        th = med(torch, `w1.${variant}`);
      const best = Math.max(...values.filter((v) => v !== undefined));
      return [
        variant === "bn" ? "with BN" : "without BN",
        ...values.map((v) => fmt(v)),
        fmt(np),
        fmt(th),
        np ? `${(best / np).toFixed(2)}×` : "–",
      ];
    });
    out.push(
      table(
        "W1 training steps per second (784-100-100-100-10, sigmoid, batch 60, SGD)",
        ["W1", "TS reference", "TS packed", "TS wasm SIMD", "numpy", "PyTorch", "fastest TS / numpy"],
        w1Rows,
      ),
    );
  }
  if (only.includes("w1")) out.push(...splitTable(ts, numpy));
  if (only.includes("bn")) {
    const bnRows = bnShapes.map(({ n, d }) => {
      const name = `bn.${n}x${d}`;
      const plain = med(ts, `ts.${name}`),
        fused = med(ts, `fused.${name}`),
        np = med(numpy, name);
      const best = Math.min(...[plain, fused].filter((v) => v !== undefined));
      return [
        `${n}×${d}`,
        fmt(plain),
        fmt(fused),
        fmt(np),
        fmt(med(torch, name)),
        np ? `${(np / best).toFixed(2)}×` : "–",
      ];
    });
    out.push(
      table(
        "BatchNorm1d forward + backward, training mode, µs per call (lower is better)",
        ["N×D", "TS BatchNorm1d", "TS fused", "numpy (cs231n)", "PyTorch", "numpy time / fastest TS"],
        bnRows,
      ),
    );
  }
  if (only.includes("gemm")) {
    const gemmRows = gemmShapes.map((s) => {
      const values = KERNELS.map((k) => med(ts, `${k}.gemm.${s.label}`));
      const np = med(numpy, `gemm.${s.label}`);
      const computeOnly = med(ts, `wasm-compute.gemm.${s.label}`);
      return [
        `${s.label}${s.count > 1 ? ` (×${s.count})` : ""}`,
        ...values.map((v) => fmt(v, 2)),
        fmt(computeOnly, 2),
        fmt(np, 2),
        fmt(med(torch, `gemm.${s.label}`), 2),
        np && values[2] ? `${(values[2] / np).toFixed(2)}` : "–",
      ];
    });
    const all = (runs, kernel) => fmt(combined(runs, kernel), 2);
    gemmRows.push([
      "**one W1 step's products, combined**",
      ...KERNELS.map((k) => all(ts, k)),
      all(ts, "wasm-compute"),
      all(numpy, ""),
      all(torch, ""),
      combined(numpy, "") && combined(ts, "wasm-simd")
        ? (combined(ts, "wasm-simd") / combined(numpy, "")).toFixed(2)
        : "–",
    ]);
    out.push(
      table(
        "Matrix multiply at the W1 shapes, GFLOP/s (op(A)·op(B), float64)",
        [
          "product",
          "TS reference",
          "TS packed",
          "TS wasm SIMD",
          "wasm without copies",
          "numpy @",
          "PyTorch @",
          "wasm / numpy",
        ],
        gemmRows,
      ),
    );
    out.push(
      '"wasm without copies": the same wasm kernel with a and b already in its memory; the gap to "TS wasm SIMD" is the cost of copying a, b in and c out.\n',
    );
  }
  console.log(out.join("\n"));
  if (!args.includes("--no-notebooks")) console.log(notebookWallTime());
}

/**
 * Where a W1 step's time goes, TS (wasm kernels) and numpy profiled the same way: the step, and the
 * same step with every matrix product replaced by its saved result ("outside": all the rest, see
 * `w1StepWithoutProducts`); the difference is the time in the products (for TS including the copies
 * into and out of wasm memory).
 */
function splitTable(ts, numpy) {
  const ms = (rate) => (rate === undefined ? undefined : 1000 / rate);
  const rows = [];
  for (const variant of ["bn", "plain"]) {
    const label = variant === "bn" ? "with BN" : "without BN";
    const tsStep = ms(median(ts.map((r) => r[`wasm-simd.w1.${variant}`]))),
      tsOut = ms(median(ts.map((r) => r[`wasm-simd.w1.${variant}.outside`])));
    const npStep = ms(median(numpy.map((r) => r[`w1.${variant}`]))),
      npOut = ms(median(numpy.map((r) => r[`w1.${variant}.outside`])));
    const cells = (step, outside) => [
      fmt(step, 2),
      fmt(outside, 2),
      step && outside ? fmt(step - outside, 2) : "–",
      step && outside ? `${((100 * outside) / step).toFixed(0)} %` : "–",
    ];
    rows.push([`TS wasm, ${label}`, ...cells(tsStep, tsOut)]);
    rows.push([`numpy, ${label}`, ...cells(npStep, npOut)]);
    if (tsStep && tsOut && npStep && npOut) {
      const limit = tsStep - tsOut + npOut; // our products, numpy's outside
      rows.push([
        `*TS products + numpy's outside, ${label}*`,
        fmt(limit, 2),
        fmt(npOut, 2),
        fmt(tsStep - tsOut, 2),
        `${(npStep / limit).toFixed(2)}× numpy`,
      ]);
    }
  }
  return [
    table(
      'Where one W1 step\'s time goes, ms per step (medians of each column; "outside": the step with every product replaced by its saved result, no multiply)',
      ["side", "step", "outside the products", "in the products (step − outside)", "outside share"],
      rows,
    ),
    "TS's products include copying operands into and out of wasm memory. The italic rows are the limit with this multiply: TS's product time plus numpy's time outside them, and that step's rate as a fraction of numpy's.\n",
  ];
}

/** GFLOP/s of all of one W1 step's products: total flops / total time, from the per-shape medians. */
function combined(runs, kernel) {
  let flops = 0,
    time = 0;
  for (const s of gemmShapes) {
    const gflops = median(runs.map((res) => res[`${kernel ? kernel + "." : ""}gemm.${s.label}`]));
    if (gflops === undefined) return undefined;
    const f = 2 * s.m * s.n * s.k * s.count;
    flops += f;
    time += f / gflops;
  }
  return flops / time;
}

main();
