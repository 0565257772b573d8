// Runs every compiled unit test (dist/**/*.test.js) with node's built-in test runner.
// Node 20's `--test` takes no globs, so the files are listed here.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    // a compiled test whose lib/…/*.test.ts was deleted or renamed is left over in dist/: skip it
    return name.endsWith(".test.js") && existsSync(path.replace(/^dist[\\/]/, "").replace(/\.js$/, ".ts"))
      ? [path]
      : [];
  });
}

const filter = process.argv[2];
const files = findTests("dist/lib")
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error("No compiled tests found under dist/lib: run `npm run build` first.");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--enable-source-maps", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
