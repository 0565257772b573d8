// `npm run lite`: builds the static JupyterLite site into build/lite/ (git-ignored).
//
//   1. the library (`npm run build`: its .d.ts for the type checker, dist/wasm/gemm.wasm);
//   2. lite/'s own packages (`npm ci` in lite/: JupyterLite's kernel API, the extension builder, esbuild, fflate);
//   3. the kernel extension: lite/src → ESM (esbuild) → a federated extension (@jupyter/builder);
//   4. its web worker: lite/worker + lib/ + mathjs + TypeScript → one script (esbuild), with the
//      library's Node-only parts swapped for the browser twins in twins/; next to it the wasm
//      multiply, types.json (the .d.ts files the worker's type checker reads) and search-worker.js
//      (the Web Worker of runSearchParallel: lite/worker/search-worker.ts + lib/, no TypeScript);
//   5. the site: `jupyter lite build` (jupyterlite-core from the pinned .venv/) with the course
//      notebooks, data/ and docs/ as contents, this extension and plotly's renderer, and nothing
//      else from the environment (--ignore-sys-prefix). Nothing is fetched from a CDN.
//   6. offline: lite/offline/offline-sw.js put in front of JupyterLite's service-worker.js, with the
//      list of the site's files to cache on the first visit (see that file).
//
//   npm run lite                 → build/lite/: the teacher's site, notebooks with their solutions
//   npm run lite -- --student    → build/lite-student/: the students' site, every notebook as
//                                  `npm run student` writes it (solutions stubbed, outputs cleared)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../jupyter/kernel.mjs";
import { ensureVenv, VENV_DIR } from "../jupyter/venv.mjs";
import { studentNotebook } from "../classroom/exercises.mjs";
import { STAMP, walk } from "./inputs.mjs";
import { typeFiles } from "./types.mjs";

const LITE = join(ROOT, "lite");
const EXTENSION_OUT = join(LITE, "build", "labextension");
const STATIC = join(EXTENSION_OUT, "static");
export const SITE = join(ROOT, "build", "lite");
export const STUDENT_SITE = join(ROOT, "build", "lite-student");
const CONTENTS = join(ROOT, "build", "lite-contents");

