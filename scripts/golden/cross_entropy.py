"""Golden values for lib/layers/losses.ts: softmax cross-entropy in PyTorch, float64.

Run:  /usr/bin/python3 scripts/golden/cross_entropy.py   (torch 1.13)
Writes lib/layers/golden-cross-entropy.json, read by lib/layers/losses.test.ts.

For each case: logits [N, C], labels [N], and PyTorch's
    loss          = F.cross_entropy(logits, labels)          (reduction "mean")
    dLogits       = d loss / d logits                        (autograd)
    probabilities = F.softmax(logits, dim=1)
Cases cover ordinary logits, logits with mean far from 0 and varied scales, a single
example, ties, and large logits (|z| up to 1e4) where a naive exp would overflow.
"""
import json
import pathlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20261126)


def case(name, logits, labels):
    logits = logits.clone().requires_grad_(True)
    labels = torch.tensor(labels, dtype=torch.long)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {
        "name": name,
        "logits": logits.detach().tolist(),
        "labels": labels.tolist(),
        "loss": loss.item(),
        "dLogits": logits.grad.tolist(),
        "probabilities": F.softmax(logits.detach(), dim=1).tolist(),
    }


def randn(*shape):
    return torch.randn(*shape, generator=gen)


def labels(n, c):
    return torch.randint(0, c, (n,), generator=gen).tolist()


cases = [
    case("random 6x4", randn(6, 4), labels(6, 4)),
    case("shifted, varied scales 5x3", randn(5, 3) * torch.tensor([0.5, 3.0, 10.0]) + 7.0, labels(5, 3)),
    case("one example 1x5", randn(1, 5) * 2.0, [3]),
    case("ties 2x3", torch.tensor([[1.0, 1.0, 1.0], [2.0, 2.0, -1.0]]), [0, 1]),
    case("large logits 3x3", torch.tensor([[1e4, 0.0, -1e4], [-1e4, 1e4 - 1.0, 1e4], [5e3, -5e3, 5e3 + 2.0]]), [2, 1, 0]),
    case("two classes 4x2", randn(4, 2) * 4.0 - 2.0, labels(4, 2)),
]

out = pathlib.Path(__file__).resolve().parents[2] / "lib" / "layers" / "golden-cross-entropy.json"
out.write_text(json.dumps({"generator": "scripts/golden/cross_entropy.py", "torch": torch.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {out} ({len(cases)} cases)")
