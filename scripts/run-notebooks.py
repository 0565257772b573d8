#!/usr/bin/env python3
"""Execute notebooks on a fresh tslab kernel through Jupyter's nbclient; fail on any error reply.

A type or runtime error comes back from tslab (as patched by npm's postinstall, see patches/) as an
`error` output (ename, evalue, a traceback naming the cell's line) and an execute_reply whose status
is "error". The runner goes by the reply, not by the outputs: every reply whose status is not "ok"
fails the notebook (also "abort", or one whose error output was lost), and the report shows that
cell's index, the head of its source, its error output and its stderr.

Usage (npm run test:notebooks sets JUPYTER_PATH so the kernelspec "tslab" of this checkout is found):
  python3 scripts/run-notebooks.py [--timeout SECONDS] [--output-dir DIR] [--kernel NAME] [NOTEBOOK ...]
Without NOTEBOOK arguments, runs notebooks/*.ipynb in name order. Executed copies go to
--output-dir (default build/executed/); the committed notebooks are never modified.
"""
import argparse
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CellFailed(Exception):
    """A code cell whose execute_reply status was not "ok"."""

    def __init__(self, cell_index, cell, status):
        super().__init__(f"cell {cell_index}: execute_reply status {status!r}")
        self.cell_index, self.cell, self.status = cell_index, cell, status


class StrictClient(NotebookClient):
    """NotebookClient that fails on any non-"ok" reply and bounds the whole notebook's wall time."""

    def __init__(self, nb, budget, **kwargs):
        super().__init__(nb, on_cell_executed=self.check_reply, **kwargs)
        self.budget = budget
        self.first_cell_at = None  # the budget starts once the kernel is up

    def check_reply(self, cell, cell_index, execute_reply):
        status = (execute_reply or {}).get("content", {}).get("status", "missing")
        if status != "ok":
            raise CellFailed(cell_index, cell, status)

    def _get_timeout(self, cell):  # per-cell timeout = what is left of the notebook's budget
        if self.first_cell_at is None:
            self.first_cell_at = time.monotonic()
        return max(1, int(self.first_cell_at + self.budget - time.monotonic() + 0.999))


def stream_text(cell, name):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == name)


def error_text(cell):
    """The cell's `error` outputs: their tracebacks (which start with "ename: evalue")."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return "\n".join("\n".join(o.get("traceback") or [f"{o.get('ename')}: {o.get('evalue')}"]) for o in errors)


def describe(cell_index, cell, reason):
    head = "\n".join("      | " + line for line in cell.source.splitlines()[:6])
    report = f"    cell {cell_index} {reason}:\n{head}"
    error = error_text(cell).strip()
    if error:
        report += "\n    error:\n" + "\n".join("      ! " + line for line in error.splitlines()[:30])
    stderr = stream_text(cell, "stderr").strip()
    if stderr or not error:
        report += "\n    stderr:\n" + "\n".join("      ! " + line for line in (stderr or "(no stderr)").splitlines()[-30:])
    return report


def run_one(path, args):
    nb = nbformat.read(path, as_version=4)
    start = time.monotonic()
    client = StrictClient(
        nb,
        budget=args.timeout,
        kernel_name=args.kernel,
        startup_timeout=120,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    problem = None
    try:
        client.execute()
    except CellFailed as failure:
        problem = describe(failure.cell_index, failure.cell, f"failed (reply status {failure.status!r})")
    except CellTimeoutError:
        index, cell = current_cell(nb)
        problem = describe(index, cell, f"timed out: the notebook exceeded its {args.timeout:g} s budget") + (
            "\n    (a kernel that never goes idle can also mean tslab dropped output: >500 outputs in one synchronous stretch)"
        )
    except DeadKernelError as error:
        problem = f"    the kernel died: {error}"
    seconds = time.monotonic() - start
    startup = (client.first_cell_at or time.monotonic()) - start
    os.makedirs(args.output_dir, exist_ok=True)
    nbformat.write(nb, os.path.join(args.output_dir, os.path.basename(path)))
    return problem, seconds, startup, sum(1 for c in nb.cells if c.cell_type == "code")


def current_cell(nb):
    """The last code cell that started (has outputs or a count), for timeout reports."""
    started = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))]
    return started[-1] if started else next((i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--timeout", type=float, default=float(os.environ.get("NOTEBOOK_TIMEOUT", 600)), help="seconds per notebook, kernel start-up excluded (env NOTEBOOK_TIMEOUT, default 600)")
    parser.add_argument("--output-dir", default=os.path.join(ROOT, "build", "executed"), help="where executed copies go (default build/executed)")
    parser.add_argument("--kernel", default="tslab")
    args = parser.parse_args()
    paths = args.notebooks or sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
    if not paths:
        print("notebooks: no notebooks/*.ipynb to run (0 passed, 0 failed would prove nothing)", file=sys.stderr)
        return 1
    passed = failed = 0
    width = max(len(os.path.basename(p)) for p in paths)
    for path in paths:
        name = os.path.basename(path)
        problem, seconds, startup, cells = run_one(path, args)
        mark = "✓" if not problem else "✗"
        print(f"{mark} {name:<{width}} {seconds:7.1f} s  ({cells} code cells; kernel start {startup:.1f} s)", flush=True)
        if problem:
            print(problem, flush=True)
            failed += 1
        else:
            passed += 1
    print(f"executed copies in {args.output_dir}")
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