function run(command, args, options = {}) {
  console.log(`› ${[command, ...args].map((a) => relative(ROOT, a) || a).join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", cwd: ROOT, ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** lite/node_modules from lite/package-lock.json (again when the lock changed). */
function installLitePackages() {
  const stamp = join(LITE, "node_modules", ".bnlab-lock");
  const lock = readFileSync(join(LITE, "package-lock.json"), "utf8");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === lock) return;
  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: LITE });
  writeFileSync(stamp, lock);
}

async function bundleExtension(esbuild) {
  await esbuild.build({
    entryPoints: [join(LITE, "src", "index.ts")],
    outfile: join(LITE, "build", "lib", "index.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    external: ["@jupyterlab/*", "@jupyterlite/*", "@lumino/*"],
    logLevel: "warning",
  });
  // The host's own package.json (JupyterLite's lab app) names the shared packages and their versions.
  const tgz = readdirSync(join(pythonSitePackages(), "jupyterlite_core")).find((f) =>
    /^jupyterlite-app-.*\.tgz$/.test(f),
  );
  const corePackage = join(LITE, "build", "core.package.json");
  const python = join(VENV_DIR, "bin", "python");
  run(python, [
    "-c",
    `import tarfile,sys; t=tarfile.open(sys.argv[1]); open(sys.argv[2],"wb").write(t.extractfile("package/lab/package.json").read())`,
    join(pythonSitePackages(), "jupyterlite_core", tgz),
    corePackage,
  ]);
  run(process.execPath, [
    join(LITE, "node_modules", "@jupyter", "builder", "lib", "build-labextension.js"),
    "--core-package-file",
    corePackage,
    LITE,
  ]);
}

function pythonSitePackages() {
  const lib = join(VENV_DIR, "lib");
  const version = readdirSync(lib).find((d) => d.startsWith("python3"));
  return join(lib, version, "site-packages");
}

/** Replaces the library's Node-only modules with their browser twins (twins/). */
function twinsPlugin() {
  const twins = join(LITE, "twins");
  const nodeTwins = {
    fs: "fs",
    path: "path",
    zlib: "zlib",
    crypto: "crypto",
    util: "util",
    os: "os",
    worker_threads: "worker-threads",
  };
  const libTwins = {
    "notebook/jupyter": "notebook-jupyter",
    "notebook/plotly-asset": "notebook-plotly-asset",
    "search/parallel": "search-parallel",
  };
  return {
    name: "browser-twins",
    setup(build) {
      build.onResolve({ filter: /^node:/ }, (args) => {
        const twin = nodeTwins[args.path.slice(5)];
        if (!twin)
          return {
            errors: [
              { text: `${args.path} (imported by ${relative(ROOT, args.importer)}) has no browser twin in twins/` },
            ],
          };
        return { path: join(twins, `${twin}.ts`) };
      });
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.startsWith(join(ROOT, "lib"))) return undefined;
        const target = relative(join(ROOT, "lib"), join(args.resolveDir, args.path));
        const twin = libTwins[target];
        return twin && args.importer !== join(twins, `${twin}.ts`) ? { path: join(twins, `${twin}.ts`) } : undefined;
      });
    },
  };
}

async function bundleWorker(esbuild) {
  const plotly = JSON.parse(readFileSync(join(ROOT, "node_modules", "plotly.js-dist", "package.json"), "utf8")).version;
  const options = {
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: !process.env.LITE_UNMINIFIED, // LITE_UNMINIFIED=1: readable names in CPU profiles (scripts/lite/profile.mjs)
    sourcemap: false,
    nodePaths: [join(LITE, "node_modules"), join(ROOT, "node_modules")],
    define: { PLOTLY_VERSION: JSON.stringify(plotly), __dirname: JSON.stringify("/repo/dist/lib/fast") },
    plugins: [twinsPlugin()],
    logLevel: "warning",
  };
  await esbuild.build({
    ...options,
    entryPoints: [join(LITE, "worker", "main.ts")],
    outfile: join(STATIC, "kernel-worker.js"),
  });
  // The Web Worker that runs lab.runSearchParallel's trials (lite/twins/search-parallel.ts): the library, no TypeScript.
  const searchWorker = join(LITE, "worker", "search-worker.ts");
  await esbuild.build({ ...options, entryPoints: [searchWorker], outfile: join(STATIC, "search-worker.js") });
  mkdirSync(join(STATIC, "wasm"), { recursive: true });
  for (const file of ["gemm.wasm"]) cpSync(join(ROOT, "dist", "wasm", file), join(STATIC, "wasm", file));
  writeFileSync(join(STATIC, "types.json"), JSON.stringify(typeFiles()));
}

/** The notebooks (student versions with `student`) and the files they read or link to, laid out as in the checkout. */
function stageContents(student) {
  rmSync(CONTENTS, { recursive: true, force: true });
  mkdirSync(join(CONTENTS, "notebooks"), { recursive: true });
  for (const name of readdirSync(join(ROOT, "notebooks")).filter((n) => n.endsWith(".ipynb"))) {
    if (!student) cpSync(join(ROOT, "notebooks", name), join(CONTENTS, "notebooks", name));
    else {
      const notebook = JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8"));
      writeFileSync(
        join(CONTENTS, "notebooks", name),
        JSON.stringify(studentNotebook(notebook, `notebooks/${name}`), null, 1) + "\n",
      );
    }
  }
  cpSync(join(ROOT, "data"), join(CONTENTS, "data"), { recursive: true });
  const teacherOnly = join(ROOT, "docs", "teacher"); // model answers stay off the site students open
  cpSync(join(ROOT, "docs"), join(CONTENTS, "docs"), {
    recursive: true,
    filter: (source) => !source.startsWith(teacherOnly),
  });
}

function buildSite(site) {
  const jupyter = join(VENV_DIR, "bin", "jupyter");
  rmSync(site, { recursive: true, force: true });
  mkdirSync(join(ROOT, "build"), { recursive: true });
  run(
    jupyter,
    [
      "lite",
      "build",
      "--lite-dir",
      join(LITE, "site"),
      "--output-dir",
      site,
      "--contents",
      CONTENTS,
      "--ignore-sys-prefix",
      "--no-sourcemaps",
      "--no-libarchive",
      `--LiteBuildConfig.federated_extensions=${EXTENSION_OUT}`,
      `--LiteBuildConfig.federated_extensions=${join(VENV_DIR, "share", "jupyter", "labextensions", "jupyterlab-plotly")}`,
    ],
    { cwd: join(ROOT, "build") },
  ); // its task database (.jupyterlite.doit.db) lands in build/
}

function sizeOf(dir) {
  return walk(dir, () => true).reduce((sum, path) => sum + statSync(path).size, 0);
}

/** The site's files for the offline cache (URL paths relative to the site), minus build leftovers. */
export function offlineFiles(site) {
  const skip = /^(service-worker\.js|build\/service-worker\.js|rspack\.config.*\.js|\.bnlab-built)$/;
  return walk(site, () => true)
    .map((p) => relative(site, p).split("\\").join("/"))
    .filter((p) => !skip.test(p))
    .sort();
}

/** JupyterLite's service-worker.js with lite/offline/offline-sw.js in front; its cache is named after the site's content hash. */
function addOfflineLayer(site) {
  const files = offlineFiles(site);
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(join(site, file)));
  const header = `const BNLAB_OFFLINE = ${JSON.stringify({ cache: `bnlab-offline-${hash.digest("hex").slice(0, 16)}`, files })};\n`;
  const jupyterlite = readFileSync(join(site, "build", "service-worker.js"), "utf8"); // JupyterLite's, as built (a copy of the root one)
  const offline = readFileSync(join(LITE, "offline", "offline-sw.js"), "utf8");
  writeFileSync(
    join(site, "service-worker.js"),
    `${header}${offline}\n// JupyterLite's own service worker:\n${jupyterlite}`,
  );
  return files.length;
}

