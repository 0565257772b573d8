// The public surface: lib/index.ts exports exactly the names of the README's library map, and every
// `lab.X` that a notebook source, a doc or the README writes is one of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import * as lab from "./index";

const repo = resolve(__dirname, "..", ".."); // seen from dist/lib

/** The names `lib/index.ts` exports, values and types, read from its `export { … } from` lines. */
function indexExports(): string[] {
  const source = readFileSync(join(repo, "lib", "index.ts"), "utf8");
  return [...source.matchAll(/^export (?:type )?\{([^}]*)\} from/gm)]
    .flatMap((match) => match[1].split(","))
    .map((name) => name.trim().replace(/^type /, ""))
    .filter((name) => name !== "");
}

/** The backticked names in the last column of the README's library map. */
function readmeMapNames(): string[] {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("## The library (`lib/`)"),
    readme.indexOf("\n## ", readme.indexOf("## The library (`lib/`)") + 1),
  );
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  return rows.flatMap((row) =>
    [
      ...row
        .split("|")
        .at(-2)!
        .matchAll(/`([A-Za-z_]\w*)`/g),
    ].map((match) => match[1]),
  );
}

function files(dir: string, ending: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ending);
    return name.endsWith(ending) ? [path] : [];
  });
}

const exported = indexExports();

test("lib/index.ts exports each name once, and its value exports are what `import * as lab` gets", () => {
  assert.equal(new Set(exported).size, exported.length, "a name exported twice");
  const values = Object.keys(lab)
    .filter((name) => name !== "__esModule")
    .sort();
  assert.deepEqual(values, exported.filter((name) => name in lab).sort());
  assert.ok(exported.length > values.length, "the type exports (Layer, Rng, …) are read too");
});

test("the README's library map lists exactly the names on lab.", () => {
  const listed = readmeMapNames();
  assert.deepEqual([...listed].sort(), [...exported].sort());
});

test("every lab.X in notebooks/src, docs/ and the README exists", () => {
  const sources = [
    ...files(join(repo, "notebooks", "src"), ".ts"),
    ...files(join(repo, "docs"), ".md"),
    join(repo, "README.md"),
  ];
  const missing: string[] = [];
  const used = new Set<string>();
  for (const file of sources) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(/\blab\.([A-Za-z_]\w*)/g)) {
      used.add(name);
      if (!exported.includes(name)) missing.push(`${file.slice(repo.length + 1)}: lab.${name}`);
    }
  }
  assert.ok(used.size > 50 && used.has("BatchNorm1d"), `read the uses (${used.size} names)`);
  assert.deepEqual(
    [...new Set(missing)],
    [],
    "used but not exported by lib/index.ts (add it there and to the README's map)",
  );
});
