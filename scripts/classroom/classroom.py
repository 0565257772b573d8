#!/usr/bin/env python3
"""Exercises that really fail, and grading that reads tslab's replies.

A cell counts as failed when its execute_reply status is not "ok"; its message is the first line
of its `error` output (tslab as patched by npm's postinstall publishes one, see patches/), or of
its stderr. The replies are what decides, so a lost output cannot turn a failure into a pass.

  prove NOTEBOOK...   For every exercise: run the student stub of its solution cell, then its check
                      cell, which MUST fail; then the real solution and the check, which MUST pass.
                      One kernel per notebook, cells in order; stops after the last check cell.
  grade NOTEBOOK...   Run each (student) notebook top to bottom, continuing after errors, and report
                      every exercise's check cell as passed/failed (and a CSV with --csv FILE).

The exercise plan (which cell is a solution, which its check) comes from plan.mjs, so the marker
rules live in one place.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
# The kernel runs in notebooks/ whatever folder a notebook (a submission) sits in, so that its
# `import * as lab from ".."` finds this kit.
KERNEL_DIR = os.path.join(os.path.dirname(os.path.dirname(HERE)), "notebooks")


def load_plan(paths):
    out = subprocess.run(["node", os.path.join(HERE, "plan.mjs"), *paths], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr.strip() or "plan.mjs failed")
    return json.loads(out.stdout)


# After a cell fails, tslab cancels whatever execute requests reach it in the next 200 ms
# (node_modules/tslab/dist/jupyter.js, handleExecute: execQueue.reset(200)) and replies "abort":
# a solution cell sent right after its failing check, or the next cell when grading, would be lost.
TSLAB_ABORT_WINDOW = 0.3


class ReplyClient(NotebookClient):
    """Runs cells one at a time and returns each reply's status and error text instead of raising."""

    def __init__(self, nb, **kwargs):
        super().__init__(nb, allow_errors=True, on_cell_executed=self._record, **kwargs)
        self.last_status = None

    def _record(self, cell, cell_index, execute_reply):
        self.last_status = (execute_reply or {}).get("content", {}).get("status", "missing")

    def run(self, cell, index):
        """Executes one cell; returns its reply status and the text of its error outputs and stderr."""
        self.last_status = None
        cell.outputs = []
        self.execute_cell(cell, index)
        if self.last_status == "error":
            time.sleep(TSLAB_ABORT_WINDOW) # tslab aborts every request that arrives within 200 ms of an error
        return self.last_status, error_text(cell)


def error_text(cell):
    """The tracebacks of the cell's `error` outputs (each starts with "ename: evalue"), then its stderr."""
    parts = ["\n".join(o.get("traceback") or [f"{o.get('ename')}: {o.get('evalue')}"]) for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    parts += [o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr"]
    return "\n".join(parts).strip()


def first_message(text):
    """The error's own line (not the stack frames below it)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^([A-Za-z]*Error\b|\d+:\d+ - )", line)]
    return (errors or lines or ["(no message)"])[0]


def head(source, lines=3):
    return " / ".join(line.strip() for line in source.splitlines()[:lines])


def prove(path, exercises, timeout):
    nb = nbformat.read(path, as_version=4)
    by_solution = {e["solutionCell"]: e for e in exercises}
    last = max((e["checkCell"] for e in exercises), default=-1)
    client = ReplyClient(nb, kernel_name="tslab", timeout=timeout, resources={"metadata": {"path": KERNEL_DIR}})
    problems = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells[: last + 1]):
            if cell.cell_type != "code":
                continue
            exercise = by_solution.get(index)
            if exercise:
                stub = nbformat.v4.new_code_cell(exercise["stubbedSource"])
                status, error = client.run(stub, index)
                if status != "ok" and "not implemented" not in error:
                    problems.append(f"cell {index}: the student stub does not run — it must type-check and fail only with 'not implemented':\n      {first_message(error)}")
                check = nbformat.v4.new_code_cell(nb.cells[exercise["checkCell"]].source)
                status, _ = client.run(check, exercise["checkCell"])
                if status == "ok":
                    problems.append(f"cell {exercise['checkCell']}: the check PASSES on the student stub — it cannot fail ({head(check.source)})")
            status, error = client.run(cell, index)
            if status != "ok":
                problems.append(f"cell {index} failed with the solution in place: {head(cell.source)}\n      {error[:600]}")
                break
    return problems


def grade(path, exercises, timeout):
    nb = nbformat.read(path, as_version=4)
    checks = {e["checkCell"]: n + 1 for n, e in enumerate(exercises)}
    results = []
    client = ReplyClient(nb, kernel_name="tslab", timeout=timeout, resources={"metadata": {"path": KERNEL_DIR}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            status, error = client.run(cell, index)
            if index in checks:
                results.append({"notebook": os.path.basename(path), "exercise": checks[index], "cell": index, "passed": status == "ok", "message": first_message(error) if status != "ok" else ""})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["prove", "grade"])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per cell")
    parser.add_argument("--csv", help="grade: also write the results to this CSV file")
    args = parser.parse_args()
    plan = load_plan(args.notebooks)
    passed = failed = 0
    rows = []
    for entry in plan:
        name = os.path.basename(entry["notebook"])
        if not entry["exercises"]:
            continue
        start = time.monotonic()
        if args.command == "prove":
            problems = prove(entry["notebook"], entry["exercises"], args.timeout)
            count = len(entry["exercises"])
            bad = min(count, len(problems))
            mark = "✓" if not problems else "✗"
            print(f"{mark} {name:<36} {count - bad}/{count} exercise(s) fail on the stub and pass on the solution  {time.monotonic() - start:6.1f} s", flush=True)
            for problem in problems:
                print(f"    {problem}", flush=True)
            passed, failed = passed + count - bad, failed + bad
        else:
            results = grade(entry["notebook"], entry["exercises"], args.timeout)
            for r in results:
                print(f"{'✓' if r['passed'] else '✗'} {name} exercise {r['exercise']} (cell {r['cell']}) {r['message']}", flush=True)
                passed, failed = passed + r["passed"], failed + (not r["passed"])
            rows += results
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["notebook", "exercise", "cell", "passed", "message"])
            writer.writeheader()
            writer.writerows(rows)
    print(f"exercises: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
