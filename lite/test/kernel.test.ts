// Unit tests of the browser kernel's parts that run in Node as well: the cell compiler (type check
// against earlier cells), the runtime (top-level names persist), the twins of node:util and node:path
// (checked against Node's own), and the output comparison of the browser test.
// Run: npm run test:lite:unit (bundled with esbuild, then node --test).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nodeUtil from "node:util";
import * as nodePath from "node:path";
import { Writable } from "node:stream";
import { CellCompiler } from "../worker/compiler";
import { CellScope, makeRunnable } from "../worker/runtime";
import { format, inspect } from "../twins/util";
import * as path from "../twins/path";
import { formatTable } from "../worker/table";
// @ts-expect-error: plain JavaScript without types
import { typeFiles } from "../../scripts/lite/types.mjs";
// @ts-expect-error: plain JavaScript without types
import { comparableOutputs } from "../../scripts/lite/compare.mjs";

/** A kernel without the worker: compile, run, commit, as lite/worker/main.ts does. */
function kernel(modules: Record<string, unknown> = {}) {
  const compiler = new CellCompiler(typeFiles(), "/repo/notebooks");
  const scope = new CellScope(); // this process's global object, as the worker's
  const loader = { require: (s: string) => modules[s], defaultOf: (m: unknown) => m };
  let count = 0;
  return async (code: string): Promise<{ errors: string[]; value?: unknown }> => {
    const { errors, javascript } = compiler.compile(code);
    if (errors.length > 0) return { errors };
    const value = await scope.run(makeRunnable(javascript), loader, `cell-${++count}.js`);
    compiler.commit();
    return { errors, value };
  };
}

describe("browser kernel: cells", () => {
  it("keeps top-level declarations for later cells, and closures see later assignments", async () => {
    const run = kernel();
    assert.deepEqual(
      await run("const a = 2;\nlet b = 3;\nfunction times(x: number) { return x * a; }\nconst read = () => b;"),
      { errors: [], value: undefined },
    );
    assert.deepEqual(await run("b += 1;\ntimes(b)"), { errors: [], value: 8 });
    assert.equal((await run("b = 10;\nread()")).value, 10);
  });

  it("reports type errors with the cell's line and column, and does not run the cell", async () => {
    const run = kernel();
    await run("let count = 0;");
    const result = await run("count = 1;\nconst s: string = count;");
    assert.deepEqual(result.errors, ["2:7 - Type 'number' is not assignable to type 'string'."]);
    assert.equal((await run("count")).value, 0);
    await run("const fixed = 1;");
    assert.deepEqual((await run("fixed = 2;")).errors, [
      "1:1 - Cannot assign to 'fixed' because it is a constant (declared with const in an earlier cell).",
    ]);
  });

  it("knows earlier types, shorthand properties and top-level await", async () => {
    const run = kernel();
    await run("interface Point { x: number; y: number }\nconst rng = 7;");
    assert.deepEqual(
      await run("const p: Point = { x: 1, y: 2 };\nconst o = { rng };\nawait Promise.resolve(o.rng + p.y)"),
      { errors: [], value: 9 },
    );
    assert.match((await run("const q: Point = { x: 1 };")).errors[0], /^1:7 - Property 'y' is missing/);
  });

  it("lets a later cell redeclare a name with another type", async () => {
    const run = kernel();
    await run("const a = 1;");
    assert.deepEqual(await run("const a = 'text';\na.length"), { errors: [], value: 4 });
  });

  it("imports the library by the notebook's specifier, with its types", async () => {
    const lab = { makeRng: (seed: number) => ({ seed }) };
    const run = kernel({ "..": lab });
    assert.deepEqual(await run('import * as lab from "..";\nconst rng = lab.makeRng(1337);'), {
      errors: [],
      value: undefined,
    });
    assert.deepEqual((await run("rng")).value, { seed: 1337 });
    assert.match((await run("lab.makeRng('x')")).errors[0], /^1:13 - Argument of type 'string' is not assignable/);
  });

  it("keeps a cell's `console` or `process` apart from the global ones", async () => {
    const run = kernel();
    const [console, process] = [globalThis.console, globalThis.process];
    assert.equal(
      (await run("const console = 3;\nlet process = 'mine';\nconst later = () => process;")).errors.length,
      0,
    );
    assert.deepEqual(await run("process = process + '!';\nconsole + later().length"), { errors: [], value: 8 });
    assert.equal(globalThis.console, console);
    assert.equal(globalThis.process, process);
  });

  it("hoists functions, keeps classes and enums", async () => {
    const run = kernel();
    assert.equal((await run("const early = twice(4);\nfunction twice(x: number) { return 2 * x; }\nearly")).value, 8);
    await run("class Counter { n = 0; add() { return ++this.n; } }\nenum Color { Red, Green }");
    assert.equal((await run("const c = new Counter();\nc.add();\nc.add() + Color.Green")).value, 3);
  });
});

