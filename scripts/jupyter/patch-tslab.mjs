#!/usr/bin/env node
// Patches tslab 1.0.22's cell converter so that shorthand properties see earlier cells' variables.
//
// The bug (measured): cell 1 `const rng = lab.makeRng(1337);`, cell 2 `lab.makeSpiral({ rng })`
// → "ReferenceError: rng is not defined". tslab rewrites every identifier that refers to an
// earlier cell into `exports.name`, but asks the type checker for the symbol at `rng` in
// `{ rng }`, which is the new object's property, so the shorthand is left alone.
// The patch turns `{ rng }` into `{ rng: exports.rng }` when `rng` is an earlier cell's variable
// (TypeScript's getShorthandAssignmentValueSymbol); a local `rng` of the same cell is untouched.
//
// Idempotent (a marker comment); exits 0 when already patched or when tslab's code differs
// (then it says so). Run after `npm install`:  node scripts/jupyter/patch-tslab.mjs
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

/** Patches node_modules/tslab/dist/converter.js; returns "patched" | "already" | "unknown-version". */
export function patchTslab(root = ROOT) {
  const file = join(dirname(createRequire(join(root, "package.json")).resolve("tslab/package.json")), "dist", "converter.js");
  const source = readFileSync(file, "utf8");
  if (source.includes(MARKER)) return "already";
  if (!source.includes(ANCHOR)) return "unknown-version";
  writeFileSync(file, source.replace(ANCHOR, PATCH));
  return "patched";
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = patchTslab();
  const messages = {
    patched: "tslab: patched the converter so `{ rng }` finds an earlier cell's `rng`.",
    already: "tslab: converter already patched.",
    "unknown-version": "tslab: converter code differs from 1.0.22; shorthand patch not applied (check whether `{ x }` of an earlier cell's x works).",
  };
  console.log(messages[result]);
}
