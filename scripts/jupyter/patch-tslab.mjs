#!/usr/bin/env node
// Patches tslab 1.0.22 (run by npm's postinstall; idempotent):
//   1. the cell converter: shorthand properties must see earlier cells' variables;
//   2. the kernel's sockets: output must not be lost after 512 messages (see SOCKET_* below);
//   3. errors the Jupyter way: a failing cell publishes an `error` message (see ERROR_* below).
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

// 3. tslab 1.0.22 reports a failing cell only as stderr text plus an execute_reply with status "error":
// no `error` message (ename, evalue, traceback), so JupyterLab, Notebook 7, nbclient with allow_errors and
// nbgrader's autograder see a failing cell as a passing one. The patch adds dist/errors.js (the source is
// scripts/jupyter/tslab-errors.js): the executor records { ename, evalue, traceback } of a type error
// ("TypeScriptError", cell line and column), a thrown error or a rejected promise (the error's name and
// message; stack frames of cell code mapped back to the cell's line and column through the converter's
// source maps; tslab's and node's internal frames left out); the kernel publishes it as an `error`
// message before the reply, and puts the same fields in the reply. It is no longer ALSO written to
// stderr (frontends would show it twice). And after an error, tslab aborted every request for 200 ms
// after its reply, so nbclient's next cell (sent as soon as the reply arrives) was never run; now it
// waits those 200 ms BEFORE replying (requests that arrive meanwhile were sent before the client saw
// the error, e.g. by Run All: still aborted) and then runs what comes.
const ERROR_MARKER = "batchnorm-lab patch: errors";
const ERROR_SOURCE = join(ROOT, "scripts", "jupyter", "tslab-errors.js");
/** [file of tslab's dist/, anchor, replacement]; the anchors are tslab 1.0.22's code. */
const ERROR_PATCHES = [
  ["converter.js", "        declaration: true,\n        newLine: ts.NewLineKind.LineFeed,", "        declaration: true,\n        // batchnorm-lab patch: errors: source maps, to point a runtime error at the cell's line\n        sourceMap: true,\n        newLine: ts.NewLineKind.LineFeed,"],
  ["converter.js", "        let sideOutputs;\n        for (const dep of getAllSrcDependencies(builder, srcFile)) {", "        let sideOutputs;\n        let sourceMap;\n        for (const dep of getAllSrcDependencies(builder, srcFile)) {"],
  ["converter.js", "                    declOutput = data;\n                    return;", "                    declOutput = data;\n                    return;\n                }\n                if (fileName === dstFilename + \".map\") {\n                    sourceMap = data;\n                    return;"],
  ["converter.js", "        declOutput += remainingDecls(builder.getProgram().getTypeChecker(), srcFile, declsFile);\n        return {", "        declOutput += remainingDecls(builder.getProgram().getTypeChecker(), srcFile, declsFile);\n        const commonJS = esModuleToCommonJSModuleWithMap(output, transpileTarget);\n        return {"],
  ["converter.js", "        return {\n            output: esModuleToCommonJSModule(output, transpileTarget),\n            declOutput,", "        return {\n            output: commonJS.output,\n            // batchnorm-lab patch: errors: output \u2192 ES module JS \u2192 srcPrefix + cell (srcLineOffset lines of prefix)\n            sourceMaps: [commonJS.sourceMap, sourceMap],\n            srcLineOffset: srcPrefixOffsets.line,\n            declOutput,"],
  ["converter.js", "exports.esModuleToCommonJSModule = esModuleToCommonJSModule;\n/*@internal*/", "exports.esModuleToCommonJSModule = esModuleToCommonJSModule;\n/** batchnorm-lab patch: errors: esModuleToCommonJSModule that also returns the source map, without sourceMappingURL comments. */\nfunction esModuleToCommonJSModuleWithMap(js, target) {\n    const noMapComment = (text) => text.replace(/\\n?\\/\\/# sourceMappingURL=\\S*\\s*$/, \"\");\n    const out = ts.transpileModule(noMapComment(js), {\n        fileName: \"custom.js\",\n        compilerOptions: {\n            module: ts.ModuleKind.CommonJS,\n            esModuleInterop: true,\n            target,\n            newLine: ts.NewLineKind.LineFeed,\n            noImplicitUseStrict: true,\n            sourceMap: true,\n        },\n    });\n    return { output: noMapComment(out.outputText), sourceMap: out.sourceMapText };\n}\n/*@internal*/"],
  ["executor.js", "const tspath_1 = require(\"./tspath\");\n/**", "const tspath_1 = require(\"./tspath\");\nconst errors_1 = require(\"./errors\");\n/**"],
  ["executor.js", "    let prevDecl = \"\";\n    let interrupted = new Error(\"Interrupted asynchronously\");", "    let prevDecl = \"\";\n    // batchnorm-lab patch: errors: the { ename, evalue, traceback } of the last failed execute\n    const errors = (0, errors_1.createErrorReporter)();\n    let lastError = null;\n    let interrupted = new Error(\"Interrupted asynchronously\");"],
  ["executor.js", "    }\n    async function execute(src) {\n        const meta = (0, metadata_1.getCodeMetadata)(src);", "    }\n    async function execute(src, executionCount) {\n        lastError = null;\n        const meta = (0, metadata_1.getCodeMetadata)(src);"],
  ["executor.js", "        if (converted.diagnostics.length > 0) {\n            printDiagnostics(converted.diagnostics);\n            return false;", "        if (converted.diagnostics.length > 0) {\n            lastError = errors.compileError(converted.diagnostics, src, executionCount);\n            return false;"],
  ["executor.js", "                breakOnSigint: true,\n            });", "                breakOnSigint: true,\n                filename: errors.register(src, converted, prefix.length, executionCount),\n            });"],
  ["executor.js", "        catch (e) {\n            console.error(e);\n            return false;", "        catch (e) {\n            lastError = errors.runtimeError(e);\n            return false;"],
  ["executor.js", "            catch (e) {\n                console.error(e);\n                return false;", "            catch (e) {\n                lastError = errors.runtimeError(e);\n                return false;"],
  ["executor.js", "        execute,\n        inspect,", "        execute,\n        lastError: () => lastError,\n        inspect,"],
  ["jupyter.js", "const util_2 = require(\"./util\");\nconst utf8Decoder = new util_1.TextDecoder();", "const util_2 = require(\"./util\");\nconst errors_1 = require(\"./errors\");\nconst utf8Decoder = new util_1.TextDecoder();"],
  ["jupyter.js", "        let count = null;\n        try {", "        let count = null;\n        let error = null;\n        try {"],
  ["jupyter.js", "                count = e;\n            }", "                count = e;\n                error = this.executor.lastError();\n            }"],
  ["jupyter.js", "                console.error(\"unexpected error:\", e);\n            }", "                console.error(\"unexpected error:\", e);\n                error = (0, errors_1.errorContent)(e);\n            }"],
  ["jupyter.js", "                // https://material.io/design/motion/speed.html#duration\n                this.execQueue.reset(200);\n            }", "                // https://material.io/design/motion/speed.html#duration\n                // batchnorm-lab patch: errors: wait BEFORE replying, then run what comes next. Requests that\n                // arrive while the error reply is not sent yet were sent before the client saw the error\n                // (Run All): aborted. A client that waits for the reply (nbclient, nbgrader) runs its next cell.\n                await new Promise((resolve) => setTimeout(resolve, 200));\n                this.execQueue.reset();\n            }"],
  ["jupyter.js", "        }\n        return {\n            status: status,", "        }\n        // batchnorm-lab patch: errors: an error reply carries ename, evalue and traceback (and they go to iopub)\n        return Object.assign({\n            status: status,"],
  ["jupyter.js", "            execution_count: count ? count.count : undefined,\n        };\n    }", "            execution_count: count ? count.count : undefined,\n        }, status === \"error\" ? error || (0, errors_1.errorContent)(new Error(\"the cell failed\")) : {});\n    }"],
  ["jupyter.js", "        let count = new ExecutionCount(++this.execCount);\n        let ok = await this.executor.execute(req.code);\n        if (!ok) {", "        let count = new ExecutionCount(++this.execCount);\n        let ok = await this.executor.execute(req.code, count.count);\n        if (!ok) {"],
  ["jupyter.js", "        const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData);\n        reply.content = content;", "        const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData);\n        if (content.status === \"error\") {\n            // batchnorm-lab patch: errors: the standard `error` output, before the reply\n            const error = msg.createReply();\n            error.header.msg_type = \"error\";\n            error.content = { ename: content.ename, evalue: content.evalue, traceback: content.traceback };\n            error.signAndSend(this.connInfo.key, this.iopub);\n        }\n        reply.content = content;"],
];

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

