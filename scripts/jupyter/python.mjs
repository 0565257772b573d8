// Finds the Python that has Jupyter. `python3` on PATH may be a bare pyenv/venv without it,
// so candidates are probed in order and the first that has what the caller needs wins:
//   the python behind `jupyter` on PATH  →  /usr/bin/python3  →  python3, python on PATH.
// $LAB_PYTHON, when set, is used alone.
import { accessSync, constants, existsSync, readFileSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { spawnSync } from "node:child_process";

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

const explicit = process.env.LAB_PYTHON ? `LAB_PYTHON=${process.env.LAB_PYTHON} has no Jupyter (or lacks a module this command needs). ` : "";
export const INSTALL_HELP = `${explicit}Jupyter was not found. Install it with one of:
  pip:     python3 -m pip install notebook            (or: pip install jupyterlab)
  conda:   conda install -c conda-forge notebook      (or: jupyterlab)
  Debian/Ubuntu:  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient
Then run the command again. If Jupyter lives in a Python that is not on PATH, point to it:
  LAB_PYTHON=/path/to/python3 npm start`;
