// The class on one server, load-tested: `npm run test:hub` (default 3 students; HUB_STUDENTS=20 for a
// manual run; HUB_NOTEBOOKS=00-start-here.ipynb,04-with-and-without-bn.ipynb by default).
// A real JupyterHub (scripts/hub/hub.mjs) on 127.0.0.1 in a throw-away class folder; every student is
// its own process (scripts/hub/student.mjs) that logs in through the form, starts its server and runs
// each notebook top to bottom on a new tslab kernel over the hub's proxy. One student's kernel is
// killed (SIGKILL, by its PID) mid-run. Every student loads plotly.js as its figures would in JupyterLab,
// from its own server and (refused) from a peer's. Then the hub is stopped and started again, and every
// student reads back what they saved. Figures (memory, CPU time, wall time) go to build/hub-load.json.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../jupyter/kernel.mjs";
import { freePort, prepareClass, startHub, studentNames } from "./hub.mjs";
import { isLoopback, listeningSockets, processInfo, processTree, role } from "./procs.mjs";
import { MARKER, notebookDigest } from "./student.mjs";
import { summarize } from "./figures.mjs";

const COUNT = Number(process.env.HUB_STUDENTS ?? 3);
const NOTEBOOKS = (process.env.HUB_NOTEBOOKS ?? "00-start-here.ipynb,04-with-and-without-bn.ipynb").split(",");
const BUDGET_MS = Number(process.env.HUB_TIMEOUT ?? 300 + 60 * COUNT) * 1000; // each phase's limit
// HUB_TOGETHER=1: each student opens its notebooks at once (one kernel each); default one after the other.
const TOGETHER = process.env.HUB_TOGETHER === "1";
const KILL_AFTER_CELLS = 4; // the victim's kernel dies after this many cells of its last notebook
const STUDENT_SCRIPT = join(ROOT, "scripts", "hub", "student.mjs");
const MIN_AVAILABLE_MIB = 2048; // below this the test stops its students: the machine is shared, never let it swap or kill
const WS_FLAG = typeof WebSocket === "undefined" ? ["--experimental-websocket"] : []; // Node 20 has WebSocket behind a flag

const sha = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => lstatSync(f).isFile());
const kitSnapshot = () =>
  Object.fromEntries(["notebooks", "student"].flatMap((d) => filesUnder(join(ROOT, d))).map((f) => [f, sha(f)]));
const codeCells = (file) =>
  JSON.parse(readFileSync(join(ROOT, "student", file), "utf8")).cells.filter((c) => c.cell_type === "code").length;

/** Runs every student's process at once; calls onEvent(name, event) per JSON line; resolves with each student's events. */
const children = []; // every student process started (stopped by the memory guard and at the end of a phase)
function runStudents(hub, names, password, phase, onEvent = () => {}) {
  const runs = names.map(
    (name) =>
      new Promise((done) => {
        const peer = names.length > 1 ? names[(names.indexOf(name) + 1) % names.length] : null; // whose figure file this student also asks for
        const args = [
          ...WS_FLAG,
          STUDENT_SCRIPT,
          JSON.stringify({ url: hub.url, user: name, password, notebooks: NOTEBOOKS, phase, peer, together: TOGETHER }),
        ];
        const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
        children.push(child);
        const events = [];
        let buffer = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => {
          buffer += chunk;
          for (let at; (at = buffer.indexOf("\n")) >= 0; buffer = buffer.slice(at + 1)) {
            const event = JSON.parse(buffer.slice(0, at));
            events.push(event);
            onEvent(name, event);
          }
        });
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("exit", (code) => done({ name, code, events, stderr }));
      }),
  );
  const timer = setTimeout(() => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")), BUDGET_MS);
  return Promise.all(runs).finally(() => clearTimeout(timer));
}

