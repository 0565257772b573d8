// `npm run lint` (after the Prettier check). typescript-eslint's type-aware recommended rules on lib/, lite/,
// scripts/ and bench/; zero warnings allowed (`--max-warnings=0`). Why each exception below exists is said beside it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node's own globals, read from the Node that runs the lint (no `globals` package needed). */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, "readonly"]));
/** What code passed to Playwright's `page.evaluate` (it runs in the browser) and the hub client see. */
const browserGlobals = {
  window: "readonly",
  document: "readonly",
  navigator: "readonly",
  caches: "readonly",
  WebSocket: "readonly",
};
/** "This value is `any`" rules: in plain JavaScript nearly every value is `any`, so they only make noise there. */
const anyRules = ["assignment", "member-access", "call", "return", "argument"];
const offAnyRules = Object.fromEntries(anyRules.map((rule) => [`@typescript-eslint/no-unsafe-${rule}`, "off"]));

export default tseslint.config(
  { ignores: ["**/dist/", "**/build/", "**/node_modules/", "**/.venv/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.lint.json", "./lite/tsconfig.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's describe/it/test return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] },
          ],
        },
      ],
      // `_inputSize`: a parameter an override must accept and does not need.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  // Plain JavaScript (.mjs): type-aware (promises, awaits, templates), but types are inferred, not declared.
  { files: ["**/*.mjs"], languageOptions: { globals: nodeGlobals }, rules: offAnyRules },
  {
    files: [
      "scripts/jupyter/notebook-page.mjs",
      "scripts/jupyter/verify-html.mjs",
      "scripts/lite/test.mjs",
      "scripts/lite/search-check.mjs",
      "scripts/hub/client.mjs",
    ],
    languageOptions: { globals: browserGlobals },
  },
  // lite/'s tests import the plain-JavaScript helpers of scripts/lite, which lite/tsconfig.json does not read.
  { files: ["lite/test/**/*.ts"], rules: offAnyRules },
  // Without type information, so the result does not depend on whether lite/node_modules exists yet: the two files
  // that import lite/'s own packages (installed by `npm run lite`, not by `npm ci`); the notebooks, which import "..",
  // the repository only as seen from notebooks/*.ipynb (tslab type-checks every cell in `npm run test:notebooks`).
  {
    files: ["lite/src/**/*.ts", "lite/twins/zlib.ts", "notebooks/src/*.ts", "lite/types/*.d.ts"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  // The offline service worker: plain JavaScript in no TypeScript project, with a service worker's globals.
  {
    files: ["lite/offline/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        self: "readonly",
        caches: "readonly",
        fetch: "readonly",
        Response: "readonly",
        URL: "readonly",
        console: "readonly",
      },
    },
  },
  // Each notebook's second cell is the seed, `const rng = lab.makeRng(1337)`, used or not (STYLE.md).
  {
    files: ["notebooks/src/*.ts"],
    rules: { "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^rng$" }] },
  },
  // Ambient declarations of the browser kernel's globals: `declare var` is how a global is declared, and `any[]`
  // is the signature of the console methods it mirrors.
  { files: ["lite/types/*.d.ts"], rules: { "no-var": "off", "@typescript-eslint/no-explicit-any": "off" } },
);
