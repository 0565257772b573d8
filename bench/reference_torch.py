"""The benchmark's PyTorch reference: W1 and BatchNorm1d, float64, CPU, one thread.

Same protocol as bench/reference_numpy.py: argv[1] is the JSON task list, argv[2] the seconds per
measurement; prints {"torch": version, "results": {name: value}} (steps/s for w1.*, µs per
forward + backward for bn.*, GFLOP/s for gemm.*).
"""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn

from timing import gemm_gflops, rate, select_clock  # bench/timing.py: the script's folder is on sys.path

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def w1(batch_norm):
    layers, size = [], 784
    for hidden in (100, 100, 100):
        layers.append(nn.Linear(size, hidden, bias=not batch_norm))
        if batch_norm:
            layers.append(nn.BatchNorm1d(hidden))
        layers.append(nn.Sigmoid())
        size = hidden
    layers.append(nn.Linear(size, 10))
    return nn.Sequential(*layers)


def bench_w1(batch_norm, seconds):
    torch.manual_seed(1337)
    x = torch.randn(600, 784)
    y = torch.randint(0, 10, (600,))
    model = w1(batch_norm).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    step_count = [0]

    def step():
        start = (step_count[0] % 10) * 60
        step_count[0] += 1
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x[start:start + 60]), y[start:start + 60])
        loss.backward()
        optimizer.step()

    return rate(step, seconds)


def bench_bn(n, d, seconds):
    torch.manual_seed(7)
    layer = nn.BatchNorm1d(d).train()
    x = (torch.randn(n, d) * 2 + 1).requires_grad_()
    dout = torch.randn(n, d)

    def call():
        layer(x).backward(dout)

    return 1e6 / rate(call, seconds)


def bench_gemm(m, n, k, transpose_a, transpose_b, seconds):
    a = torch.randn((k, m) if transpose_a else (m, k))
    b = torch.randn((n, k) if transpose_b else (k, n))
    return gemm_gflops(a, b, transpose_a, transpose_b, seconds)


def main():
    big = torch.ones(2 * 1024 * 1024)  # settle glibc's trim threshold first, as reference_numpy.py does
    del big
    tasks = json.loads(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
    select_clock(sys.argv)
    results = {}
    with torch.no_grad():
        for task in tasks:
            if task["kind"] == "gemm":
                results[task["name"]] = bench_gemm(task["m"], task["n"], task["k"], task["transposeA"], task["transposeB"], seconds)
    for task in tasks:
        if task["kind"] == "w1":
            results[task["name"]] = bench_w1(task["batchNorm"], seconds)
        elif task["kind"] == "bn":
            results[task["name"]] = bench_bn(task["n"], task["d"], seconds)
    print(json.dumps({"torch": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()
