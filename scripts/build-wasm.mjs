// Builds the WebAssembly SIMD matrix multiply from source, with the pinned `assemblyscript`
// devDependency. Run by `npm run build`. From the one source wasm/gemm.ts it builds two modules:
//   dist/wasm/gemm.wasm         its own memory (lib/fast/gemm-wasm.ts, one thread)
//   dist/wasm/gemm-shared.wasm  imports a shared memory, so that the main thread and one worker
//                               run it on the same arrays (lib/fast/gemm-threads.ts)
// Skips a build when its .wasm is newer than the source (and this script). If the compiler is
// missing or fails, prints a warning and exits 0: the library then falls back (to the packed
// TypeScript kernel, or to one thread); `kernels.name` says which kernel is active.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "..");
const source = join(root, "wasm", "gemm.ts");
const common = ["-O3", "--noAssert", "--runtime", "stub"];
// The shared memory's maximum must be declared; lib/fast/gemm-threads.ts creates the memory with
// its own, smaller maximum (at most this one) and checks every product against it.
const SHARED_MAXIMUM_PAGES = 16384; // 1 GiB of address space, the most any caller may ask for
const builds = [
  { output: join(root, "dist", "wasm", "gemm.wasm"), flags: ["--enable", "simd", "--initialMemory", "2"] },
  {
    output: join(root, "dist", "wasm", "gemm-shared.wasm"),
    flags: ["--enable", "simd,threads", "--importMemory", "--sharedMemory", "--initialMemory", "2", "--maximumMemory", String(SHARED_MAXIMUM_PAGES)],
  },
];

const upToDate = ({ output }) => existsSync(output) && [source, here].every((file) => statSync(output).mtimeMs > statSync(file).mtimeMs);
const pending = builds.filter((build) => !upToDate(build) || process.argv.includes("--force"));
if (pending.length === 0) {
  console.log("build-wasm: dist/wasm/gemm.wasm and gemm-shared.wasm are up to date");
  process.exit(0);
}

let asc;
try {
  asc = join(dirname(createRequire(import.meta.url).resolve("assemblyscript/package.json")), "bin", "asc.js");
} catch {
  console.warn("build-wasm: assemblyscript is not installed (npm install); the library will use the packed TypeScript GEMM");
  process.exit(0);
}
for (const { output, flags } of pending) {
  mkdirSync(dirname(output), { recursive: true });
  const result = spawnSync(process.execPath, [asc, source, "--outFile", output, ...common, ...flags], { stdio: "inherit" });
  if (result.status !== 0) {
    console.warn(`build-wasm: asc failed for ${output}; the library will fall back (packed TypeScript GEMM, or one thread)`);
    continue;
  }
  console.log(`build-wasm: built ${output}`);
}
