"""The benchmark's outside reference: W1 and batch norm in numpy, CS231n style, float64, one thread.

Run by bench/run.mjs with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 (set here too, before numpy
loads). Prints one JSON object: {"numpy": version, "results": {name: value}}, where a value is
steps/s (w1.*), microseconds per call (bn.*) or GFLOP/s (gemm.*). The TypeScript side
(bench/run.mjs) measures the same tasks with the same shapes and step counts per second.

W1 (Ioffe & Szegedy 2015, MNIST): 784-100-100-100-10, sigmoid, BN after each hidden affine
layer (whose bias is then dropped, as in the library's mlp()), softmax cross-entropy, plain SGD,
mini-batch 60. CS231n's affine_backward computes dx in every affine layer, the first too; the
library's trainStep (and PyTorch, whose input does not require grad) skip the first layer's dx,
which nothing reads, so this reference skips it as well (need_dx=False), to compare like for like.
"""
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

from timing import gemm_gflops, rate, select_clock  # noqa: E402  (bench/timing.py: the script's folder is on sys.path)

EPS = 1e-5
MOMENTUM = 0.1  # PyTorch convention: running = (1 - m) * running + m * batch


def matmul(a, b):
    """a @ b; the profile (`w1.*.outside` tasks) swaps in `no_products`."""
    return a @ b


_SAVED_PRODUCTS = []  # the profile's products of one step, in call order, computed once
_CALL = [0]  # which product of the step comes next


def no_products(a, b):
    """The profile's stand-in for a @ b: returns the result a real @ gave at the same place in the
    first step (computed once), so what follows sees realistic numbers (an exp of zeros is faster)
    but no multiply runs. It also saves the allocation a real @ makes: numpy's side of the split
    counts its result allocations as multiply time, which keeps its "outside" share small."""
    index = _CALL[0]
    _CALL[0] += 1
    if index == len(_SAVED_PRODUCTS):
        _SAVED_PRODUCTS.append(a @ b)
    return _SAVED_PRODUCTS[index]


def affine_forward(x, w, b):
    out = matmul(x, w) if b is None else matmul(x, w) + b
    return out, (x, w)


def affine_backward(dout, cache, need_dx=True):
    x, w = cache
    dx = matmul(dout, w.T) if need_dx else None  # the first layer's dx is never read
    return dx, matmul(x.T, dout), dout.sum(axis=0)  # dx, dw, db


def sigmoid_forward(x):
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out


def sigmoid_backward(dout, out):
    return dout * out * (1.0 - out)


