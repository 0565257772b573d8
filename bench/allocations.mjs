// Where one W1 training step allocates: counts every Float64Array created during one step
// (after 5 warm-up steps), grouped by the library call site (TypeScript lines, via source maps):
//   node --enable-source-maps bench/allocations.mjs [plain]
// Needs `npm run build` first. Diagnostic only: it wraps the global Float64Array while it counts.
import { w1Step, lab } from "./tasks.mjs";

lab.useFastKernels();
const batchNorm = process.argv[2] !== "plain";
const step = w1Step(batchNorm);
for (let i = 0; i < 5; i++) step();

const sites = new Map();
let count = 0,
  bytes = 0;
const Original = globalThis.Float64Array;
globalThis.Float64Array = class extends Original {
  constructor(...args) {
    super(...args);
    const frames = new Error().stack
      .split("\n")
      .slice(2)
      .map((line) => line.trim().replace(/^at /, ""));
    const site = frames
      .filter((f) => /\/lib\//.test(f) && !/^(new Matrix|Matrix\.|multiply|Float64Array)/.test(f))
      .slice(0, 2)
      .map((f) => f.replace(/\(.*?\/lib\//, "(").replace(/:\d+\)$/, ")"))
      .join(" ← ");
    const entry = sites.get(site) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += this.byteLength;
    sites.set(site, entry);
    count += 1;
    bytes += this.byteLength;
  }
};
step();
globalThis.Float64Array = Original;

console.log(
  `W1 ${batchNorm ? "with" : "without"} BN, one training step (kernel ${lab.kernels.name}): ${count} Float64Arrays, ${(bytes / 1024).toFixed(0)} KiB\n`,
);
console.log("| arrays | KiB | allocated in ← called from |\n| ---: | ---: | --- |");
for (const [site, entry] of [...sites].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`| ${entry.count} | ${(entry.bytes / 1024).toFixed(0)} | ${site || "(outside lib)"} |`);
}
