#!/usr/bin/env python3
"""Runs cells on a fresh kernel and prints, per cell, its iopub messages and its execute_reply as JSON.

For protocol-level tests of the tslab kernel (scripts/tests/tslab-errors.test.mjs). Reads a JSON list
of cell sources on stdin; prints one JSON list: [{"iopub": [{"msg_type", "content"}], "reply": {...}}].
The kernel starts in --cwd (default: the current directory); JUPYTER_PATH must find its kernelspec.
Each cell is sent as soon as the previous one's reply and "idle" status arrived (like nbclient).

  python3 scripts/tests/kernel-messages.py [--kernel tslab] [--cwd DIR] [--timeout SECONDS] < cells.json
"""
import argparse
import json
import subprocess
import sys

from jupyter_client.manager import start_new_kernel


def run_cell(client, code, timeout):
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=timeout)
    iopub = []
    while True:  # until this request's "idle": everything the kernel published for it
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        iopub.append({"msg_type": msg["header"]["msg_type"], "content": msg["content"]})
        if msg["header"]["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return {"iopub": iopub, "reply": reply["content"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    cells = json.load(sys.stdin)
    # The kernel (node) must not share our stdout: node makes its pipes non-blocking, which can cut our JSON short.
    manager, client = start_new_kernel(kernel_name=args.kernel, startup_timeout=args.timeout, cwd=args.cwd, stdout=subprocess.DEVNULL)
    results = []
    try:
        for code in cells:
            result = run_cell(client, code, args.timeout)
            results.append(result)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
