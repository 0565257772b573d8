"""Golden values for lib/optim: a few steps of torch.optim in float64.

Run:  /usr/bin/python3 scripts/golden/optimizers.py   (torch 1.13)
Writes lib/optim/golden-optimizers.json, read by lib/optim/golden.test.ts.

Problem: two parameters, "weight" [2, 3] and "bias" [1, 3]. Before step t (0-based) each
gradient is
    grad = c * (theta - target) + noise[t]          (elementwise)
so the gradient depends on the current theta and the optimizer state matters. The test
recomputes grad with the same float64 operations in the same order.
"""
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
STEPS = 5
gen = torch.Generator().manual_seed(20240611)


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=gen) * scale).tolist()


shapes = {"weight": (2, 3), "bias": (1, 3)}
problem = {
    "initial": {name: randn(*shape) for name, shape in shapes.items()},
    "c": {name: (torch.rand(*shape, generator=gen) * 2 + 0.5).tolist() for name, shape in shapes.items()},
    "target": {name: randn(*shape, scale=0.5) for name, shape in shapes.items()},
    "noise": [{name: randn(*shape, scale=0.3) for name, shape in shapes.items()} for _ in range(STEPS)],
}

configs = [
    ("SGD", "sgd_plain", {"lr": 0.1}),
    ("SGD", "sgd_momentum", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", "sgd_weight_decay", {"lr": 0.1, "weight_decay": 0.05}),
    ("SGD", "sgd_momentum_weight_decay", {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1}),
    ("RMSprop", "rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-8}),
    ("RMSprop", "rmsprop_pytorch_defaults", {"lr": 0.01}),
    ("RMSprop", "rmsprop_weight_decay", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3, "weight_decay": 0.1}),
    ("Adam", "adam", {"lr": 0.01}),
    ("Adam", "adam_custom", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-4}),
    ("Adam", "adam_weight_decay", {"lr": 0.01, "weight_decay": 0.1}),
]


def run(optimizer_name, options):
    params = {name: torch.tensor(problem["initial"][name]) for name in shapes}
    for p in params.values():
        p.requires_grad_(True)
    optimizer = getattr(torch.optim, optimizer_name)(list(params.values()), **options)
    trajectory = []
    for t in range(STEPS):
        with torch.no_grad():
            for name, p in params.items():
                c = torch.tensor(problem["c"][name])
                target = torch.tensor(problem["target"][name])
                noise = torch.tensor(problem["noise"][t][name])
                p.grad = c * (p - target) + noise
        optimizer.step()
        trajectory.append({name: p.detach().tolist() for name, p in params.items()})
    return trajectory


out = {
    "generator": "scripts/golden/optimizers.py",
    "torch": torch.__version__,
    "steps": STEPS,
    "problem": problem,
    "runs": [
        {"optimizer": opt, "name": name, "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
         "trajectory": run(opt, options)}
        for opt, name, options in configs
    ],
}
path = pathlib.Path(__file__).resolve().parents[2] / "lib" / "optim" / "golden-optimizers.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
