#!/usr/bin/env node
// `npm run hub -- [--students 30 | --users ann,bob] [--port 8000] [--ip 127.0.0.1] [--dir .hub]`: a real
// JupyterHub for a class on THIS machine (trials, and the load test scripts/hub/hub.test.mjs).
// The kit (this checkout) is installed once and only read; the class folder (default .hub/, git-ignored)
// holds the hub's database, the kernelspec (a throw-away prefix found through JUPYTER_PATH) and one home
// per student, where the first login makes the student's own copy of the student notebooks.
// Password: $HUB_PASSWORD, else one generated at the first start and kept in <dir>/password (printed).
// Not production: every student's server runs as your Unix user (see jupyterhub_config.py).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { installKernel, ROOT } from "../jupyter/kernel.mjs";
import { pinnedJupyter } from "../jupyter/python.mjs";

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), "jupyterhub_config.py");
export const DEFAULT_DIR = join(ROOT, ".hub");

/** A free TCP port on 127.0.0.1 (asked from the OS). */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Student names: "student01" … for a count, or the given list. */
export function studentNames({ students = 30, users } = {}) {
  if (users?.length) return users;
  const width = String(students).length < 2 ? 2 : String(students).length;
  return Array.from({ length: students }, (_, i) => `student${String(i + 1).padStart(width, "0")}`);
}

/** The shared password: $HUB_PASSWORD, else the one kept in <dir>/password, else a new one (kept there, mode 600). */
export function classPassword(dir, env = process.env) {
  if (env.HUB_PASSWORD) {
    if (env.HUB_PASSWORD.length < 8)
      throw new Error(
        "HUB_PASSWORD must have at least 8 characters (JupyterHub's SharedPasswordAuthenticator refuses shorter ones).",
      );
    return { password: env.HUB_PASSWORD, source: "HUB_PASSWORD" };
  }
  const file = join(dir, "password");
  if (existsSync(file)) return { password: readFileSync(file, "utf8").trim(), source: file };
  const password = randomBytes(9).toString("base64url");
  writeFileSync(file, password + "\n", { mode: 0o600 });
  return { password, source: `${file} (new)` };
}

/**
 * Prepares the class folder: checks the kit is built and has its student notebooks (runs `npm run student`'s
 * script when student/ is missing), registers the tslab kernel into <dir>/share/jupyter. Returns the Jupyter's python.
 */
export async function prepareClass(dir, { log = console.log } = {}) {
  if (!existsSync(join(ROOT, "dist", "lib", "index.js")))
    throw new Error("the kit is not built: run `npm run build` first.");
  if (!existsSync(join(ROOT, "node_modules", "configurable-http-proxy")))
    throw new Error("configurable-http-proxy is missing: run `npm ci` (it is a devDependency).");
  mkdirSync(join(dir, "homes"), { recursive: true });
  if (studentVersionsStale()) {
    log("› student/ is missing or older than notebooks/: writing the student notebooks (npm run student)");
    await run(process.execPath, [join(ROOT, "scripts", "classroom", "student.mjs")]);
  }
  const python = pinnedJupyter({ log }).path;
  if (!existsSync(join(dirname(python), "jupyterhub")))
    throw new Error(`${python} has no JupyterHub: run \`npm run venv\` (requirements/jupyter.txt pins it).`);
  installKernel(python, "prefix", { quiet: true, prefix: dir });
  return python;
}

/** True when student/ is missing or a notebook in notebooks/ is newer than its student version. */
function studentVersionsStale() {
  const notebooks = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  return notebooks.some(
    (f) =>
      !existsSync(join(ROOT, "student", f)) ||
      statSync(join(ROOT, "notebooks", f)).mtimeMs > statSync(join(ROOT, "student", f)).mtimeMs,
  );
}

function run(command, args) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(" ")} failed (exit ${code})`)),
    );
  });
}

/**
 * Starts JupyterHub (its own process group: the proxy, students' servers and kernels are its children) and
 * waits until its API answers (at most `readyTimeout` ms). Returns { url, pid, stop(), exited } — stop()
 * sends SIGTERM to the hub (it stops the servers and the proxy), then SIGKILL to its group after 60 s.
 */
export async function startHub({
  dir,
  python,
  students,
  password,
  port,
  ip = "127.0.0.1",
  readyTimeout = 120_000,
  logFile,
}) {
  const env = {
    ...process.env,
    BNLAB_HUB_DIR: dir,
    BNLAB_HUB_KIT: ROOT,
    BNLAB_HUB_NODE: process.execPath,
    BNLAB_HUB_IP: ip,
    BNLAB_HUB_PORT: String(port),
    BNLAB_HUB_API_PORT: String(await freePort()),
    BNLAB_HUB_PROXY_API_PORT: String(await freePort()),
    BNLAB_HUB_PROXY_TOKEN: randomBytes(24).toString("hex"),
    BNLAB_HUB_PASSWORD: password,
    BNLAB_HUB_STUDENTS: JSON.stringify(students),
  };
  const stdio = logFile ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"];
  const hub = spawn(python, ["-m", "jupyterhub", "-f", CONFIG], { cwd: dir, env, stdio, detached: true });
  if (logFile)
    for (const stream of [hub.stdout, hub.stderr])
      stream.on("data", (chunk) => writeFileSync(logFile, chunk, { flag: "a" }));
  const exited = new Promise((done) => hub.once("exit", (code, signal) => done({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (gone) return;
    process.kill(hub.pid, "SIGTERM");
    const timer = setTimeout(() => !gone && process.kill(-hub.pid, "SIGKILL"), 60_000);
    await exited;
    clearTimeout(timer);
    try {
      process.kill(-hub.pid, "SIGKILL"); // anything of the hub's group still alive
    } catch {
      // the group is empty: the hub stopped everything it started
    }
  };
  const deadline = Date.now() + readyTimeout;
  while (!gone && Date.now() < deadline) {
    const ok = await fetch(`${url}/hub/api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, pid: hub.pid, stop, exited };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(
    `JupyterHub did not answer on ${url} within ${readyTimeout / 1000} s${logFile ? `; see ${logFile}` : ""}`,
  );
}

function parseArgs(argv) {
  const value = (name) => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    return i < 0 ? undefined : argv[i].includes("=") ? argv[i].split("=").slice(1).join("=") : argv[i + 1];
  };
  return {
    dir: resolve(value("dir") ?? DEFAULT_DIR),
    port: Number(value("port") ?? 8000),
    ip: value("ip") ?? "127.0.0.1",
    students: studentNames({
      students: Number(value("students") ?? 30),
      users: value("users")?.split(",").filter(Boolean),
    }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const options = parseArgs(process.argv.slice(2));
    mkdirSync(options.dir, { recursive: true });
    const python = await prepareClass(options.dir);
    const { password, source } = classPassword(options.dir);
    const hub = await startHub({ ...options, python, password });
    const shown =
      options.ip === "127.0.0.1" ? hub.url : `http://${options.ip}:${options.port} (reachable from other machines!)`;
    console.log(`\nJupyterHub for the class: ${shown}`);
    console.log(
      `  students: ${options.students[0]} … ${options.students.at(-1)} (${options.students.length}); password: ${password}  (from ${source})`,
    );
    console.log(`  class folder: ${options.dir} (homes/<student>/batchnorm-lab is each student's copy)`);
    console.log("  Ctrl-C stops the hub, every student's server and kernel.\n");
    for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void hub.stop().then(() => process.exit(0)));
    const { code, signal } = await hub.exited;
    console.error(`JupyterHub exited (${code ?? signal})`);
    process.exit(code ?? 1);
  } catch (error) {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  }
}
