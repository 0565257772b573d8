// One simulated student of the load test (scripts/hub/hub.test.mjs), as its own process:
//   node [--experimental-websocket] scripts/hub/student.mjs '{"url":…,"user":…,"password":…,"notebooks":[…],"phase":"run","peer":…}'
// phase "run": logs in through the form, starts the server (first login makes the copy), and for each
// notebook: writes the answers to its exercises into the student's copy (the teacher's solution cells,
// as a student who did the work) and saves it, runs every code cell in order on a new tslab kernel over
// the websocket, writes a marker file from the kernel (in its working folder), saves the executed
// notebook and reports the kernel's CPU time and peak memory; then loads plotly.js as its figures' HTML would
// in JupyterLab, with its cookies: from its own server, and the same file from a peer's server (refused).
// phase "restore": logs in again and reports what the saved notebooks hold. Every step is one JSON line on
// stdout; the test reads them.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { ROOT } from "../jupyter/kernel.mjs";
import { BEGIN, cellSource, END, findExercises } from "../classroom/exercises.mjs";
import { HubUser } from "./client.mjs";

const COPY = "batchnorm-lab/notebooks"; // the student's copy, relative to their home (the server's root)
export const MARKER = "hub-test-marker.txt";
const emit = (event) => console.log(JSON.stringify({ time: Date.now(), ...event }));

/** What a saved notebook holds, as a hash that ignores how the server stores strings (lists or text). */
export function notebookDigest(notebook) {
  const text = (value) => (Array.isArray(value) ? value.join("") : (value ?? ""));
  const cells = notebook.cells.map((c) => [
    c.cell_type,
    text(c.source),
    (c.outputs ?? []).map((o) => [o.output_type, text(o.text), Object.keys(o.data ?? {}).sort()]),
  ]);
  return createHash("sha256").update(JSON.stringify(cells)).digest("hex");
}

/**
 * The student's notebook with every exercise answered: each solution cell takes the teacher's source without
 * its BEGIN/END SOLUTION marker lines (what a student who did the work would have typed).
 */
function answered(notebook, file) {
  const teacher = JSON.parse(readFileSync(join(ROOT, "notebooks", file), "utf8"));
  const exercises = findExercises(teacher, file);
  const typed = (source) =>
    source
      .split("\n")
      .filter((line) => !line.includes(BEGIN) && !line.includes(END))
      .join("\n");
  for (const { solutionCell } of exercises)
    notebook.cells[solutionCell].source = typed(cellSource(teacher.cells[solutionCell]));
  return exercises.length;
}

/** Runs one notebook top to bottom on a new kernel; returns its code cells' results and the kernel's figures. */
async function runNotebook(user, file, notebook) {
  const path = `${COPY}/${file}`;
  const kernel = await user.openKernel(path, { timeout: Number(process.env.HUB_KERNEL_TIMEOUT ?? 300) * 1000 });
  emit({ event: "kernel", notebook: file, kernelId: kernel.id, startMs: kernel.startMs, attempts: kernel.attempts });
  const started = Date.now();
  let failed = null;
  let count = 0;
  try {
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const t0 = Date.now();
      const { reply, outputs } = await kernel.execute(cellSource(cell));
      Object.assign(cell, { outputs, execution_count: reply.execution_count ?? null });
      count++;
      emit({ event: "cell", notebook: file, index, status: reply.status, ms: Date.now() - t0 });
      if (reply.status !== "ok") {
        failed = {
          index,
          status: reply.status,
          error: `${reply.ename}: ${reply.evalue}`,
          stderr: outputs
            .filter((o) => o.name === "stderr")
            .map((o) => o.text)
            .join("")
            .slice(0, 500),
        };
        break;
      }
    }
    const wallMs = Date.now() - started;
    const measure = await kernel.execute(measureCode(user.name, file), 60_000);
    const line = measure.outputs.find((o) => o.name === "stdout")?.text ?? "";
    return { failed, cells: count, wallMs, kernel: JSON.parse(line.trim().split("\n").pop() || "null") };
  } catch (error) {
    const died = kernel.died !== null;
    return {
      failed: { status: died ? "died" : "error", error: error.message },
      cells: count,
      wallMs: Date.now() - started,
      died,
      recovered: died && (await recover(kernel)),
    };
  } finally {
    kernel.close();
    await user.closeSession(kernel.sessionId).catch(() => {});
  }
}

/**
 * After its kernel died, a student does what a frontend does: reconnects the kernel's websocket until the kernel
 * the server restarted answers (KernelChannel.connect: bounded attempts, reconnecting after a silent or dead one;
 * Jupyter's REST execution_state cannot tell, it keeps the dead kernel's last state after an automatic restart),
 * then runs a cell on it. Returns true when "6 * 7" printed 42.
 */
async function recover(kernel) {
  let attempts = [];
  try {
    attempts = await kernel.connect({ attemptMs: 30_000, timeout: 180_000 });
    const t0 = Date.now();
    const answer = await kernel.execute("6 * 7", 60_000);
    const ok =
      answer.reply.status === "ok" && answer.outputs.some((o) => /\b42\b/.test(o.text ?? o.data?.["text/plain"] ?? "")); // tslab shows a value on stdout
    emit({
      event: "recovery",
      ok,
      attempts,
      executeMs: Date.now() - t0,
      reply: answer.reply.status,
      outputs: answer.outputs,
    });
    return ok;
  } catch (error) {
    emit({ event: "recovery", ok: false, attempts, error: error.message });
    return false;
  }
}

