// Builds lib/ into dist/ with the repo's tsc, once or in watch mode.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { ROOT } from "./kernel.mjs";

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
export const LIBRARY_ENTRY = join(ROOT, "dist", "lib", "index.js");

/** `npm run build` (tsc, plus whatever else the build script does); true when it succeeded. tsc emits JS even with type errors. */
export function buildLibrary() {
  const npm = process.env.npm_execpath; // set when run through npm: the same npm, without relying on PATH
  const run = ["run", "-s", "build"];
  const [command, args] = !npm ? ["npm", run] : /\.[cm]?js$/.test(npm) ? [process.execPath, [npm, ...run]] : [npm, run];
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  return result.status === 0 && existsSync(LIBRARY_ENTRY);
}

/** Starts `tsc --watch` in the background; its lines are prefixed with [tsc]. Returns the child process. */
export function watchLibrary() {
  const child = spawn(process.execPath, [TSC, "-p", "tsconfig.json", "--watch", "--preserveWatchOutput"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let first = true;
  const relay = (chunk) => {
    for (const raw of String(chunk).split("\n")) {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, "").trim(); // eslint-disable-line no-control-regex -- terminal colours
      const found = /Found (\d+) errors?/.exec(line);
      if (found && first)
        first = false; // the initial build was reported already
      else if (found)
        process.stdout.write(
          `[tsc] dist/ rebuilt (${found[1]} errors): restart a notebook's kernel to load the change\n`,
        );
      else if (/error TS\d+/.test(line)) process.stdout.write(`[tsc] ${line}\n`);
    }
  };
  child.stdout.on("data", relay);
  child.stderr.on("data", relay);
  return child;
}
