#!/usr/bin/env node
// `npm run kernel:install -- --user | --sys-prefix | --system`: registers this checkout's tslab kernel
// for every Jupyter of this user / of the Python environment / of the machine (VS Code, JupyterHub).
// Without a flag it registers into the private .jupyter-local/ folder that `npm start` uses.
import { installKernel } from "./kernel.mjs";
import { chooseJupyter } from "./python.mjs";

const flags = process.argv.slice(2);
const mode = flags.includes("--system")
  ? "system"
  : flags.includes("--sys-prefix")
    ? "sys-prefix"
    : flags.includes("--user")
      ? "user"
      : "private";
if (mode === "system" && process.getuid?.() !== 0) {
  // tslab would quietly fall back to this user's registry, which a JupyterHub's students never see
  console.error(
    "✗ --system registers the kernel for every user of this machine and needs root: sudo npm run kernel:install -- --system",
  );
  process.exit(1);
}
try {
  const { probe, reason } = chooseJupyter(["jupyter_client"], { create: true });
  if (!probe) throw new Error(reason);
  console.log(`› Jupyter: ${probe.path} — ${reason}`);
  installKernel(probe.path, mode);
  console.log(
    `Registered the TypeScript (tslab) kernel of this checkout (${mode}). Build the library with \`npm run build\` before running notebooks.`,
  );
} catch (error) {
  console.error(
    `✗ ${error.message}${mode === "system" ? " (system-wide needs root: sudo npm run kernel:install -- --system)" : ""}`,
  );
  process.exit(1);
}
