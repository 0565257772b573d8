#!/usr/bin/env node
// Patches two bugs of tslab 1.0.22 (run by npm's postinstall; idempotent):
//   1. the cell converter: shorthand properties must see earlier cells' variables;
//   2. the kernel's sockets: output must not be lost after 512 messages (see SOCKET_* below).
//
// 1. The bug (measured): cell 1 `const rng = lab.makeRng(1337);`, cell 2 `lab.makeSpiral({ rng })`
// → "ReferenceError: rng is not defined". tslab rewrites every identifier that refers to an
// earlier cell into `exports.name`, but asks the type checker for the symbol at `rng` in
// `{ rng }`, which is the new object's property, so the shorthand is left alone.
// The patch turns `{ rng }` into `{ rng: exports.rng }` when `rng` is an earlier cell's variable
// (TypeScript's getShorthandAssignmentValueSymbol); a local `rng` of the same cell is untouched.
//
// Each patch is idempotent (a marker comment); the script exits 0 when already patched or when
// tslab's code differs (then it says so). Run after `npm install`:  node scripts/jupyter/patch-tslab.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MARKER = "batchnorm-lab patch: shorthand properties";
const ANCHOR = `            var _a, _b;
            if (!ts.isIdentifier(node)) {
                return ts.visitEachChild(node, wrapPrevIdentifier, nullTransformationContext);`;
const PATCH = `            var _a, _b;
            if (ts.isShorthandPropertyAssignment(node) && !node.objectAssignmentInitializer) {
                // ${MARKER}: { rng } → { rng: exports.rng } when rng is an earlier cell's variable
                const value = checker.getShorthandAssignmentValueSymbol(node);
                if (value && (value.declarations || []).some((d) => d.getSourceFile() === declsFile)) {
                    return ts.factory.createPropertyAssignment(node.name.text, ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), node.name.text));
                }
                return node;
            }
            if (!ts.isIdentifier(node)) {
                return ts.visitEachChild(node, wrapPrevIdentifier, nullTransformationContext);`;

// 2. The bug (measured, and the cause of a rare failure of "Run All" in the browser test): zeromq.js 6
// sends at most 512 messages on a socket synchronously; the 513th is deferred to the next turn of the
// event loop, and until then every other send on that socket THROWS "Socket is busy writing". tslab
// sends without awaiting, so whatever it sends in that window is lost: a cell's display or stderr
// output, the error message of the failing cell, the "idle" status. A cell that shows 1 500 outputs
// in a loop delivers 500 and ends with status "error" and no message; an unlucky plot cell long after
// a live training display fails the same way; sometimes the kernel stops replying. The patch creates
// the sockets with `sendTimeout: 0`, which keeps every send on zeromq's synchronous path. That is
// safe for these socket types: a PUB socket never blocks (past its high-water mark it drops) and a
// ROUTER drops what it cannot route, so a send never has to wait.
const SOCKET_MARKER = "batchnorm-lab patch: sendTimeout 0";
const SOCKET_ANCHOR = `        this.iopub = new zmq.Publisher();
        this.shell = new zmq.Router();
        this.control = new zmq.Router();
        this.stdin = new zmq.Router();
        this.hb = new zmq.Reply();`;
const SOCKET_PATCH = `        // ${SOCKET_MARKER}: every send synchronous (zeromq.js defers the 513th and throws on the next)
        this.iopub = new zmq.Publisher({ sendTimeout: 0 });
        this.shell = new zmq.Router({ sendTimeout: 0 });
        this.control = new zmq.Router({ sendTimeout: 0 });
        this.stdin = new zmq.Router({ sendTimeout: 0 });
        this.hb = new zmq.Reply({ sendTimeout: 0 });`;

/** Applies one patch to a file of tslab's dist/; returns "patched" | "already" | "unknown-version". */
function patchFile(root, name, marker, anchor, patch) {
  const file = join(dirname(createRequire(join(root, "package.json")).resolve("tslab/package.json")), "dist", name);
  const source = readFileSync(file, "utf8");
  if (source.includes(marker)) return "already";
  if (!source.includes(anchor)) return "unknown-version";
  writeFileSync(file, source.replace(anchor, patch));
  return "patched";
}

/** Patches node_modules/tslab/dist/converter.js (shorthand properties); returns "patched" | "already" | "unknown-version". */
export function patchTslab(root = ROOT) {
  return patchFile(root, "converter.js", MARKER, ANCHOR, PATCH);
}

/** Patches node_modules/tslab/dist/jupyter.js (sockets with sendTimeout 0); same results as `patchTslab`. */
export function patchTslabSockets(root = ROOT) {
  return patchFile(root, "jupyter.js", SOCKET_MARKER, SOCKET_ANCHOR, SOCKET_PATCH);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const converter = {
    patched: "tslab: patched the converter so `{ rng }` finds an earlier cell's `rng`.",
    already: "tslab: converter already patched.",
    "unknown-version": "tslab: converter code differs from 1.0.22; shorthand patch not applied (check whether `{ x }` of an earlier cell's x works).",
  };
  const sockets = {
    patched: "tslab: patched the kernel's sockets so no output is lost after 512 messages.",
    already: "tslab: kernel sockets already patched.",
    "unknown-version": "tslab: kernel code differs from 1.0.22; socket patch not applied (a cell with more than 512 outputs may lose some).",
  };
  console.log(converter[patchTslab()]);
  console.log(sockets[patchTslabSockets()]);
}
