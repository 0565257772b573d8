// Tests for the npm start / export helpers that need no running Jupyter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStartArgs, jupyterArgs } from "../jupyter/start.mjs";
import { isLocalUrl, remoteResources } from "../jupyter/local-url.mjs";
import { checkNode } from "../jupyter/doctor.mjs";

const probe = (modules) => ({ path: "/usr/bin/python3", modules: { jupyter_client: true, ...modules } });

test("npm start listens on 127.0.0.1, opens a browser and watches by default", () => {
  const options = parseStartArgs([], {});
  assert.deepEqual(
    { ...options, passThrough: undefined },
    { frontend: "auto", ip: "127.0.0.1", port: null, browser: true, watch: true, passThrough: undefined },
  );
});

test("flags and environment variables override the defaults; other flags pass through", () => {
  const fromEnv = parseStartArgs([], {
    LAB_IP: "0.0.0.0",
    LAB_PORT: "9000",
    LAB_NO_BROWSER: "1",
    LAB_FRONTEND: "classic",
  });
  assert.equal(fromEnv.ip, "0.0.0.0");
  assert.equal(fromEnv.port, "9000");
  assert.equal(fromEnv.browser, false);
  assert.equal(fromEnv.frontend, "classic");
  const fromFlags = parseStartArgs(
    ["--ip=10.1.2.3", "--no-browser", "--no-watch", "--lab", "--NotebookApp.iopub_data_rate_limit=1e9"],
    {},
  );
  assert.equal(fromFlags.ip, "10.1.2.3");
  assert.equal(fromFlags.watch, false);
  assert.equal(fromFlags.frontend, "lab");
  assert.deepEqual(fromFlags.passThrough, ["--NotebookApp.iopub_data_rate_limit=1e9"]);
});

test("flags that would switch token authentication off are refused", () => {
  for (const flag of [
    "--NotebookApp.token=",
    "--ServerApp.token=''",
    '--IdentityProvider.token=""',
    "--NotebookApp.password=",
  ]) {
    assert.throws(() => parseStartArgs([flag], {}), /keeps token authentication/, flag);
  }
  assert.doesNotThrow(() => parseStartArgs(["--NotebookApp.token=abc123"], {}));
});

test("JupyterLab is chosen when installed, Notebook otherwise or with --notebook", () => {
  const options = parseStartArgs(["--no-browser"], {});
  assert.equal(jupyterArgs(probe({ notebook: true, jupyterlab: true }), options).args[1], "jupyterlab");
  const classic = jupyterArgs(probe({ notebook: true, jupyterlab: false }), options);
  assert.equal(classic.lab, false);
  assert.deepEqual(classic.args.slice(0, 4), ["-m", "notebook", "--ip=127.0.0.1", "--no-browser"]);
  assert.equal(
    jupyterArgs(probe({ notebook: true, jupyterlab: true }), parseStartArgs(["--classic"], {})).args[1],
    "notebook",
  );
  assert.equal(
    jupyterArgs(probe({ notebook: true, jupyterlab: true }), parseStartArgs(["--notebook"], {})).args[1],
    "notebook",
  );
  assert.throws(
    () => jupyterArgs(probe({ notebook: true }), parseStartArgs(["--lab"], {})),
    /JupyterLab is not installed/,
  );
});

test("only loopback and in-page URLs are local; file: only when allowed", () => {
  for (const url of [
    "http://127.0.0.1:8888/api",
    "ws://localhost:1/x",
    "http://[::1]:80/",
    "data:text/plain,x",
    "blob:http://127.0.0.1/abc",
  ]) {
    assert.ok(isLocalUrl(url), url);
  }
  for (const url of [
    "https://cdn.plot.ly/plotly.min.js",
    "http://10.0.0.1/",
    "http://192.168.1.2/",
    "http://128.0.0.1/",
    "http://127.example.com/",
  ]) {
    assert.ok(!isLocalUrl(url), url);
  }
  assert.ok(!isLocalUrl("file:///usr/share/x.js"));
  assert.ok(isLocalUrl("file:///usr/share/x.js", { allowFile: true }));
});

test("remoteResources finds loads from other hosts or the file system and ignores plain links", () => {
  const html = `<script src="https://cdn.example/require.js"></script><link rel="stylesheet" href="//fonts.example/css">
    <style>@import "https://css.example/a.css"; body { background: url(http://img.example/b.png) }</style>
    <img src='http://img.example/c.png'><a href="https://docs.example/">docs</a><script src="file:///usr/share/javascript/mathjax/MathJax.js"></script>`;
  assert.deepEqual(remoteResources(html).sort(), [
    "//fonts.example/css",
    "file:///usr/share/javascript/mathjax/MathJax.js",
    "http://img.example/b.png",
    "http://img.example/c.png",
    "https://cdn.example/require.js",
    "https://css.example/a.css",
  ]);
});

test("doctor wants Node 20 or newer", () => {
  assert.equal(checkNode("20.0.0").ok, true);
  assert.equal(checkNode("22.3.1").ok, true);
  assert.equal(checkNode("18.19.0").ok, false);
});

test("the private kernelspec starts this checkout's tslab with this Node, found through JUPYTER_PATH", async () => {
  const { installKernel, jupyterEnv, kernelJsonPath, TSLAB_BINARY } = await import("../jupyter/kernel.mjs");
  const { pinnedJupyter } = await import("../jupyter/python.mjs");
  const { readFileSync } = await import("node:fs");
  const { spawnSync } = await import("node:child_process");
  const python = pinnedJupyter({ log: () => {} });
  installKernel(python.path, "private", { quiet: true });
  const spec = JSON.parse(readFileSync(kernelJsonPath("private"), "utf8"));
  assert.deepEqual(spec.argv.slice(0, 3), [process.execPath, TSLAB_BINARY, "kernel"]);
  assert.equal(spec.display_name, "TypeScript");
  const code =
    "import json; from jupyter_client.kernelspec import KernelSpecManager as K; s = K().get_kernel_spec('tslab'); print(json.dumps([s.argv[1], s.env]))";
  const found = spawnSync(python.path, ["-c", code], {
    encoding: "utf8",
    env: jupyterEnv({ PATH: process.env.PATH, HOME: process.env.HOME }),
  });
  assert.equal(found.status, 0, found.stderr);
  const [binary, env] = JSON.parse(found.stdout);
  assert.equal(binary, TSLAB_BINARY, found.stderr);
  // Jupyter starts the kernel with glibc's malloc told to return large freed buffers (README, "Long runs")
  assert.equal(env.MALLOC_MMAP_THRESHOLD_, "65536");
});
