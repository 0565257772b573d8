// `node scripts/lite/measure-math.mjs`: which Math functions Node and Debian's headless Chromium round differently (see lib/core/math.ts).
// Evaluates Math functions on a fixed input set in Node and in headless Chromium and lists bitwise differences;
// then the same for lib/core/math's engine-independent replacements (needs `npm run build`: dist/lib/core/math.js).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const LIB_MATH = new URL("../../dist/lib/core/math.js", import.meta.url);

/** 120 000 values of lib/core/math's exp, log, tanh, exp10 and cosSinTurns on fixed inputs, as one string. */
const probe = (m) => {
  let s = 12345;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const out = [];
  for (let i = 0; i < 20000; i++)
    out.push(
      m.exp(-40 + 50 * u()),
      m.log(u() * 100),
      m.tanh(-8 + 16 * u()),
      m.exp10(-12 + 13 * u()),
      ...m.cosSinTurns(u()),
    );
  return out.map(String);
};

const body = () => {
  // deterministic inputs: xorshift32 → uniform in [0,1)
  let s = 0x9e3779b9;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const N = 20000;
  const sets = {
    exp: Array.from({ length: N }, () => -50 + 60 * u()),
    log: Array.from({ length: N }, () => (u() < 0.5 ? u() : 1 + 1000 * u())),
    log10: Array.from({ length: N }, () => (u() < 0.5 ? u() : 1 + 1000 * u())),
    log2: Array.from({ length: N }, () => (u() < 0.5 ? u() : 1 + 1000 * u())),
    tanh: Array.from({ length: N }, () => -10 + 20 * u()),
    sin: Array.from({ length: N }, () => 2 * Math.PI * u()),
    cos: Array.from({ length: N }, () => 2 * Math.PI * u()),
    sqrt: Array.from({ length: N }, () => 1000 * u()),
    expm1: Array.from({ length: N }, () => -5 + 10 * u()),
    log1p: Array.from({ length: N }, () => -0.9 + 10 * u()),
    hypot: Array.from({ length: N }, () => [10 * u() - 5, 10 * u() - 5, 10 * u() - 5]),
    "pow int (x**2)": Array.from({ length: N }, () => [10 * u() - 5, 2]),
    "pow int (x**3)": Array.from({ length: N }, () => [10 * u() - 5, 3]),
    "pow int (x**n, n 4..20)": Array.from({ length: N }, () => [4 * u() - 2, 4 + Math.floor(17 * u())]),
    "pow beta**t (0.9/0.99/0.999, t 1..5000)": Array.from({ length: N }, () => [
      [0.9, 0.99, 0.999, 0.98, 0.5][Math.floor(5 * u())],
      1 + Math.floor(5000 * u()),
    ]),
    "pow x**-1.5": Array.from({ length: N }, () => [1e-5 + 10 * u(), -1.5]),
    "pow x**0.5": Array.from({ length: N }, () => [10 * u(), 0.5]),
    "pow 10**frac (-12..1)": Array.from({ length: N }, () => [10, -12 + 13 * u()]),
    "pow 10**(-1-k*0.25)": Array.from({ length: 45 }, (_, k) => [10, -1 - k * 0.25]),
    "pow 10**(-4+4k/19)": Array.from({ length: 20 }, (_, k) => [10, -4 + (4 * k) / 19]),
    "pow 10**(-7+k*0.25)": Array.from({ length: 25 }, (_, k) => [10, -7 + k * 0.25]),
    "pow 10**int (-20..20)": Array.from({ length: 41 }, (_, k) => [10, k - 20]),
    "pow 4**j": Array.from({ length: 20 }, (_, j) => [4, j]),
  };
  const fns = {
    exp: Math.exp,
    log: Math.log,
    log10: Math.log10,
    log2: Math.log2,
    tanh: Math.tanh,
    sin: Math.sin,
    cos: Math.cos,
    sqrt: Math.sqrt,
    expm1: Math.expm1,
    log1p: Math.log1p,
    hypot: (a) => Math.hypot(...a),
  };
  const out = {};
  for (const [name, inputs] of Object.entries(sets)) {
    const f = name.startsWith("pow") ? (a) => a[0] ** a[1] : fns[name];
    const g = name.startsWith("pow") ? (a) => Math.pow(a[0], a[1]) : null;
    const r = [];
    for (let rep = 0; rep < 3; rep++) {
      // interpreter, then optimized
      const vals = inputs.map(f);
      if (rep === 0) r.push(...vals);
      else for (let i = 0; i < vals.length; i++) if (!Object.is(vals[i], r[i])) r[i] = "JIT-DIFF";
    }
    out[name] = { inputs, values: r.map(String), mathpow: g ? inputs.map(g).map(String) : null };
  }
  return out;
};

const node = body();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage();
const chrome = await page.evaluate(`(${body.toString()})()`);
const libSource = readFileSync(LIB_MATH, "utf8"); // CommonJS: give it an `exports` to fill
const libNode = probe(createRequire(import.meta.url)(LIB_MATH.pathname));
const libChrome = await page.evaluate(
  `(() => { const exports = {};\n${libSource}\n; return (${probe.toString()})(exports); })()`,
);
console.log("Chromium", browser.version(), "vs Node", process.version, "(V8", process.versions.v8 + ")");
await browser.close();
for (const name of Object.keys(node)) {
  const a = node[name].values,
    b = chrome[name].values;
  let diff = 0,
    jit = 0,
    examples = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "JIT-DIFF" || b[i] === "JIT-DIFF") jit++;
    if (a[i] !== b[i]) {
      diff++;
      if (examples.length < 2) examples.push(`${JSON.stringify(node[name].inputs[i])}: node ${a[i]} chromium ${b[i]}`);
    }
  }
  let powDiff = 0;
  if (node[name].mathpow)
    for (let i = 0; i < a.length; i++) if (node[name].mathpow[i] !== chrome[name].mathpow[i]) powDiff++;
  console.log(
    `${name.padEnd(42)} ${String(diff).padStart(6)}/${a.length} differ${node[name].mathpow ? `  (Math.pow ${powDiff})` : ""}${jit ? `  JIT-vs-interp ${jit}` : ""}  ${examples.join(" | ")}`,
  );
}
const libDiffer = libNode.filter((v, i) => v !== libChrome[i]).length;
console.log(`lib/core/math (exp, log, tanh, exp10, cosSinTurns): ${libDiffer} of ${libNode.length} values differ`);
