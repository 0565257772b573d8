#!/usr/bin/env python3
"""Runs one notebook on a fresh tslab kernel (jupyter_client, no nbclient) and measures how it holds up:
the kernel's resident memory (RSS, sampled every second from /proc) and the gaps between the live display's
updates (the times at which `display_data` / `update_display_data` messages arrive).

Usage (bench/long-run.mjs sets JUPYTER_PATH to this checkout's kernelspec and picks the Python):
  python3 bench/long_run.py NOTEBOOK.ipynb [--set NAME=VALUE ...] [--timeout SECONDS]
`--set FULL_RUN=true` rewrites a line `const FULL_RUN = false;` of a code cell before it runs.
`--heap` also runs a probe cell first that records, from inside the kernel, `process.memoryUsage()` every second
and the V8 heap after a forced garbage collection every 10 s (what JavaScript really keeps alive).
The verdict fails (exit 1) when the kernel's RSS grows by more than `--max-drift-mib` over the second half of
any part of the longest cell (a least-squares line through the samples) or peaks above `--max-rss-mib` anywhere in
the run. The parts: the longest cell is cut where it starts a new display (a live chart: in notebook 07 the network
without BN, then the one with BN), so that each network's memory is judged after its own warm-up; a new model's
buffers, allocated once when it starts (13 MiB for notebook 07's BN network, measured), are a step between parts, not
growth within one. A cell that starts one display or none is one part, as before. The drift over the second half of
the whole cell is reported too.
Prints a JSON summary on its last line.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time

import nbformat
from jupyter_client.manager import KernelManager


def rss_mib(pid):
    """Resident set size of a process and its children, in MiB (Linux /proc)."""
    total = 0
    for p in [pid] + children(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found + [c for child in found for c in children(child)]


# Runs in the kernel before the notebook: a timer (unref'd, so it never keeps the kernel busy) that appends one JSON
# line per second. tslab's TypeScript has `require`; `--expose-gc` set at run time makes `gc` reachable through vm.
HEAP_PROBE = """
{
  const fs = require("fs"), v8 = require("v8"), vm = require("vm");
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  const mib = (bytes: number) => Math.round(bytes / 1048576 * 10) / 10;
  let tick = 0;
  setInterval(() => {
    const m = process.memoryUsage();
    const row: Record<string, number> = { t: Date.now() / 1000, rss: mib(m.rss), heapUsed: mib(m.heapUsed), heapTotal: mib(m.heapTotal), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) };
    if (++tick % 10 === 0) { gc(); const a = process.memoryUsage(); row.heapUsedAfterGc = mib(a.heapUsed); row.rssAfterGc = mib(a.rss); }
    fs.appendFileSync(PATH, JSON.stringify(row) + "\\n");
  }, 1000).unref();
}
"""


def slope_mib(points):
    """Growth in MiB over the span of `points` [(t, rss)], from a least-squares line (0 for fewer than 3)."""
    if len(points) < 3:
        return 0.0
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mr = sum(r for _, r in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    beta = sum((t - mt) * (r - mr) for t, r in points) / var if var else 0.0
    return beta * (points[-1][0] - points[0][0])


def heap_summary(path, t0):
    """The probe's samples, 20 of them evenly spread, plus the live heap after GC at the start and end."""
    try:
        rows = [json.loads(line) for line in open(path) if line.strip()]
    except OSError:
        return None
    for row in rows:
        row["t"] = round(row["t"] - t0)
    after = [r for r in rows if "heapUsedAfterGc" in r]
    return {"samples": len(rows), "heapUsedAfterGcFirstLast": [after[0]["heapUsedAfterGc"], after[-1]["heapUsedAfterGc"]] if after else None,
            "heapUsedAfterGcMax": max((r["heapUsedAfterGc"] for r in after), default=None),
            "timeline": rows[:: max(1, len(rows) // 20)]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--heap", action="store_true", help="record V8 heap figures from inside the kernel (see above)")
    parser.add_argument("--max-drift-mib", type=float, default=5.0)
    parser.add_argument("--max-rss-mib", type=float, default=600.0)
    parser.add_argument("--samples", help="write every RSS sample [seconds, MiB] and the cells' spans to this JSON file")
    parser.add_argument("--kernel-env", action="append", default=[], help="NAME=VALUE for the kernel's environment, e.g. MALLOC_ARENA_MAX=2")
    args = parser.parse_args()
    nb = nbformat.read(args.notebook, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    for assignment in args.set:
        name, value = assignment.split("=", 1)
        pattern = re.compile(rf"^(const|let) {re.escape(name)} = [^;]+;", re.M)
        if not any(pattern.search(c) for c in cells):
            sys.exit(f"no `const {name} = …;` line in a code cell of {args.notebook}")
        cells = [pattern.sub(rf"\1 {name} = {value};", c) for c in cells]

    km = KernelManager(kernel_name="tslab")
    km.start_kernel(cwd=os.path.dirname(os.path.abspath(args.notebook)), env={**os.environ, **dict(e.split("=", 1) for e in args.kernel_env)})
    pid = km.provisioner.process.pid
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    samples, stop = [], threading.Event()
    heap_file = os.path.join(tempfile.mkdtemp(prefix="long-run-"), "heap.jsonl")
    if args.heap:
        run_cell(client, HEAP_PROBE.replace("PATH", json.dumps(heap_file)), args.timeout)
    wall_start = time.time()

    def sample():
        start = time.monotonic()
        while not stop.is_set():
            samples.append((time.monotonic() - start, rss_mib(pid)))
            stop.wait(1.0)

    threading.Thread(target=sample, daemon=True).start()
    display_times, new_displays, cell_seconds, cell_spans, failed = [], [], [], [], None
    load_before = os.getloadavg()
    started = time.monotonic()
    try:
        for index, source in enumerate(cells):
            cell_start = time.monotonic()
            status = run_cell(client, source, args.timeout, display_times, new_displays)
            cell_seconds.append(round(time.monotonic() - cell_start, 1))
            cell_spans.append((cell_start - started, time.monotonic() - started))
            if status != "ok":
                failed = index
                break
    finally:
        stop.set()
        client.stop_channels()
        km.shutdown_kernel(now=True)
    total = time.monotonic() - started
    warm = [r for t, r in samples if t >= min(60, total * 0.1)] or [r for _, r in samples]
    longest = max(range(len(cell_spans)), key=lambda i: cell_spans[i][1] - cell_spans[i][0])
    begin, end = cell_spans[longest]
    inside = [r for t, r in samples if begin + 0.1 * (end - begin) <= t <= end] or [0]
    drift = slope_mib([(t, r) for t, r in samples if (begin + end) / 2 <= t <= end])
    drift_warm = slope_mib([(t, r) for t, r in samples if begin + 0.1 * (end - begin) <= t <= end])
    # the longest cell in parts, one per live chart it starts (notebook 07: the network without BN, then with BN);
    # each part's drift over its own second half shows growth within a run apart from a step between runs
    starts = sorted({begin} | {t - started for t in new_displays if begin < t - started < end})
    parts = [(a, b) for a, b in zip(starts, starts[1:] + [end]) if b - a > 10] or [(begin, end)]  # > 10 s: a run
    part_drifts = [slope_mib([(t, r) for t, r in samples if (a + b) / 2 <= t <= b]) for a, b in parts]
    part_levels = [[round(r, 1) for r in ([r for t, r in samples if a + 0.1 * (b - a) <= t <= b] or [0])[:: max(1, int(b - a) // 5)]] for a, b in parts]
    peak = max(r for _, r in samples)
    gaps = [b - a for a, b in zip(display_times, display_times[1:])]
    problems = [f"cell {failed} failed"] if failed is not None else []
    for k, part_drift in enumerate(part_drifts):
        if part_drift > args.max_drift_mib:
            problems.append(
                f"RSS grew {part_drift:.1f} MiB over the second half of part {k + 1} of the longest cell (bound {args.max_drift_mib})"
            )
    if peak > args.max_rss_mib:
        problems.append(f"RSS peaked at {peak:.0f} MiB (bound {args.max_rss_mib:.0f})")
    summary = {
        "notebook": os.path.basename(args.notebook),
        "set": args.set + args.kernel_env,
        "verdict": "ok" if not problems else "FAIL: " + "; ".join(problems),
        "seconds": round(total, 1),
        "loadAverage1mBeforeAfter": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        "failedCell": failed,
        "rssMiB": {"afterWarmUp": round(warm[0], 1), "max": round(peak, 1), "end": round(samples[-1][1], 1),
                   "growthAfterWarmUp": round(max(warm) - warm[0], 1)},
        "longestCell": {"index": longest, "seconds": round(end - begin, 1), "rssMiBFrom10PercentIn": round(inside[0], 1),
                        "rssMiBMax": round(max(inside), 1), "rssMiBAtEnd": round(inside[-1], 1),
                        "rssDriftMiBFrom10PercentIn": round(drift_warm, 1), "rssDriftMiBSecondHalf": round(drift, 1),
                        "parts": [{"fromS": round(a - begin), "seconds": round(b - a), "rssDriftMiBSecondHalf": round(d, 1), "rssMiBFrom10PercentIn": lv}
                                  for (a, b), d, lv in zip(parts, part_drifts, part_levels)]},
        "displayMessages": len(display_times),
        "longestGapBetweenDisplayUpdatesS": round(max(gaps), 2) if gaps else None,
        "slowestCells": sorted(((s, i) for i, s in enumerate(cell_seconds)), reverse=True)[:3],
        "rssTimeline": [[round(t), round(r, 1)] for t, r in samples[:: max(1, len(samples) // 20)]],
        "heap": heap_summary(heap_file, wall_start) if args.heap else None,
    }
    if args.samples:
        with open(args.samples, "w") as f:
            json.dump({"rss": [[round(t, 1), round(r, 1)] for t, r in samples], "cells": cell_spans,
                       "newDisplays": [round(t - started, 1) for t in new_displays]}, f)
    print(json.dumps(summary))
    sys.exit(1 if problems else 0)


def run_cell(client, source, timeout, display_times=None, new_displays=None):
    """Executes one cell and waits for its reply; notes when each display message arrives (and, in `new_displays`, each
    new display: a live chart starting). Returns the reply status; a failed cell's output and error go to stderr."""
    msg_id = client.execute(source)
    printed = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "stream":
            printed.append(msg["content"]["text"])
        elif kind == "error":
            printed.append(f"{msg['content']['ename']}: {msg['content']['evalue']}\n")
        if display_times is not None and kind in ("display_data", "update_display_data"):
            display_times.append(time.monotonic())
            if kind == "display_data" and new_displays is not None:
                new_displays.append(time.monotonic())
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = client.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=60)
    if reply["content"]["status"] != "ok":
        print(f"--- failed cell ---\n{source}\n--- its output ---\n{''.join(printed)}", file=sys.stderr)
    return reply["content"]["status"]

if __name__ == "__main__":
    main()
