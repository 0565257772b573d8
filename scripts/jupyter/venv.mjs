// The kit's own Jupyter: a virtual environment in .venv/ (git-ignored, inside the checkout) made from
// requirements/jupyter.txt, where every package has an exact version. `npm start` makes it when the
// machine has no Jupyter; `npm test` always runs on it, so what is tested is what a newcomer gets.
// Nothing is installed outside the checkout (pip keeps its usual download cache in the user's cache folder).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { ROOT } from "./kernel.mjs";

export const VENV_DIR = join(ROOT, ".venv");
export const REQUIREMENTS = join(ROOT, "requirements", "jupyter.txt");
export const MINIMUM_PYTHON = [3, 11]; // ipykernel 7, IPython 9 and nbgrader 0.9.6 (pinned) need 3.11
const STAMP = "bnlab-requirements.sha256"; // written last: a venv without it never finished installing

/** The venv's interpreter (bin/python, or Scripts\python.exe on Windows). */
export function venvPython(dir = VENV_DIR, platform = process.platform) {
  return platform === "win32" ? join(dir, "Scripts", "python.exe") : join(dir, "bin", "python");
}

const requirementsHash = (file = REQUIREMENTS) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** "ready" (installed from today's requirements), "stale" (older requirements or unfinished) or "missing". */
export function venvState(dir = VENV_DIR, requirements = REQUIREMENTS) {
  if (!existsSync(venvPython(dir))) return "missing";
  const stamp = join(dir, STAMP);
  return existsSync(stamp) && readFileSync(stamp, "utf8").trim() === requirementsHash(requirements) ? "ready" : "stale";
}

/** "3.11.7" → true when at least MINIMUM_PYTHON. */
export function pythonIsRecentEnough(version) {
  const [major, minor] = String(version).split(".").map(Number);
  return major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1]);
}

/** The first Python ≥ 3.11 with the venv module: $LAB_BASE_PYTHON alone if set, else python3, python, py -3, /usr/bin/python3. */
export function findBasePython(env = process.env) {
  const candidates = env.LAB_BASE_PYTHON
    ? [[env.LAB_BASE_PYTHON]]
    : [["python3"], ["python"], ["py", "-3"], ["/usr/bin/python3"]];
  const probe = "import sys, venv, ensurepip; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)";
  const rejected = [];
  for (const [command, ...pre] of candidates) {
    const result = spawnSync(command, [...pre, "-c", probe], { encoding: "utf8", timeout: 20_000 });
    if (result.status !== 0) {
      if (result.error?.code !== "ENOENT" && /ensurepip|venv/.test(result.stderr))
        rejected.push(`${command}: no venv module (Debian/Ubuntu: sudo apt-get install python3-venv)`);
      continue;
    }
    const [version, executable] = result.stdout.trim().split("\n");
    if (pythonIsRecentEnough(version)) return { executable, version };
    rejected.push(`${command}: Python ${version} is older than ${MINIMUM_PYTHON.join(".")}`);
  }
  return { executable: null, rejected };
}

export const NO_PYTHON_HELP = `No Python ${MINIMUM_PYTHON.join(".")} or newer was found to install Jupyter into .venv/. Install one, then run the command again:
  Linux (Debian/Ubuntu):  sudo apt-get install python3 python3-venv
  macOS:                  brew install python@3.12        (or the installer from python.org)
  Windows:                winget install Python.Python.3.12
Already have Jupyter somewhere else? Point to its Python:  LAB_PYTHON=/path/to/python3 npm start`;

/**
 * Makes .venv/ from requirements/jupyter.txt (or brings a stale one up to date), showing pip's
 * progress. Returns the venv's python; throws with the fix when there is no usable Python or pip fails.
 */
export function ensureVenv({ log = console.log, quiet = false, dir = VENV_DIR, requirements = REQUIREMENTS } = {}) {
  const state = venvState(dir, requirements);
  if (state === "ready") return venvPython(dir);
  if (state === "missing") {
    const base = findBasePython();
    if (!base.executable)
      throw new Error([NO_PYTHON_HELP, ...(base.rejected ?? []).map((r) => `  (tried ${r})`)].join("\n"));
    log(
      `› Creating .venv/ with Python ${base.version} (${base.executable}) — the kit's own Jupyter, inside this checkout`,
    );
    rmSync(dir, { recursive: true, force: true });
    run(base.executable, ["-m", "venv", dir], "python -m venv");
  }
  const count = readFileSync(requirements, "utf8")
    .split("\n")
    .filter((line) => /^[A-Za-z0-9]/.test(line)).length;
  log(
    `› Installing the pinned Jupyter into .venv/ (${count} packages from requirements/jupyter.txt; about 400 MB, a minute or two) …`,
  );
  const pipArgs = [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--progress-bar",
    quiet ? "off" : "on",
    "-r",
    requirements,
  ];
  run(venvPython(dir), quiet ? [...pipArgs, "--quiet"] : pipArgs, "pip install -r requirements/jupyter.txt");
  writeFileSync(join(dir, STAMP), requirementsHash(requirements) + "\n");
  log("› .venv/ is ready.");
  return venvPython(dir);
}

function run(command, args, what) {
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (exit ${result.status ?? result.signal}). Fix the message above, or delete .venv/ and run the command again.`,
    );
  }
}

// `npm run venv`: make or update .venv/ now (npm test and npm start do it when needed).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(`.venv/ Python: ${ensureVenv()}`);
  } catch (error) {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  }
}