/**
 * Builds the teacher's site (build/lite/) and/or the students' (build/lite-student/): the library, lite's
 * packages, the extension and its worker once, then each site. Each site's STAMP gets the build's start
 * time, so an input edited while it built leaves the site stale.
 */
export async function buildLite({ sites = [SITE] } = {}) {
  const started = new Date();
  run("npm", ["run", "build"]);
  ensureVenv();
  installLitePackages();
  const esbuild = await import(join(LITE, "node_modules", "esbuild", "lib", "main.js"));
  await bundleExtension(esbuild.default ?? esbuild);
  await bundleWorker(esbuild.default ?? esbuild);
  for (const site of sites) {
    stageContents(site === STUDENT_SITE);
    buildSite(site);
    const cached = addOfflineLayer(site);
    writeFileSync(join(site, STAMP), started.toISOString() + "\n");
    utimesSync(join(site, STAMP), started, started);
    console.log(
      `› ${relative(ROOT, site)}/: ${(sizeOf(site) / 1e6).toFixed(1)} MB (${cached} files cached for offline use on the first visit) in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s. Serve it with any static server, e.g. npm run lite:serve`,
    );
  }
}

/** `--worker`: only re-bundles the kernel's worker into an existing build/lite/ (while working on lite/worker or lite/twins). */
async function rebuildWorker() {
  const esbuild = await import(join(LITE, "node_modules", "esbuild", "lib", "main.js"));
  await bundleWorker(esbuild.default ?? esbuild);
  cpSync(STATIC, join(SITE, "extensions", "@batchnorm-lab", "lite-kernel", "static"), { recursive: true });
  addOfflineLayer(SITE); // a new cache name, so browsers pick up the new worker
  console.log("› re-bundled the kernel worker into build/lite/");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await (process.argv.includes("--worker")
    ? rebuildWorker()
    : buildLite({ sites: [process.argv.includes("--student") ? STUDENT_SITE : SITE] }));
}