def batchnorm_forward(x, gamma, beta, bn_param):
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # biased, as the paper normalizes
    inv_std = 1.0 / np.sqrt(var + EPS)
    x_hat = (x - mean) * inv_std
    n = x.shape[0]
    bn_param["running_mean"] = (1 - MOMENTUM) * bn_param["running_mean"] + MOMENTUM * mean
    bn_param["running_var"] = (1 - MOMENTUM) * bn_param["running_var"] + MOMENTUM * var * n / (n - 1)
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def batchnorm_backward_alt(dout, cache):
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (gamma * inv_std / n) * (n * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def softmax_loss(x, y):
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = x.shape[0]
    loss = -log_probs[np.arange(n), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(n), y] -= 1
    return loss, dx / n


class W1:
    """The network, parameters in a dict as in CS231n's FullyConnectedNet."""

    def __init__(self, batch_norm, rng, sizes=(784, 100, 100, 100, 10)):
        self.batch_norm = batch_norm
        self.params, self.bn_params = {}, []
        self.layers = len(sizes) - 1
        for i in range(self.layers):
            self.params[f"W{i}"] = rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(1.0 / sizes[i])
            hidden = i < self.layers - 1
            if not (batch_norm and hidden):
                self.params[f"b{i}"] = np.zeros(sizes[i + 1])
            if batch_norm and hidden:
                self.params[f"gamma{i}"] = np.ones(sizes[i + 1])
                self.params[f"beta{i}"] = np.zeros(sizes[i + 1])
                self.bn_params.append({"running_mean": np.zeros(sizes[i + 1]), "running_var": np.ones(sizes[i + 1])})

    def loss(self, x, y):
        caches, h = [], x
        for i in range(self.layers):
            h, cache = affine_forward(h, self.params[f"W{i}"], self.params.get(f"b{i}"))
            caches.append(cache)
            if i == self.layers - 1:
                break
            if self.batch_norm:
                h, cache = batchnorm_forward(h, self.params[f"gamma{i}"], self.params[f"beta{i}"], self.bn_params[i])
                caches.append(cache)
            h, cache = sigmoid_forward(h)
            caches.append(cache)
        loss, dh = softmax_loss(h, y)
        grads = {}
        for i in reversed(range(self.layers)):
            if i < self.layers - 1:
                dh = sigmoid_backward(dh, caches.pop())
                if self.batch_norm:
                    dh, grads[f"gamma{i}"], grads[f"beta{i}"] = batchnorm_backward_alt(dh, caches.pop())
            dh, grads[f"W{i}"], db = affine_backward(dh, caches.pop(), need_dx=i > 0)
            if f"b{i}" in self.params:
                grads[f"b{i}"] = db
        return loss, grads


def sgd(params, grads, learning_rate):
    for name, grad in grads.items():
        params[name] -= learning_rate * grad


def bench_w1(batch_norm, seconds):
    rng = np.random.default_rng(1337)
    x = rng.standard_normal((600, 784))
    y = rng.integers(0, 10, 600)
    model = W1(batch_norm, rng)
    step_count = [0]

    def step():
        _CALL[0] = 0
        start = (step_count[0] % 10) * 60
        step_count[0] += 1
        _, grads = model.loss(x[start:start + 60], y[start:start + 60])
        sgd(model.params, grads, 0.1)

    return rate(step, seconds)


def bench_bn(n, d, seconds):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((n, d)) * 2 + 1
    dout = rng.standard_normal((n, d))
    gamma, beta = rng.standard_normal(d), rng.standard_normal(d)
    bn_param = {"running_mean": np.zeros(d), "running_var": np.ones(d)}

    def call():
        _, cache = batchnorm_forward(x, gamma, beta, bn_param)
        batchnorm_backward_alt(dout, cache)

    return 1e6 / rate(call, seconds)


def bench_gemm(m, n, k, transpose_a, transpose_b, seconds):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((k, m) if transpose_a else (m, k))
    b = rng.standard_normal((n, k) if transpose_b else (k, n))
    return gemm_gflops(a, b, transpose_a, transpose_b, seconds)


def settle_allocator():
    """Free one large array first, so glibc raises its trim threshold (dynamic mmap threshold).

    Without this, the first W1 run in a process gives its ~3 MB of temporaries back to the
    kernel after every step and page-faults them in again: about 6x slower (≈95 instead of
    ≈600 steps/s here) until some array larger than that is freed. Measuring after this
    is numpy's best case, which keeps the ratios printed by bench/run.mjs conservative.
    """
    big = np.ones(2 * 1024 * 1024)  # 16 MB: above the default 128 kB, below glibc's 32 MB cap for the dynamic threshold
    del big


real_matmul = matmul


def main():
    global matmul
    settle_allocator()
    tasks = json.loads(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
    select_clock(sys.argv)
    results = {}
    for task in tasks:
        kind = task["kind"]
        if kind == "w1":
            matmul = no_products if task.get("noProducts") else real_matmul
            results[task["name"]] = bench_w1(task["batchNorm"], seconds)
            matmul = real_matmul
        elif kind == "bn":
            results[task["name"]] = bench_bn(task["n"], task["d"], seconds)
        elif kind == "gemm":
            results[task["name"]] = bench_gemm(task["m"], task["n"], task["k"], task["transposeA"], task["transposeB"], seconds)
    print(json.dumps({"numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main()
