// Starts the pinned JupyterLab 4 server for tests; the same server serves Notebook 7 (/notebooks/…).
// 127.0.0.1, a random free port, a random token, this checkout's private kernelspec, and throw-away
// config, data, runtime, settings and workspace folders (the user's own are never read or written).
// Stops through Jupyter's REST API (POST /api/shutdown), then by process group if it lingers.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { jupyterEnv } from "./kernel.mjs";

/** Settings every test page gets: no autosave (the committed .ipynb stays as it is), every cell in the DOM, no news. */
export const SETTING_OVERRIDES = {
  "@jupyterlab/docmanager-extension:plugin": { autosave: false },
  "@jupyterlab/notebook-extension:tracker": { windowingMode: "none" },
  "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false },
};

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 or `timeoutMs` passes; rejects early if `child` exits. */
async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Jupyter exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Jupyter did not answer ${url.replace(/token=\w+/, "token=…")} within ${timeoutMs / 1000} s`);
}

/** Writes the scratch Jupyter config: app exposed to the page, settings overrides, disabled lab extensions. */
function writeConfig(scratch, disabledExtensions) {
  const apps = {
    expose_app_in_browser: true,
    user_settings_dir: join(scratch, "settings"),
    workspaces_dir: join(scratch, "workspaces"),
  };
  const config = {
    LabApp: {
      ...apps,
      news_url: null,
      check_for_updates_class: "jupyterlab.handlers.announcements.NeverCheckForUpdate",
    },
    JupyterNotebookApp: apps,
  };
  const labconfig = join(scratch, "config", "labconfig");
  mkdirSync(labconfig, { recursive: true });
  writeFileSync(join(scratch, "config", "jupyter_server_config.json"), JSON.stringify(config, null, 1));
  writeFileSync(join(labconfig, "default_setting_overrides.json"), JSON.stringify(SETTING_OVERRIDES, null, 1));
  const disabled = Object.fromEntries(disabledExtensions.map((name) => [name, true]));
  writeFileSync(join(labconfig, "page_config.json"), JSON.stringify({ disabledExtensions: disabled }, null, 1));
}

/**
 * Starts `python -m jupyterlab` serving `rootDir`; `disabledExtensions` (e.g. ["jupyterlab-plotly"]) are
 * switched off for this server only. Returns { baseUrl, token, pid, log(), api(path, init), stop() }.
 */
export async function startJupyter(python, rootDir, { disabledExtensions = [], readyTimeoutMs = 120_000 } = {}) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const scratch = mkdtempSync(join(tmpdir(), "bnlab-jupyter-"));
  writeConfig(scratch, disabledExtensions);
  const args = [
    "-m",
    "jupyterlab",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${rootDir}`,
  ];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const env = {
    ...jupyterEnv(),
    JUPYTER_CONFIG_DIR: join(scratch, "config"),
    JUPYTER_DATA_DIR: join(scratch, "data"),
    JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
  };
  const child = spawn(python, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] }); // own process group
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = (path, init = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...init.headers } });
  const server = {
    baseUrl,
    token,
    pid: child.pid,
    api,
    log: () => output.replaceAll(token, "…"),
    stop: () => stopJupyter(child, api, scratch),
  };
  try {
    await waitForHttp(`${baseUrl}/api/status?token=${token}`, child, readyTimeoutMs);
  } catch (error) {
    await server.stop();
    throw new Error(`${error.message}\n${server.log()}`, { cause: error });
  }
  return server;
}

/** POST /api/shutdown (Jupyter stops its kernels and exits); the process group is killed only if it is still there after 15 s. */
export async function stopJupyter(child, api, scratch) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", () => r(true)));
    const asked = await api("/api/shutdown", { method: "POST" }).then(
      (r) => r.ok,
      () => false,
    );
    const gone = asked && (await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 15_000))]));
    if (!gone) await stopGroup(child);
  }
  signalGroup(child, "SIGKILL"); // helpers left in the group
  for (const pid of pidsMentioning(scratch)) killQuietly(pid); // kernels run in their own sessions
  rmSync(scratch, { recursive: true, force: true });
}

/** SIGTERM to the process group, SIGKILL after 10 s. */
export async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  signalGroup(child, "SIGTERM");
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((r) => setTimeout(() => r(true), 10_000)),
  ]);
  if (timedOut) signalGroup(child, "SIGKILL");
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** PIDs whose command line mentions `text` (our kernels name their connection file in our runtime dir). */
export function pidsMentioning(text) {
  const pids = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids.filter((pid) => pid !== process.pid);
}

function killQuietly(pid) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