/** Samples the hub's process tree every 2 s: memory per role, each process's peak, processes seen (in `seen`), sockets listening. */
function startSampler(hubPid, seen) {
  const state = { peaks: [], seen, sockets: new Map(), peakByPid: new Map() };
  const sample = () => {
    const available = Number(/MemAvailable:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))[1]) / 1024;
    state.minAvailableMiB = Math.min(state.minAvailableMiB ?? Infinity, available);
    if (available < MIN_AVAILABLE_MIB) children.forEach((c) => c.exitCode === null && c.kill("SIGKILL"));
    const tree = processTree(hubPid).map(processInfo).filter(Boolean);
    const total = { hub: 0, proxy: 0, server: 0, kernel: 0, other: 0 };
    for (const p of tree) {
      total[role(p.command)] += p.rssMiB;
      state.seen.set(p.pid, p);
      const peak = state.peakByPid.get(p.pid);
      state.peakByPid.set(p.pid, {
        role: role(p.command),
        rssMiB: Math.max(peak?.rssMiB ?? 0, p.rssMiB),
        cpuSeconds: p.cpuSeconds,
      });
    }
    state.peaks.push({
      time: Date.now(),
      ...total,
      servers: tree.filter((p) => role(p.command) === "server").length,
      kernels: tree.filter((p) => role(p.command) === "kernel").length,
    });
    for (const socket of listeningSockets(tree.map((p) => p.pid)))
      state.sockets.set(`${socket.address}:${socket.port}`, {
        ...socket,
        command: state.seen.get(socket.pid)?.command,
      });
  };
  const timer = setInterval(sample, 2000);
  return { state, stop: () => (clearInterval(timer), sample(), state) };
}

/** The PID of the kernel whose connection file names `kernelId`, among the hub's processes. */
function kernelPid(hubPid, kernelId) {
  return processTree(hubPid)
    .map(processInfo)
    .find((p) => p?.command.includes(`kernel-${kernelId}.json`))?.pid;
}

