// The .d.ts files the browser kernel's type checker reads (written into the site as types.json; the
// kernel's unit tests read them from here). No side effects on import: lite/test bundles this file.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../jupyter/kernel.mjs";
import { walk } from "./inputs.mjs";

/** The .d.ts files the type checker needs, by their path in the virtual checkout /repo (TypeScript's own under /ts-lib). */
export function typeFiles() {
  const files = {};
  const tsLib = join(ROOT, "node_modules", "typescript", "lib");
  const pending = ["es2022"];
  for (const seen = new Set(); pending.length > 0;) {
    const name = pending.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    const text = readFileSync(join(tsLib, `lib.${name}.d.ts`), "utf8");
    files[`/ts-lib/lib.${name}.d.ts`] = text;
    for (const match of text.matchAll(/\/\/\/ <reference lib="([^"]+)" \/>/g)) pending.push(match[1]);
  }
  const add = (path) => (files[`/repo/${relative(ROOT, path).split("\\").join("/")}`] = readFileSync(path, "utf8"));
  walk(join(ROOT, "dist", "lib"), (p) => p.endsWith(".d.ts") && !p.endsWith(".test.d.ts")).forEach(add);
  for (const pkg of ["mathjs", "decimal.js", "fraction.js"]) {
    const dir = join(ROOT, "node_modules", pkg);
    add(join(dir, "package.json"));
    walk(dir, (p) => /\.d\.m?ts$/.test(p) && !p.includes(`${pkg}/node_modules`)).forEach(add);
  }
  files["/repo/package.json"] = JSON.stringify({
    name: "batchnorm-lab",
    main: "dist/lib/index.js",
    types: "dist/lib/index.d.ts",
  });
  files["/globals/node-globals.d.ts"] = readFileSync(join(ROOT, "lite", "types", "node-globals.d.ts"), "utf8");
  return files;
}
