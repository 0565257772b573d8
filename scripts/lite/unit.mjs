// `npm run test:lite:unit`: the browser kernel's unit tests (lite/test/*.test.ts), bundled for Node
// with lite's esbuild into build/lite-tests/ and run with node's test runner. Needs `npm run build`
// (the library's .d.ts, which the cell compiler reads) and lite's packages (`npm run lite` installs them).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../jupyter/kernel.mjs";

const LITE = join(ROOT, "lite");
const OUT = join(ROOT, "build", "lite-tests");
if (!existsSync(join(LITE, "node_modules", "esbuild"))) {
  const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: LITE, stdio: "inherit" });
  if (install.status !== 0) process.exit(1);
}
if (!existsSync(join(ROOT, "dist", "lib", "index.d.ts")))
  spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
const esbuild = await import(join(LITE, "node_modules", "esbuild", "lib", "main.js"));
const tests = readdirSync(join(LITE, "test")).filter((f) => f.endsWith(".test.ts"));
await (esbuild.default ?? esbuild).build({
  entryPoints: tests.map((f) => join(LITE, "test", f)),
  outdir: OUT,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  // as in the browser bundle (build.mjs): the library's one __dirname, here the real dist/lib/fast (the wasm multiply's folder's neighbour)
  define: { __dirname: JSON.stringify(join(ROOT, "dist", "lib", "fast")) },
  banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
  logLevel: "warning",
});
const result = spawnSync(
  process.execPath,
  ["--test", "--test-reporter=spec", ...tests.map((f) => join(OUT, f.replace(/\.ts$/, ".mjs")))],
  { stdio: "inherit", cwd: ROOT },
);
process.exitCode = result.status ?? 1;