/** A cell the test adds (not saved in the notebook): a marker file in the kernel's folder, and the kernel's own figures. */
function measureCode(name, file) {
  return `import * as hubTestFs from "fs";
hubTestFs.appendFileSync(${JSON.stringify(MARKER)}, ${JSON.stringify(`${name} ran ${file}\n`)});
console.log(JSON.stringify({ pid: process.pid, cwd: process.cwd(), cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024, rssMiB: process.memoryUsage().rss / 2 ** 20 }));`;
}

async function run({ url, user: name, password, notebooks, phase, peer, together = false }) {
  const user = new HubUser(url, name);
  const figures = [];
  let t0 = Date.now();
  await user.login(password);
  emit({ event: "login", ms: Date.now() - t0 });
  t0 = Date.now();
  await user.startServer();
  emit({ event: "server", ms: Date.now() - t0 });
  if (phase === "restore") {
    for (const file of notebooks) {
      const notebook = await user.getNotebook(`${COPY}/${file}`);
      emit({
        event: "restored",
        notebook: file,
        digest: notebookDigest(notebook),
        answersOf: notebook.metadata?.bnlabHubTest?.student ?? null,
      });
    }
  } else if (together) {
    await Promise.all(notebooks.map((file) => work(user, file, figures))); // both notebooks open at once, each on its own kernel
  } else {
    for (const file of notebooks) if ((await work(user, file, figures)).failed) break;
  }
  if (figures.length) emit({ event: "figure-asset", ...(await figureAsset(user, figures, peer)) });
  emit({ event: "done" });
}

/** One notebook of phase "run": answered and saved, run top to bottom on a new kernel, saved with its outputs. */
async function work(user, file, figures) {
  const notebook = await user.getNotebook(`${COPY}/${file}`);
  const answers = answered(notebook, file);
  notebook.metadata.bnlabHubTest = { student: user.name }; // whose work this is, to find it after the restart
  await user.saveNotebook(`${COPY}/${file}`, notebook);
  emit({ event: "answered", notebook: file, exercises: answers, digest: notebookDigest(notebook) });
  const result = await runNotebook(user, file, notebook);
  if (!result.died) await user.saveNotebook(`${COPY}/${file}`, notebook);
  if (!result.died) figures.push(...figureOutputs(notebook, file));
  emit({ event: "notebook", notebook: file, ...result, digest: result.died ? null : notebookDigest(notebook) });
  return result;
}

/** The figures (plot()'s text/html outputs) of an executed notebook: [{ notebook, html }]. */
function figureOutputs(notebook, file) {
  const html = (o) => [o.data?.["text/html"] ?? ""].flat().join("");
  return notebook.cells
    .flatMap((c) => c.outputs ?? [])
    .map(html)
    .filter((h) => h.includes('class="bnlab-plot"'))
    .map((h) => ({ notebook: file, html: h }));
}

/**
 * Runs a figure's script (lib/notebook/plot.ts) on a stand-in for this student's JupyterLab page, whose
 * Plotly is not loaded yet; returns the URL of the <script> it adds to load plotly.js.
 */
function loaderUrl(html, page) {
  const script = html.slice(html.indexOf("<script>") + 8, html.lastIndexOf("</script>"));
  let src = null;
  const element = {
    set src(url) {
      src = url;
    },
  };
  const config = { textContent: JSON.stringify({ baseUrl: page.baseUrl }) };
  const document = {
    body: { dataset: {} },
    head: { appendChild() {} },
    createElement: () => element,
    getElementById: (id) => (id === "jupyter-config-data" ? config : null),
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the figure's own script on a stand-in page
  new Function("window", "document", "location", script)({}, document, new URL(page.href));
  return src;
}

/**
 * Where this student's figures load plotly.js from when the notebook is open in their JupyterLab, and what
 * the hub answers a browser with this student's cookies: for that URL, and for the same file of `peer`.
 */
async function figureAsset(user, figures, peer) {
  const base = user.server("");
  const urls = [
    ...new Set(
      figures.map((f) =>
        loaderUrl(f.html, { baseUrl: base, href: `${user.url}${base}lab/tree/${COPY}/${f.notebook}` }),
      ),
    ),
  ];
  const mine = await user.browserGet(new URL(urls[0]).pathname);
  const peerPath = peer ? new URL(urls[0]).pathname.replace(base, `/user/${peer}/`) : null;
  const theirs = peer ? await user.browserGet(peerPath) : null;
  const bundle = createRequire(import.meta.url)(
    join(ROOT, "dist", "lib", "notebook", "plotly-asset.js"),
  ).plotlyBundle();
  return {
    figures: figures.length,
    urls,
    path: mine.path,
    status: mine.status,
    sameBytes: mine.bytes.equals(readFileSync(bundle.path)),
    peer,
    peerPath,
    peerStatus: theirs?.status ?? null,
    peerGotBundle: theirs ? theirs.bytes.length > 1e6 && theirs.bytes.equals(readFileSync(bundle.path)) : null,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run(JSON.parse(process.argv[2])).catch((error) => {
    emit({ event: "error", error: error.stack ?? String(error) });
    process.exit(1);
  });
}
