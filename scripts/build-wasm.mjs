// Builds the WebAssembly SIMD matrix multiply from source: wasm/gemm.ts (AssemblyScript) →
// dist/wasm/gemm.wasm (lib/fast/gemm-wasm.ts), with the pinned `assemblyscript` devDependency.
// Run by `npm run build`. Skips the build when the .wasm is newer than its source (and this
// script). If the compiler is missing or fails, prints a warning and exits 0: the library then
// falls back to the packed TypeScript kernel (`kernels.name` says which kernel is active).
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "..");
const source = join(root, "wasm", "gemm.ts"); // the entry; it re-exports wasm/elementwise.ts
const sources = [source, join(root, "wasm", "elementwise.ts")];
const output = join(root, "dist", "wasm", "gemm.wasm");

const upToDate =
  existsSync(output) && [...sources, here].every((file) => statSync(output).mtimeMs > statSync(file).mtimeMs);
if (upToDate && !process.argv.includes("--force")) {
  console.log("build-wasm: dist/wasm/gemm.wasm is up to date");
  process.exit(0);
}

let asc;
try {
  asc = join(dirname(createRequire(import.meta.url).resolve("assemblyscript/package.json")), "bin", "asc.js");
} catch {
  console.warn(
    "build-wasm: assemblyscript is not installed (npm install); the library will use the packed TypeScript GEMM",
  );
  process.exit(0);
}
mkdirSync(dirname(output), { recursive: true });
const flags = [
  "--outFile",
  output,
  "-O3",
  "--noAssert",
  "--runtime",
  "stub",
  "--enable",
  "simd",
  "--initialMemory",
  "2",
];
const result = spawnSync(process.execPath, [asc, source, ...flags], { stdio: "inherit" });
if (result.status !== 0) {
  console.warn("build-wasm: asc failed; the library will use the packed TypeScript GEMM");
  process.exit(0);
}
console.log("build-wasm: built dist/wasm/gemm.wasm");