describe(`a class of ${COUNT} on one JupyterHub`, { timeout: 3 * BUDGET_MS }, () => {
  const names = studentNames({ students: COUNT });
  const victim = COUNT > 1 ? names.at(-1) : null;
  const password = randomBytes(12).toString("base64url");
  const dir = mkdtempSync(join(tmpdir(), "bnlab-hub-"));
  const results = {};
  const seen = new Map(); // every process of the hub's tree ever sampled (pid → info), to check none outlives the test
  let hub, python, port, kitBefore, killed, sampler, load, recovery;
  const phases = {}; // wall seconds of each step, for build/hub-load.json
  const timed = async (name, step) => {
    const t0 = Date.now();
    try {
      return await step();
    } finally {
      phases[name] = Math.round((Date.now() - t0) / 100) / 10;
    }
  };

  before(async () => {
    python = await timed("prepareClass", () => prepareClass(dir, { log: () => {} }));
    port = await freePort();
    kitBefore = kitSnapshot();
    hub = await timed("hubStart", () =>
      startHub({ dir, python, students: names, password, port, logFile: join(dir, "hub.log") }),
    );
  });

  after(async () => {
    sampler?.stop();
    await hub?.stop();
    const leftovers = [...seen.values()].filter((p) => processInfo(p.pid)?.startTicks === p.startTicks);
    for (const p of leftovers) process.kill(p.pid, "SIGKILL"); // same PID and start time: still our process
    if (process.env.HUB_KEEP) console.log(`class folder kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(
      leftovers.map((p) => p.command),
      [],
      "every process of the hub ended with it",
    );
  });

  it("every student logs in, gets a server and runs every cell of each notebook; a killed kernel disturbs no one else", async () => {
    sampler = startSampler(hub.pid, seen);
    const load0 = loadavg()[0];
    const cellsSeen = new Map();
    const onEvent = (name, event) => {
      if (name !== victim || event.event !== "cell" || event.notebook !== NOTEBOOKS.at(-1) || killed) return;
      cellsSeen.set(name, (cellsSeen.get(name) ?? 0) + 1);
      if (cellsSeen.get(name) < KILL_AFTER_CELLS) return;
      const kernelId = results[name]?.kernels?.[event.notebook];
      const pid = kernelPid(hub.pid, kernelId);
      if (pid) {
        killed = { pid, kernelId, at: Date.now() };
        process.kill(pid, "SIGKILL");
      }
    };
    const remember = (name, event) => {
      results[name] ??= { kernels: {} };
      if (event.event === "kernel") results[name].kernels[event.notebook] = event.kernelId;
      onEvent(name, event);
    };
    const started = Date.now();
    const runs = await timed("students", () => runStudents(hub, names, password, "run", remember));
    load = { ...sampler.stop(), loadAverage: [load0, loadavg()[0]], wallMs: Date.now() - started };
    assert.ok(
      load.minAvailableMiB >= MIN_AVAILABLE_MIB,
      `stopped: only ${Math.round(load.minAvailableMiB)} MiB of memory left on this machine; run fewer students`,
    );
    for (const run of runs) results[run.name] = { kernels: {}, ...results[run.name], ...run };
    for (const run of runs) {
      assert.equal(run.events.find((e) => e.event === "error")?.error, undefined, `${run.name}: ${run.stderr}`);
      for (const file of NOTEBOOKS.filter((f) => run.name !== victim || (TOGETHER && f !== NOTEBOOKS.at(-1)))) {
        // the victim's other kernel too, when it ran at the same time
        const result = run.events.find((e) => e.event === "notebook" && e.notebook === file);
        assert.equal(result?.failed, null, `${run.name} ${file}: ${JSON.stringify(result?.failed)}`);
        assert.equal(result.cells, codeCells(file), `${run.name} ${file}: every code cell ran`);
        assert.equal(
          result.kernel.cwd,
          join(dir, "homes", run.name, "batchnorm-lab", "notebooks"),
          "the kernel runs in the student's own copy",
        );
      }
    }
    if (victim) {
      assert.ok(
        killed,
        `the victim's kernel was found and killed after ${KILL_AFTER_CELLS} cells: ${results[victim].stderr}${JSON.stringify(results[victim].events.at(-1))}`,
      );
      const last = results[victim].events.find((e) => e.event === "notebook" && e.notebook === NOTEBOOKS.at(-1));
      assert.equal(
        last?.failed?.status,
        "died",
        `${victim}'s run stopped because its kernel died: ${JSON.stringify(last?.failed)}`,
      );
      assert.ok(last.cells >= KILL_AFTER_CELLS - 1 && last.cells < codeCells(NOTEBOOKS.at(-1)), "it died mid-run");
      assert.equal(
        last.recovered,
        true,
        `after the server restarted its kernel, the victim ran a cell on it: ${JSON.stringify(results[victim].events.filter((e) => e.event === "recovery"))}`,
      );
      recovery = results[victim].events.find((e) => e.event === "recovery");
    }
    const sockets = [...load.sockets.values()];
    assert.ok(
      sockets.length >= 3 + COUNT,
      `the proxy, the hub and every server listen (${sockets.length} sockets seen)`,
    );
    assert.deepEqual(
      sockets.filter((s) => !isLoopback(s.address)),
      [],
      "nothing listens beyond 127.0.0.1",
    );
  });

  it("each student's answers, outputs and files are in their own copy only; the kit is unchanged", () => {
    assert.deepEqual(kitSnapshot(), kitBefore, "the shared notebooks/ and student/ are untouched");
    for (const place of ["notebooks", "student"])
      assert.equal(existsSync(join(ROOT, place, MARKER)), false, `no kernel wrote into the kit's ${place}/`);
    for (const name of names) {
      const copy = join(dir, "homes", name, "batchnorm-lab");
      assert.equal(realpathSync(join(copy, "dist")), realpathSync(join(ROOT, "dist")), "the library is the shared one");
      const ran = results[name].events
        .filter((e) => e.event === "notebook" && !e.failed)
        .map((e) => `${name} ran ${e.notebook}`);
      const marker = ran.length ? readFileSync(join(copy, "notebooks", MARKER), "utf8") : "";
      assert.deepEqual(
        marker.trim().split("\n").filter(Boolean).sort(),
        ran.sort(),
        `${name}'s kernels wrote into ${name}'s folder, and only theirs`,
      );
      for (const file of readdirSync(join(copy, "notebooks")).filter((f) => f.endsWith(".ipynb"))) {
        const text = readFileSync(join(copy, "notebooks", file), "utf8");
        assert.equal(text.includes("BEGIN SOLUTION"), false, `${name}/${file} carries no teacher's solution`);
        const mine = NOTEBOOKS.includes(file) && !(name === victim && file === NOTEBOOKS.at(-1));
        if (!mine) continue;
        const notebook = JSON.parse(text);
        const reported = results[name].events.find((e) => e.event === "notebook" && e.notebook === file);
        assert.equal(notebook.metadata.bnlabHubTest?.student, name, `${name}/${file} is ${name}'s work`);
        assert.equal(
          notebookDigest(notebook),
          reported?.digest,
          `${name}/${file} on disk is what ${name} saved, outputs included`,
        );
        assert.ok(
          notebook.cells.some((c) => c.outputs?.length),
          `${name}/${file} has its outputs`,
        );
      }
    }
  });

  it("a student's figures load plotly.js from the student's own server, with their cookie, and not from another student's", () => {
    const base = (name) => `/user/${name}/files/batchnorm-lab/notebooks/`;
    for (const name of names) {
      const asset = results[name].events.find((e) => e.event === "figure-asset");
      assert.ok(asset?.figures > 0, `${name}'s executed notebooks have figures`);
      assert.equal(asset.urls.length, 1, `${name}: every figure loads the same file: ${asset.urls}`);
      assert.ok(
        asset.path.startsWith(base(name)),
        `${name}: ${asset.path} is inside ${name}'s copy, next to the notebooks`,
      );
      assert.equal(asset.status, 200, `${name}: GET ${asset.path} with ${name}'s cookie → ${asset.status}`);
      assert.equal(asset.sameBytes, true, `${name}: ${asset.path} is plotly.js`);
      if (!asset.peer) continue;
      assert.equal(
        asset.peerStatus,
        403,
        `${name}: GET ${asset.peerPath} (${asset.peer}'s) with ${name}'s cookie → ${asset.peerStatus}, not 403`,
      );
      assert.equal(asset.peerGotBundle, false);
    }
  });

  it("after a restart of the hub, every student finds their saved work", async () => {
    await timed("hubStop", () => hub.stop());
    const stillAlive = [...seen.values()].filter((p) => processInfo(p.pid)?.startTicks === p.startTicks);
    assert.deepEqual(
      stillAlive.map((p) => p.command),
      [],
      "stopping the hub stopped its proxy, servers and kernels",
    );
    hub = await timed("hubRestart", () =>
      startHub({ dir, python, students: names, password, port, logFile: join(dir, "hub.log") }),
    );
    sampler = startSampler(hub.pid, seen);
    const runs = await timed("studentsAfterRestart", () => runStudents(hub, names, password, "restore"));
    for (const run of runs) {
      assert.equal(run.code, 0, `${run.name}: ${run.stderr}${JSON.stringify(run.events.at(-1))}`);
      for (const file of NOTEBOOKS) {
        const saved = results[run.name].events.filter((e) => e.notebook === file && e.digest).at(-1); // executed, or answered when its kernel was killed
        const restored = run.events.find((e) => e.event === "restored" && e.notebook === file);
        assert.equal(restored.answersOf, run.name);
        assert.equal(
          restored.digest,
          saved.digest,
          `${run.name}/${file} read back after the restart equals what was saved`,
        );
      }
    }
    mkdirSync(join(ROOT, "build"), { recursive: true });
    const machine = {
      cores: cpus().length,
      memoryGiB: totalmem() / 2 ** 30,
      loadAverage: load.loadAverage,
      node: process.version,
    };
    const figures = summarize({ results, names, victim, notebooks: NOTEBOOKS, load, killed, machine });
    Object.assign(figures.summary, {
      together: TOGETHER,
      recovery: recovery && { attempts: recovery.attempts, executeMs: recovery.executeMs },
      phaseSeconds: phases,
    });
    writeFileSync(join(ROOT, "build", "hub-load.json"), JSON.stringify(figures, null, 1) + "\n");
    console.log(JSON.stringify(figures.summary, null, 1));
  });
});
