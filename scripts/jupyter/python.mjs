// Finds the Python that has Jupyter. `python3` on PATH may be a bare pyenv/venv without it,
// so candidates are probed in order and the first that has what the caller needs wins:
//   the python behind `jupyter` on PATH  →  /usr/bin/python3  →  python3, python on PATH.
// $LAB_PYTHON, when set, is used alone.
import { accessSync, constants, existsSync, readFileSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { ensureVenv, NO_PYTHON_HELP, venvPython, venvState } from "./venv.mjs";

const PROBE = `
import importlib.util, json, os, sys
def has(m):
    try: return importlib.util.find_spec(m) is not None
    except Exception: return False
def version(dist):
    try:
        from importlib.metadata import version as v
        return v(dist)
    except Exception: return None
mods = ["jupyter_client", "jupyter_core", "notebook", "jupyterlab", "nbclient", "nbconvert", "IPython"]
out = {"executable": sys.executable, "python": sys.version.split()[0], "modules": {m: has(m) for m in mods},
       "versions": {d: version(d) for d in ["notebook", "jupyterlab", "nbclient", "nbconvert", "jupyter_client"]},
       "plotlyLabExtension": False, "dataPaths": []}
if out["modules"]["jupyter_core"]:
    from jupyter_core.paths import jupyter_path
    out["dataPaths"] = jupyter_path()
    out["plotlyLabExtension"] = any(os.path.isdir(os.path.join(p, "labextensions", "jupyterlab-plotly")) for p in jupyter_path())
print(json.dumps(out))
`;

/** Absolute path of `command` on PATH, or null. */
export function which(command, path = process.env.PATH ?? "") {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/** The interpreter named by the `#!` line of a script such as `jupyter`, or its sibling python. */
function pythonBehind(script) {
  const real = realpathSync(script);
  const firstLine = readFileSync(real, "utf8").slice(0, 300).split("\n")[0];
  const candidates = [];
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (shebang) candidates.push(shebang[1].endsWith("/env") && shebang[2] ? which(shebang[2]) : shebang[1]);
  candidates.push(join(dirname(script), "python3"), join(dirname(real), "python3"));
  return candidates.filter((p) => p && existsSync(p));
}

/** Pythons to probe, in order; an explicit $LAB_PYTHON is the only candidate (no silent fallback). */
export function candidatePythons() {
  if (process.env.LAB_PYTHON) return [process.env.LAB_PYTHON];
  const list = [];
  const jupyter = which("jupyter");
  if (jupyter) {
    try {
      list.push(...pythonBehind(jupyter));
    } catch {
      // an unreadable or binary `jupyter`: fall through to the other candidates
    }
  }
  list.push("/usr/bin/python3", which("python3"), which("python"));
  return [...new Set(list.filter((p) => p && existsSync(p)))];
}

/** Runs the probe in one Python: which Jupyter modules it has, their versions, its Jupyter data paths. */
export function probePython(python) {
  const result = spawnSync(python, ["-c", PROBE], { encoding: "utf8", timeout: 30_000 });
  if (result.status !== 0) return null;
  try {
    return JSON.parse(result.stdout.trim().split("\n").pop());
  } catch {
    return null;
  }
}

/**
 * The first candidate Python that has every module in `needs`, as its probe result
 * (`{ executable, modules, versions, plotlyLabExtension, ... }`), or null.
 * `needs` entries may be alternatives: `["jupyter_client", ["notebook", "jupyterlab"]]`.
 */
export function findPython(needs = ["jupyter_client", ["notebook", "jupyterlab"]]) {
  for (const python of candidatePythons()) {
    const probe = probePython(python);
    if (probe && needs.every((need) => [need].flat().some((m) => probe.modules[m]))) return { ...probe, path: python };
  }
  return null;
}

/**
 * Which Jupyter the kit uses, and why, in this order:
 *   1. $LAB_PYTHON, when set (alone: no fallback);
 *   2. the kit's own .venv/, when it was installed (brought up to date if requirements/jupyter.txt changed);
 *   3. a Jupyter already on the machine (`jupyter` on PATH, /usr/bin/python3, python3, python);
 *   4. with `create`, a new .venv/ from requirements/jupyter.txt (inside the checkout).
 * Returns { probe, reason } or { probe: null, reason } (reason says what to do).
 */
export function chooseJupyter(
  needs = ["jupyter_client", ["notebook", "jupyterlab"]],
  { create = false, log = console.log } = {},
) {
  const has = (probe) => probe && needs.every((need) => [need].flat().some((m) => probe.modules[m]));
  if (process.env.LAB_PYTHON) {
    const probe = probePython(process.env.LAB_PYTHON);
    return has(probe)
      ? { probe: { ...probe, path: process.env.LAB_PYTHON }, reason: "LAB_PYTHON is set" }
      : {
          probe: null,
          reason: `LAB_PYTHON=${process.env.LAB_PYTHON} has no Jupyter (or lacks ${needs.flat().join(", ")}); unset it to let the kit install its own`,
        };
  }
  const state = venvState();
  if (state !== "missing") {
    const python = state === "ready" || !create ? venvPython() : ensureVenv({ log });
    const probe = probePython(python);
    if (has(probe))
      return {
        probe: { ...probe, path: python },
        reason: `the kit's own .venv/ (pinned in requirements/jupyter.txt${state === "stale" && !create ? "; out of date: npm start updates it" : ""})`,
      };
  }
  const found = findPython(needs);
  if (found)
    return { probe: found, reason: "a Jupyter already installed on this machine (set LAB_PYTHON to choose another)" };
  if (!create) return { probe: null, reason: "no Jupyter yet: `npm start` installs the pinned one into .venv/" };
  const python = ensureVenv({ log });
  return {
    probe: { ...probePython(python), path: python },
    reason: "no Jupyter on this machine, so the kit installed its own into .venv/",
  };
}

/** The pinned Jupyter of .venv/ (made or updated first when needed): what `npm test` runs on. */
export function pinnedJupyter({ log = console.log } = {}) {
  const python = ensureVenv({ log });
  const probe = probePython(python);
  if (!probe) throw new Error(`${python} does not run; delete .venv/ and try again`);
  return { ...probe, path: python };
}

export const INSTALL_HELP = `Jupyter was not found, and the kit could not install its own: ${NO_PYTHON_HELP}`;
