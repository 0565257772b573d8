// Starts classic Jupyter Notebook for tests: 127.0.0.1, a random free port, a random token,
// this checkout's private kernelspec, throw-away config/runtime folders. Stops by process group.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { jupyterEnv } from "./kernel.mjs";

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

/**
 * Starts `python -m notebook` (classic Notebook 6) serving `notebookDir`.
 * Returns { baseUrl, token, pid, log(), stop() }; stop() ends the server and its kernels.
 */
export async function startClassicNotebook(python, notebookDir, { readyTimeoutMs = 90_000 } = {}) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const scratch = mkdtempSync(join(tmpdir(), "bnlab-jupyter-"));
  const args = ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, `--notebook-dir=${notebookDir}`, "--NotebookApp.open_browser=False"];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const env = { ...jupyterEnv(), JUPYTER_CONFIG_DIR: join(scratch, "config"), JUPYTER_RUNTIME_DIR: join(scratch, "runtime") };
  const child = spawn(python, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] }); // own process group
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = { baseUrl, token, pid: child.pid, log: () => output.replaceAll(token, "…"), stop: () => stopGroup(child, scratch) };
  try {
    await waitForHttp(`${baseUrl}/api/status?token=${token}`, child, readyTimeoutMs);
  } catch (error) {
    await server.stop();
    throw new Error(`${error.message}\n${server.log()}`);
  }
  return server;
}

/** SIGTERM to the process group (Jupyter shuts its kernels down), SIGKILL after 10 s. */
export async function stopGroup(child, scratch) {
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    signal("SIGTERM");
    const exited = new Promise((r) => child.once("exit", r));
    const timedOut = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 10_000))]);
    if (timedOut) signal("SIGKILL");
  }
  signal("SIGKILL"); // helpers left in the group
  if (scratch) {
    for (const pid of pidsMentioning(scratch)) killQuietly(pid); // kernels run in their own sessions
    rmSync(scratch, { recursive: true, force: true });
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
