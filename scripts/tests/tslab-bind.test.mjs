// patches/tslab (4): a kernel whose port another process holds exits (code 1, a message naming the address) instead of
// running on without that socket, so Jupyter's restarter starts it again on new ports. Unpatched it stays alive, deaf.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TSLAB_BINARY } from "../jupyter/kernel.mjs";

const listen = (port = 0) =>
  new Promise((done) => {
    const server = createServer().listen(port, "127.0.0.1", () => done(server));
  });

test("tslab exits when one of its ports is taken (it would otherwise never answer)", async () => {
  const taken = await listen(); // holds the shell port
  const free = await Promise.all([1, 2, 3, 4].map(() => listen()));
  const [iopub, control, stdin, hb] = free.map((s) => s.address().port);
  await Promise.all(free.map((s) => new Promise((r) => s.close(r))));
  const dir = mkdtempSync(join(tmpdir(), "tslab-bind-"));
  const file = join(dir, "kernel.json");
  const key = randomBytes(16).toString("hex");
  writeFileSync(
    file,
    JSON.stringify({
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: taken.address().port,
      iopub_port: iopub,
      control_port: control,
      stdin_port: stdin,
      hb_port: hb,
      key,
      signature_scheme: "hmac-sha256",
    }),
  );
  try {
    const kernel = spawn(process.execPath, [TSLAB_BINARY, "kernel", `--config-path=${file}`], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    kernel.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => kernel.kill("SIGKILL"), 60_000);
    const [code, signal] = await new Promise((done) => kernel.on("exit", (...a) => done(a)));
    clearTimeout(timer);
    assert.equal(signal, null, `the kernel did not exit by itself within 60 s (killed); stderr: ${stderr}`);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`cannot listen on tcp://127\\.0\\.0\\.1:${taken.address().port} \\(EADDRINUSE\\)`));
  } finally {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
