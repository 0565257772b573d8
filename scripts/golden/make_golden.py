"""Golden values for lib/normalization, computed by PyTorch (float64).

Regenerate (from the repository root; needs PyTorch, tests do not):
    /usr/bin/python3 scripts/golden/make_golden.py

Writes lib/normalization/golden.json. Every tensor is float64 and written with Python's
shortest round-trip repr, so the TypeScript tests read back the exact numbers PyTorch used.
Values are deliberately non-trivial: random gamma, beta != 0, x with a mean far from 0 and a
different scale in every feature.
"""
import os

import torch

from golden_json import dump

torch.manual_seed(1337)
torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "lib", "normalization", "golden.json")
SCALES = torch.tensor([0.5, 2.0, 10.0, 0.1])  # one scale per feature
OFFSETS = torch.tensor([3.0, -2.0, 5.0, 0.7])  # one mean per feature
D = 4


def rows(t):
    """A tensor as nested lists ([1, D] rows for vectors, like lib's Matrix.row)."""
    t = t.detach()
    return [t.tolist()] if t.dim() == 1 else t.tolist()


def features(n):
    return torch.randn(n, D) * SCALES + OFFSETS


def random_affine(bn_weight, bn_bias):
    with torch.no_grad():
        bn_weight.copy_(torch.rand(D) * 1.5 + 0.5)
        bn_bias.copy_(torch.randn(D))


def batchnorm_training():
    """BatchNorm1d training forward and backward for one batch."""
    bn = torch.nn.BatchNorm1d(D, eps=1e-5)
    random_affine(bn.weight, bn.bias)
    x = features(6).requires_grad_()
    d_out = torch.randn(6, D)
    out = bn(x)
    out.backward(d_out)
    return {"eps": 1e-5, "x": rows(x), "gamma": rows(bn.weight), "beta": rows(bn.bias), "dOut": rows(d_out),
            "out": rows(out), "dX": rows(x.grad), "dGamma": rows(bn.weight.grad), "dBeta": rows(bn.bias.grad)}


def batchnorm_unbiased():
    """Karpathy's makemore variant: normalize with the unbiased variance x.var(0) (autograd backward)."""
    gamma = (torch.rand(1, D) * 1.5 + 0.5).requires_grad_()
    beta = torch.randn(1, D).requires_grad_()
    x = features(5).requires_grad_()
    d_out = torch.randn(5, D)
    eps = 1e-5
    out = gamma * (x - x.mean(0, keepdim=True)) / torch.sqrt(x.var(0, keepdim=True, unbiased=True) + eps) + beta
    out.backward(d_out)
    return {"eps": eps, "x": rows(x), "gamma": rows(gamma), "beta": rows(beta), "dOut": rows(d_out),
            "out": rows(out), "dX": rows(x.grad), "dGamma": rows(gamma.grad), "dBeta": rows(beta.grad)}


def running_statistics(momentum):
    """Three training steps (batches of 5), then eval forward and backward on a new batch."""
    bn = torch.nn.BatchNorm1d(D, eps=1e-5, momentum=momentum)
    random_affine(bn.weight, bn.bias)
    batches = [features(5) for _ in range(3)]
    for b in batches:
        bn(b)
    bn.eval()
    x_eval = features(3).requires_grad_()
    d_out = torch.randn(3, D)
    out = bn(x_eval)
    out.backward(d_out)
    return {"momentum": momentum, "eps": 1e-5, "gamma": rows(bn.weight), "beta": rows(bn.bias),
            "batches": [rows(b) for b in batches], "runningMean": rows(bn.running_mean),
            "runningVar": rows(bn.running_var), "numBatchesTracked": int(bn.num_batches_tracked),
            "evalX": rows(x_eval), "evalOut": rows(out), "evalDOut": rows(d_out), "evalDX": rows(x_eval.grad),
            "evalDGamma": rows(bn.weight.grad), "evalDBeta": rows(bn.bias.grad)}


def no_running_stats():
    """track_running_stats=False: eval still normalizes with the batch's statistics."""
    bn = torch.nn.BatchNorm1d(D, eps=1e-5, track_running_stats=False)
    random_affine(bn.weight, bn.bias)
    bn.eval()
    x = features(4)
    return {"eps": 1e-5, "gamma": rows(bn.weight), "beta": rows(bn.bias), "x": rows(x), "evalOut": rows(bn(x))}


def cs231n_running_statistics():
    """cs231n's convention, written out with torch ops (no PyTorch module has it): running mean
    and variance start at 0, running = 0.9*running + 0.1*batch, batch variance biased (np.var)."""
    momentum = 0.9
    batches = [features(5) for _ in range(3)]
    running_mean, running_var = torch.zeros(D), torch.zeros(D)
    for b in batches:
        running_mean = momentum * running_mean + (1 - momentum) * b.mean(0)
        running_var = momentum * running_var + (1 - momentum) * b.var(0, unbiased=False)
    return {"momentum": momentum, "batches": [rows(b) for b in batches],
            "runningMean": rows(running_mean), "runningVar": rows(running_var)}


def layernorm():
    """LayerNorm over the 5 features of each row: forward and backward."""
    ln = torch.nn.LayerNorm(5, eps=1e-5)
    with torch.no_grad():
        ln.weight.copy_(torch.rand(5) * 1.5 + 0.5)
        ln.bias.copy_(torch.randn(5))
    x = (torch.randn(4, 5) * torch.tensor([0.5, 2.0, 10.0, 0.1, 1.0]) + torch.tensor([[3.0], [-2.0], [5.0], [0.7]]))
    x.requires_grad_()
    d_out = torch.randn(4, 5)
    out = ln(x)
    out.backward(d_out)
    return {"eps": 1e-5, "x": rows(x), "gamma": rows(ln.weight), "beta": rows(ln.bias), "dOut": rows(d_out),
            "out": rows(out), "dX": rows(x.grad), "dGamma": rows(ln.weight.grad), "dBeta": rows(ln.bias.grad)}


golden = {
    "generatedBy": "/usr/bin/python3 scripts/golden/make_golden.py",
    "torch": torch.__version__,
    "batchNormTraining": batchnorm_training(),
    "batchNormUnbiased": batchnorm_unbiased(),
    "runningStatsMomentum": running_statistics(0.1),
    "runningStatsCumulative": running_statistics(None),
    "noRunningStats": no_running_stats(),
    "cs231nRunningStats": cs231n_running_statistics(),
    "layerNorm": layernorm(),
}


with open(OUT, "w") as f:
    f.write(dump(golden) + "\n")
print("wrote", os.path.normpath(OUT))
