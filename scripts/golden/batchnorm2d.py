"""Golden values for lib/normalization/batchnorm2d.ts: PyTorch's nn.BatchNorm2d in float64.

Run (from the repository root; needs PyTorch, the tests do not):
    /usr/bin/python3 scripts/golden/batchnorm2d.py      (Debian's python3-torch)
Writes lib/normalization/golden-batchnorm2d.json, read by lib/normalization/batchnorm2d.test.ts.

Feature maps [N, C, H, W] are written as the library stores them, [N, C*H*W] (x.reshape(N, -1):
channel after channel, each channel's H*W values row by row). Values are non-trivial: every channel
has its own mean far from 0 and its own scale, gamma is random, beta != 0.
"""
import pathlib

import torch

from golden_json import dump

torch.manual_seed(2026)
torch.set_default_dtype(torch.float64)

OUT = pathlib.Path(__file__).resolve().parents[2] / "lib" / "normalization" / "golden-batchnorm2d.json"
C, H, W = 3, 2, 3
SCALES = torch.tensor([0.5, 4.0, 0.1]).view(1, C, 1, 1)  # one scale per channel
OFFSETS = torch.tensor([3.0, -7.0, 0.4]).view(1, C, 1, 1)  # one mean per channel


def flat(t):
    """[N, C, H, W] -> nested rows [N, C*H*W]; a [C] vector -> one row [1, C]."""
    t = t.detach()
    return [t.tolist()] if t.dim() == 1 else t.reshape(t.shape[0], -1).tolist()


def maps(n):
    return torch.randn(n, C, H, W) * SCALES + OFFSETS


def layer(eps=1e-5, momentum=0.1):
    bn = torch.nn.BatchNorm2d(C, eps=eps, momentum=momentum)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(C) * 1.5 + 0.5)
        bn.bias.copy_(torch.randn(C))
    return bn


def training():
    """One training forward and backward of a batch of 4 maps."""
    bn = layer()
    x = maps(4).requires_grad_()
    d_out = torch.randn(4, C, H, W)
    out = bn(x)
    out.backward(d_out)
    return {"eps": bn.eps, "channels": C, "x": flat(x), "gamma": flat(bn.weight), "beta": flat(bn.bias), "dOut": flat(d_out),
            "out": flat(out), "dX": flat(x.grad), "dGamma": flat(bn.weight.grad), "dBeta": flat(bn.bias.grad),
            "runningMean": flat(bn.running_mean), "runningVar": flat(bn.running_var)}


def running_statistics():
    """Three training batches (N = 2, 1, 3: one map is enough, H*W > 1), then eval forward and backward."""
    bn = layer(eps=1e-8, momentum=0.2)
    batches = [maps(n) for n in (2, 1, 3)]
    for b in batches:
        bn(b)
    bn.eval()
    x = maps(2).requires_grad_()
    d_out = torch.randn(2, C, H, W)
    out = bn(x)
    out.backward(d_out)
    return {"eps": bn.eps, "momentum": bn.momentum, "channels": C, "gamma": flat(bn.weight), "beta": flat(bn.bias),
            "batches": [flat(b) for b in batches], "runningMean": flat(bn.running_mean), "runningVar": flat(bn.running_var),
            "numBatchesTracked": int(bn.num_batches_tracked), "evalX": flat(x), "evalOut": flat(out), "evalDOut": flat(d_out),
            "evalDX": flat(x.grad), "evalDGamma": flat(bn.weight.grad), "evalDBeta": flat(bn.bias.grad)}


def main():
    golden = {"generatedBy": "/usr/bin/python3 scripts/golden/batchnorm2d.py", "torch": torch.__version__,
              "training": training(), "runningStatistics": running_statistics()}
    OUT.write_text(dump(golden) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
