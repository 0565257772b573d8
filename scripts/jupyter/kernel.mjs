// Registers the tslab kernel of THIS checkout (node_modules/.bin/tslab, absolute path) with Jupyter.
// Default: a private, git-ignored prefix (.jupyter-local/) found through JUPYTER_PATH, so the
// user's global Jupyter is never touched. `--user`, `--sys-prefix`, `--system` register it for
// every Jupyter frontend of that user / Python environment / machine (VS Code, JupyterHub).
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PRIVATE_PREFIX = join(ROOT, ".jupyter-local");
export const PRIVATE_DATA_DIR = join(PRIVATE_PREFIX, "share", "jupyter");
export const TSLAB_BINARY = join(ROOT, "node_modules", ".bin", "tslab");

export const PRIVATE_CONFIG_DIR = join(PRIVATE_PREFIX, "etc", "jupyter");

/**
 * Environment for Jupyter processes: the private data dir first on JUPYTER_PATH (kernelspec,
 * nbextensions), the private config dir first on JUPYTER_CONFIG_PATH, this node first on PATH.
 */
export function jupyterEnv(base = process.env) {
  const prepend = (dir, rest) => [dir, rest].filter(Boolean).join(delimiter);
  return {
    ...base,
    JUPYTER_PATH: prepend(PRIVATE_DATA_DIR, base.JUPYTER_PATH),
    JUPYTER_CONFIG_PATH: prepend(PRIVATE_CONFIG_DIR, base.JUPYTER_CONFIG_PATH),
    PATH: prepend(dirname(process.execPath), base.PATH), // tslab starts with `#!/usr/bin/env node`
  };
}

/** Where a kernelspec lands for a mode, when that is known without asking Jupyter. */
export function kernelJsonPath(mode = "private") {
  return mode === "private" ? join(PRIVATE_DATA_DIR, "kernels", "tslab", "kernel.json") : null;
}

/**
 * Runs `tslab install --python <python> --binary <abs tslab> <where>`.
 * mode: "private" (default) | "user" | "sys-prefix" | "system". Throws with a fix on failure.
 */
export function installKernel(python, mode = "private", { quiet = false } = {}) {
  if (!existsSync(TSLAB_BINARY)) throw new Error(`${TSLAB_BINARY} not found: run \`npm install\` first.`);
  const where = { private: [`--prefix=${PRIVATE_PREFIX}`], user: ["--user"], "sys-prefix": ["--sys-prefix"], system: [] }[mode];
  if (!where) throw new Error(`unknown kernel install mode "${mode}": use --user, --sys-prefix or --system`);
  const result = spawnSync(TSLAB_BINARY, ["install", `--python=${python}`, `--binary=${TSLAB_BINARY}`, ...where], {
    encoding: "utf8",
    env: jupyterEnv(),
  });
  if (!quiet || result.status !== 0) process.stdout.write(result.stdout + result.stderr);
  if (result.status !== 0) {
    throw new Error(`tslab install failed (exit ${result.status}). Check that ${python} has jupyter_client and IPython.`);
  }
  const json = kernelJsonPath(mode);
  if (json && !kernelPointsHere(json)) throw new Error(`kernelspec ${json} was not written as expected`);
}

/** True when the kernel.json at `path` starts this checkout's tslab. */
export function kernelPointsHere(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8")).argv?.[0] === TSLAB_BINARY;
  } catch {
    return false;
  }
}
