// The kit's own Jupyter in .venv/: which Jupyter is chosen and why, when .venv/ counts as installed,
// and `npm start` serving the notebooks from it with the TypeScript kernel listed and the token kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../jupyter/server.mjs";
import { ROOT } from "../jupyter/kernel.mjs";
import { pythonIsRecentEnough, venvPython, venvState } from "../jupyter/venv.mjs";

test("a Python is recent enough for the pinned Jupyter from 3.11 on", () => {
  assert.equal(pythonIsRecentEnough("3.11.2"), true);
  assert.equal(pythonIsRecentEnough("3.13.0"), true);
  assert.equal(pythonIsRecentEnough("4.0.0"), true);
  assert.equal(pythonIsRecentEnough("3.10.12"), false);
  assert.equal(pythonIsRecentEnough("3.9.18"), false);
  assert.equal(pythonIsRecentEnough("2.7.18"), false);
});

test("the venv's interpreter is bin/python, or Scripts\\python.exe on Windows", () => {
  assert.equal(venvPython("/x/.venv", "linux"), "/x/.venv/bin/python");
  assert.equal(venvPython("/x/.venv", "win32"), join("/x/.venv", "Scripts", "python.exe"));
});

test(".venv/ counts as installed only when its stamp matches today's requirements file", () => {
  const dir = mkdtempSync(join(tmpdir(), "bnlab-venv-state-"));
  try {
    const venv = join(dir, ".venv");
    const requirements = join(dir, "requirements.txt");
    writeFileSync(requirements, "jupyterlab==4.6.6\n");
    assert.equal(venvState(venv, requirements), "missing");
    mkdirSync(join(venv, "bin"), { recursive: true });
    writeFileSync(join(venv, "bin", "python"), "");
    assert.equal(venvState(venv, requirements), "stale", "no stamp: pip never finished");
    const hash = spawnSync("sha256sum", [requirements], { encoding: "utf8" }).stdout.split(" ")[0];
    writeFileSync(join(venv, "bnlab-requirements.sha256"), hash + "\n");
    assert.equal(venvState(venv, requirements), "ready");
    writeFileSync(requirements, "jupyterlab==4.6.7\n");
    assert.equal(venvState(venv, requirements), "stale", "requirements changed since the install");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const doctor = (env) =>
  spawnSync(process.execPath, ["scripts/jupyter/doctor.mjs"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

test("doctor says which Jupyter is used and why; LAB_PYTHON wins, and one without Jupyter is an error", () => {
  const chosen = doctor({}).stdout;
  assert.match(chosen, /Jupyter: .* — (the kit's own \.venv\/|a Jupyter already installed|none yet)/);
  const explicit = doctor({ LAB_PYTHON: venvPython() }).stdout;
  assert.match(explicit, /Jupyter: .*\.venv\/bin\/python .*— LAB_PYTHON is set/);
  const bad = doctor({ LAB_PYTHON: process.execPath });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /✗ LAB_PYTHON=.* has no Jupyter/);
});

// Needs the pinned .venv/ (npm test makes it before this runs); starts JupyterLab for real on 127.0.0.1.
test(
  "npm start serves the notebooks in JupyterLab from .venv/ with the TypeScript kernel listed and the token kept",
  { timeout: 240_000 },
  async () => {
    const port = await freePort();
    const env = { ...process.env, LAB_PYTHON: "", LAB_FRONTEND: "", LAB_IP: "" };
    delete env.LAB_PYTHON;
    const child = spawn(
      process.execPath,
      ["scripts/jupyter/start.mjs", "--no-browser", "--no-watch", `--port=${port}`],
      { cwd: ROOT, env, detached: true },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    try {
      const deadline = Date.now() + 200_000;
      let token = null;
      while (!token && Date.now() < deadline && child.exitCode === null) {
        token = new RegExp(`http://127\\.0\\.0\\.1:${port}/lab\\?token=(\\w+)`).exec(output)?.[1];
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(token, `no JupyterLab URL with a token on 127.0.0.1:${port} in:\n${output}`);
      assert.match(output, /Jupyter: .*\.venv\/bin\/python — the kit's own \.venv\//);
      const specs = await (await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`)).json();
      assert.equal(specs.kernelspecs.tslab?.spec.display_name, "TypeScript");
      const contents = await (await fetch(`http://127.0.0.1:${port}/api/contents?token=${token}`)).json();
      assert.ok(
        contents.content.some((item) => item.name === "00-start-here.ipynb"),
        "serves notebooks/",
      );
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/kernelspecs`)).status, 403, "no token, no access");
    } finally {
      try {
        process.kill(-Number(child.pid), "SIGTERM"); // NaN (throws) if it never started
      } catch {
        // already gone
      }
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    }
  },
);
