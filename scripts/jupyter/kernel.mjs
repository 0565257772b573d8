// Registers the tslab kernel of THIS checkout (node_modules/.bin/tslab, absolute path) with Jupyter.
// Default: a private, git-ignored prefix (.jupyter-local/) found through JUPYTER_PATH, so the
// user's global Jupyter is never touched. `--user`, `--sys-prefix`, `--system` register it for
// every Jupyter frontend of that user / Python environment / machine (VS Code, JupyterHub).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
 * Runs `tslab install --python <python> --binary <abs tslab> <where>`, then pins this Node in kernel.json.
 * mode: "private" (default) | "user" | "sys-prefix" | "system" | "prefix" (into `prefix`/share/jupyter, e.g. a
 * throw-away class folder that a hub's servers find through JUPYTER_PATH). Returns the kernelspec folder; throws with a fix on failure.
 */
export function installKernel(python, mode = "private", { quiet = false, prefix } = {}) {
  if (!existsSync(TSLAB_BINARY)) throw new Error(`${TSLAB_BINARY} not found: run \`npm install\` first.`);
  if (mode === "prefix" && !prefix) throw new Error('installKernel: mode "prefix" needs { prefix: "/some/folder" }');
  const where = {
    private: [`--prefix=${PRIVATE_PREFIX}`],
    prefix: [`--prefix=${prefix}`],
    user: ["--user"],
    "sys-prefix": ["--sys-prefix"],
    system: [],
  }[mode];
  if (!where) throw new Error(`unknown kernel install mode "${mode}": use --user, --sys-prefix or --system`);
  const result = spawnSync(TSLAB_BINARY, ["install", `--python=${python}`, `--binary=${TSLAB_BINARY}`, ...where], {
    encoding: "utf8",
    env: jupyterEnv(),
  });
  if (!quiet || result.status !== 0) process.stdout.write(result.stdout + result.stderr);
  if (result.status !== 0) {
    throw new Error(
      `tslab install failed (exit ${result.status}). Check that ${python} has jupyter_client and IPython.`,
    );
  }
  const dir = mode === "prefix" ? join(prefix, "share", "jupyter", "kernels") : kernelsDir(python, mode);
  for (const name of ["tslab", "jslab"]) pinNode(join(dir, name, "kernel.json"));
  if (!kernelPointsHere(join(dir, "tslab", "kernel.json")))
    throw new Error(`kernelspec in ${dir}/tslab was not written as expected`);
  return join(dir, "tslab");
}

/** The kernels/ folder a mode installs into, as jupyter_client's KernelSpecManager.install_kernel_spec picks it. */
function kernelsDir(python, mode) {
  if (mode === "private") return join(PRIVATE_DATA_DIR, "kernels");
  const code = `import os, sys
from jupyter_core.paths import jupyter_data_dir, SYSTEM_JUPYTER_PATH
user = ${JSON.stringify(mode)} == "user" or (${JSON.stringify(mode)} == "system" and os.geteuid() != 0)
print(os.path.join(jupyter_data_dir() if user else sys.prefix + "/share/jupyter" if ${JSON.stringify(mode)} == "sys-prefix" else SYSTEM_JUPYTER_PATH[0], "kernels"))`;
  const result = spawnSync(python, ["-c", code], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`could not locate the kernels folder: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * The kernel's environment, added to kernel.json's `env`. glibc's malloc keeps freed blocks of up to its
 * (self-raising) mmap threshold and hands them back in bursts, so a 100 000-step run's RSS creeps and
 * saw-tooths by 20–30 MiB although the JavaScript heap holds steady (README, "Long runs"); a fixed threshold of
 * 64 KiB returns large freed buffers at once. Other C libraries (macOS, Windows, musl) ignore the variable.
 */
export const KERNEL_ENV = { MALLOC_MMAP_THRESHOLD_: "65536" };

/**
 * Starts the kernel with this Node (absolute path) instead of tslab's `#!/usr/bin/env node`, so
 * frontends launched without node on PATH (VS Code from a desktop menu, nvm installs) still start it;
 * and gives it KERNEL_ENV.
 */
function pinNode(path) {
  if (!existsSync(path)) return;
  const spec = JSON.parse(readFileSync(path, "utf8"));
  if (spec.argv?.[0] === TSLAB_BINARY) spec.argv = [process.execPath, ...spec.argv];
  spec.env = { ...spec.env, ...KERNEL_ENV };
  writeFileSync(path, JSON.stringify(spec, null, 1) + "\n");
}

/** True when the kernel.json at `path` starts this checkout's tslab with an existing Node. */
export function kernelPointsHere(path) {
  try {
    const { argv = [] } = JSON.parse(readFileSync(path, "utf8"));
    return argv[1] === TSLAB_BINARY && existsSync(argv[0]);
  } catch {
    return false;
  }
}