describe("browser kernel: twins of Node's util and path", () => {
  const samples: unknown[] = [
    1,
    -0,
    0.1 + 0.2,
    1e-7,
    12345678901234567890n,
    "text",
    "it's",
    null,
    undefined,
    true,
    [1, 2, 3],
    [],
    ["a", { b: 1 }],
    { a: 1, b: "x", c: [1, 2] },
    {},
    new Float64Array([1.5, 2]),
    new Map([["k", 1]]),
    new Set([1, 2]),
    { nested: { deeper: { deepest: { x: 1 } } } },
    [
      [1, 2],
      [3, 4],
    ],
    function named() {},
    class Model {},
    Symbol("s"),
    [1, 2, 3, 4, 5, 6, 7],
    new Float64Array(10),
    Array.from({ length: 27 }, (_, i) => i + 1),
    { curve: Array.from({ length: 30 }, (_, i) => i / 7) },
    Array.from({ length: 120 }, (_, i) => i * i),
    ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"],
    { a: { b: { c: {} } } },
    { loss: [0.5, 0.25], accuracy: [0.9, 0.95], epochs: 2, seconds: 1.25, validationAccuracy: [0.8, 0.85] },
    new Int32Array([5, 0, 4, 1, 9]),
  ];
  for (const value of samples) {
    it(`inspect matches Node for ${nodeUtil.inspect(value).slice(0, 40)}`, () =>
      assert.equal(inspect(value), nodeUtil.inspect(value)));
  }
  it("format matches Node for console.log-style arguments", () => {
    const calls: unknown[][] = [
      ["x =", 3, "y =", 0.5],
      ["%s is %d years", "Ann", 42.5],
      ["%i%%", 7.9],
      [{ a: 1 }, "b"],
      ["a\nb", [1]],
      [],
      ["%o", 1],
    ];
    for (const args of calls) assert.equal(format(...args), nodeUtil.format(...args));
  });
  it("console.table matches Node's", () => {
    const tables: unknown[] = [
      [
        { "batch size": 5, std: "0.2494", acc: 0.91 },
        { "batch size": 50, acc: 0.9 },
      ],
      [1, "a"],
      { x: { a: 1 }, y: { b: 2 } },
    ];
    for (const data of tables) {
      let printed = "";
      const stdout = new Writable({ write: (chunk, _encoding, done) => ((printed += String(chunk)), done()) });
      new console.Console({ stdout }).table(data);
      assert.equal(`${formatTable(data)}\n`, printed);
    }
  });
  it("path functions match node:path.posix", () => {
    path.setCwd("/repo/notebooks");
    const cases: [keyof typeof nodePath.posix, string[]][] = [
      ["join", ["/repo/dist/lib/fast", "..", "..", "wasm", "gemm.wasm"]],
      ["join", ["a", "", "./b", "../c"]],
      ["dirname", ["/repo/dist/lib"]],
      ["dirname", ["/"]],
      ["dirname", ["file"]],
      ["basename", ["/a/b.txt", ".txt"]],
      ["isAbsolute", ["x/y"]],
      ["relative", ["/repo/notebooks", "/repo/notebooks/assets/plotly.js"]],
      ["relative", ["/repo/a/b", "/repo/c"]],
      ["normalize", ["/a//b/../c/."]],
    ];
    for (const [name, args] of cases) {
      const ours = (path as unknown as Record<string, (...a: string[]) => unknown>)[name](...args);
      assert.equal(ours, (nodePath.posix[name] as (...a: string[]) => unknown)(...args), `${name}(${args.join(", ")})`);
    }
    assert.equal(path.resolve("..", "data"), "/repo/data");
  });
});

describe("browser test: output comparison", () => {
  it("masks elapsed times and nothing else", () => {
    const cell = (text: string, plain: string) => ({
      cell_type: "code",
      outputs: [
        { output_type: "stream", name: "stdout", text },
        { output_type: "display_data", data: { "text/plain": plain } },
      ],
    });
    assert.deepEqual(
      comparableOutputs([
        { cell_type: "markdown" },
        cell(
          "step 600 / 600 (100%) · loss 0.1234 · 3.2 s elapsed · about 1 min 3 s left",
          "12 ms per step, 383 steps/s",
        ),
        cell("accuracy 0.983, 40 epochs", "1.5e-10"),
      ]),
      [
        {
          stdout: "step 600 / 600 (100%) · loss 0.1234 · ‹time› elapsed · about ‹time› left",
          displays: ["‹time› per step, ‹rate›"],
        },
        { stdout: "accuracy 0.983, 40 epochs", displays: ["1.5e-10"] },
      ],
    );
  });
});
