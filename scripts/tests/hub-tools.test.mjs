// The small, fast parts of the class hub (scripts/hub/): names, password, /proc decoding, the capacity
// estimate, the notebook digest. The hub itself is tested for real by `npm run test:hub` (scripts/hub/hub.test.mjs).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { ROOT } from "../jupyter/kernel.mjs";
import { venvPython } from "../jupyter/venv.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classPassword, freePort, studentNames } from "../hub/hub.mjs";
import { decodeAddress, isLoopback, listeningSockets, processInfo, processTree, role } from "../hub/procs.mjs";
import { capacity } from "../hub/figures.mjs";
import { notebookDigest } from "../hub/student.mjs";
import { createServer } from "node:net";

describe("class hub tools", () => {
  it("names students student01 … with a common width, or takes the given list", () => {
    assert.deepEqual(studentNames({ students: 3 }), ["student01", "student02", "student03"]);
    assert.equal(studentNames({ students: 120 }).at(-1), "student120");
    assert.equal(studentNames({ students: 120 })[0], "student001");
    assert.deepEqual(studentNames({ users: ["ann", "bob"] }), ["ann", "bob"]);
  });

  it("keeps a generated password (mode 600) and prefers HUB_PASSWORD; refuses one shorter than 8", () => {
    const dir = mkdtempSync(join(tmpdir(), "bnlab-hub-tools-"));
    try {
      const first = classPassword(dir, {});
      assert.ok(first.password.length >= 8);
      assert.equal(statSync(join(dir, "password")).mode & 0o777, 0o600);
      assert.equal(classPassword(dir, {}).password, first.password, "the same password at the next start");
      assert.equal(readFileSync(join(dir, "password"), "utf8").trim(), first.password);
      assert.equal(classPassword(dir, { HUB_PASSWORD: "teacher-set-1" }).password, "teacher-set-1");
      assert.throws(() => classPassword(dir, { HUB_PASSWORD: "short" }), /at least 8 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decodes /proc/net/tcp addresses and tells loopback from the rest", () => {
    assert.equal(decodeAddress("0100007F"), "127.0.0.1");
    assert.equal(decodeAddress("00000000"), "0.0.0.0");
    assert.equal(decodeAddress("00000000000000000000000001000000"), "::1");
    assert.equal(decodeAddress("0000000000000000FFFF00000100007F"), "::ffff:127.0.0.1");
    assert.equal(decodeAddress("00000000000000000000000000000000"), "::");
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) assert.equal(isLoopback(address), true, address);
    for (const address of ["0.0.0.0", "::", "10.1.2.3", "::ffff:10.1.2.3"])
      assert.equal(isLoopback(address), false, address);
  });

  it("finds this process's listening socket, its tree, memory and CPU time in /proc", async () => {
    const server = createServer();
    await new Promise((done) => server.listen(0, "127.0.0.1", done));
    try {
      const port = server.address().port;
      const sockets = listeningSockets([process.pid]);
      assert.deepEqual(
        sockets.filter((s) => s.port === port).map((s) => s.address),
        ["127.0.0.1"],
      );
      assert.ok(processTree(process.ppid).includes(process.pid));
      const me = processInfo(process.pid);
      assert.ok(me.rssMiB > 10 && me.cpuSeconds >= 0, JSON.stringify(me));
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it("classifies the hub's processes by their command line", () => {
    assert.equal(
      role("/usr/bin/node /kit/node_modules/configurable-http-proxy/bin/configurable-http-proxy --ip 127.0.0.1"),
      "proxy",
    );
    assert.equal(role("/kit/.venv/bin/python /kit/.venv/bin/jupyterhub-singleuser --allow-root"), "server");
    assert.equal(role("/usr/bin/node /kit/node_modules/.bin/tslab kernel --config-path /x/kernel-1f2e.json"), "kernel");
    assert.equal(role("/kit/.venv/bin/python -m jupyterhub -f /kit/scripts/hub/jupyterhub_config.py"), "hub");
  });

  it("estimates the class size: CPU-bound as cores × 120 s / CPU seconds, memory-bound at 80 % of RAM", () => {
    // 2 cores, 120 s: 240 CPU-seconds; 24 s each → 10 students. 24 GiB × 0.8 = 19 660.8 MiB; 800 MiB each → 24.
    assert.deepEqual(capacity({ cores: 2, memoryGiB: 24, cpuSeconds: 24, serverMiB: 200, kernelMiB: 600 }), {
      byCpu: 10,
      byMemory: 24,
      students: 10,
    });
    assert.deepEqual(capacity({ cores: 64, memoryGiB: 8, cpuSeconds: 24, serverMiB: 200, kernelMiB: 600 }), {
      byCpu: 320,
      byMemory: 8,
      students: 8,
    });
  });

  it("digests a notebook the same whether the server stores strings as lists or text, and sees changed outputs", () => {
    const asText = {
      cells: [
        { cell_type: "code", source: "a\nb", outputs: [{ output_type: "stream", name: "stdout", text: "1\n2" }] },
      ],
    };
    const asLists = {
      cells: [
        {
          cell_type: "code",
          source: ["a\n", "b"],
          outputs: [{ output_type: "stream", name: "stdout", text: ["1\n", "2"] }],
        },
      ],
    };
    assert.equal(notebookDigest(asText), notebookDigest(asLists));
    const changed = structuredClone(asText);
    changed.cells[0].outputs[0].text = "1\n3";
    assert.notEqual(notebookDigest(changed), notebookDigest(asText));
  });

  it("the Zero to JupyterHub sample (on paper) parses, makes the copy with the kit's user-copy (student versions), and its memory limit is not below its guarantee", () => {
    const code = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
    const result = spawnSync(venvPython(), ["-c", code, join(ROOT, "deploy", "z2jh", "config.yaml")], {
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr + " (npm run venv first)");
    const { singleuser } = JSON.parse(result.stdout);
    const hook = singleuser.lifecycleHooks.postStart.exec.command.join(" ");
    const script = /\/opt\/batchnorm-lab\/(\S+\.mjs)/.exec(hook)[1];
    assert.ok(existsSync(join(ROOT, script)), `${script} exists in the kit`);
    assert.match(hook, /--student/, "students get the student notebooks");
    assert.ok(
      readFileSync(join(ROOT, "deploy", "z2jh", "Dockerfile"), "utf8").includes(
        "rm -rf notebooks/*.ipynb notebooks/src docs/teacher",
      ),
      "no solutions in the image",
    );
    const gib = (text) => Number(/^([\d.]+)G$/.exec(text)[1]);
    assert.ok(gib(singleuser.memory.limit) >= gib(singleuser.memory.guarantee));
  });

  it("asks the OS for a free loopback port", async () => {
    const port = await freePort();
    assert.ok(Number.isInteger(port) && port > 0 && port < 65536);
  });
});