/** Adds dist/errors.js and patches converter.js, executor.js, jupyter.js (error messages); same results as `patchTslab`. */
export function patchTslabErrors(root = ROOT) {
  const dist = join(dirname(createRequire(join(root, "package.json")).resolve("tslab/package.json")), "dist");
  const files = [...new Set(ERROR_PATCHES.map(([name]) => name))];
  const sources = new Map(files.map((name) => [name, readFileSync(join(dist, name), "utf8")]));
  const marked = files.filter((name) => sources.get(name).includes(ERROR_MARKER));
  if (marked.length === files.length) return "already";
  if (marked.length > 0) return "unknown-version";
  for (const [name, anchor, patch] of ERROR_PATCHES) {
    const source = sources.get(name);
    if (source.split(anchor).length !== 2) return "unknown-version";
    sources.set(name, source.replace(anchor, () => patch));
  }
  writeFileSync(join(dist, "errors.js"), readFileSync(ERROR_SOURCE, "utf8"));
  for (const name of files) writeFileSync(join(dist, name), sources.get(name));
  return "patched";
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
  const errors = {
    patched: "tslab: patched the kernel so a failing cell publishes a Jupyter `error` message.",
    already: "tslab: error messages already patched.",
    "unknown-version": "tslab: kernel code differs from 1.0.22; error patch not applied (failing cells show only stderr).",
  };
  console.log(converter[patchTslab()]);
  console.log(sockets[patchTslabSockets()]);
  console.log(errors[patchTslabErrors()]);
}
