#!/usr/bin/env python3
"""Runs one notebook on a fresh tslab kernel (jupyter_client, no nbclient) and measures how it holds up:
the kernel's resident memory (RSS, sampled every second from /proc) and the gaps between the live display's
updates (the times at which `display_data` / `update_display_data` messages arrive).

Usage (bench/long-run.mjs sets JUPYTER_PATH to this checkout's kernelspec and picks the Python):
  python3 bench/long_run.py NOTEBOOK.ipynb [--set NAME=VALUE ...] [--timeout SECONDS]
`--set FULL_RUN=true` rewrites a line `const FULL_RUN = false;` of a code cell before it runs.
Prints a JSON summary on its last line.
"""
import argparse
import json
import os
import re
import sys
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=3600)
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
    km.start_kernel(cwd=os.path.dirname(os.path.abspath(args.notebook)))
    pid = km.provisioner.process.pid
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    samples, stop = [], threading.Event()

    def sample():
        start = time.monotonic()
        while not stop.is_set():
            samples.append((time.monotonic() - start, rss_mib(pid)))
            stop.wait(1.0)

    threading.Thread(target=sample, daemon=True).start()
    display_times, cell_seconds, cell_spans, failed = [], [], [], None
    started = time.monotonic()
    try:
        for index, source in enumerate(cells):
            cell_start = time.monotonic()
            msg_id = client.execute(source)
            while True:
                msg = client.get_iopub_msg(timeout=args.timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind in ("display_data", "update_display_data"):
                    display_times.append(time.monotonic())
                if kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
            reply = client.get_shell_msg(timeout=60)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = client.get_shell_msg(timeout=60)
            cell_seconds.append(round(time.monotonic() - cell_start, 1))
            cell_spans.append((cell_start - started, time.monotonic() - started))
            if reply["content"]["status"] != "ok":
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
    gaps = [b - a for a, b in zip(display_times, display_times[1:])]
    summary = {
        "notebook": os.path.basename(args.notebook),
        "set": args.set,
        "seconds": round(total, 1),
        "failedCell": failed,
        "rssMiB": {"afterWarmUp": round(warm[0], 1), "max": round(max(r for _, r in samples), 1), "end": round(samples[-1][1], 1),
                   "growthAfterWarmUp": round(max(warm) - warm[0], 1)},
        "longestCell": {"index": longest, "seconds": round(end - begin, 1), "rssMiBFrom10PercentIn": round(inside[0], 1),
                        "rssMiBMax": round(max(inside), 1), "rssMiBAtEnd": round(inside[-1], 1)},
        "displayMessages": len(display_times),
        "longestGapBetweenDisplayUpdatesS": round(max(gaps), 2) if gaps else None,
        "slowestCells": sorted(((s, i) for i, s in enumerate(cell_seconds)), reverse=True)[:3],
        "rssTimeline": [[round(t), round(r, 1)] for t, r in samples[:: max(1, len(samples) // 20)]],
    }
    print(json.dumps(summary))
    sys.exit(1 if failed is not None else 0)


if __name__ == "__main__":
    main()
