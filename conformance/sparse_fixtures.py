"""Writes the PyTorch reference for omomi's sparse embedding gradients.

Run with Debian's PyTorch (python3-torch), from the repository root:

    /usr/bin/python3 conformance/sparse_fixtures.py

An nn.Embedding(sparse=True) is trained for a number of steps with SGD, SparseAdam and Adagrad on
a squared error against random targets, reading random ids with repeats; the file records the
initial table, every step's ids and targets, and the table after the first and the last step.
omomi's OptimizerSparseConformanceTest replays the same steps and compares within 1e-5.
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "omomi-core", "src", "test", "resources", "conformance")
torch.set_num_threads(1)

ROWS, DIM, BATCH, FIELDS, STEPS = 40, 4, 8, 3, 25


def flat(t):
    return [float("%.9g" % v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def case(name, make_optimizer, seed):
    g = torch.Generator().manual_seed(seed)
    emb = nn.Embedding(ROWS, DIM, sparse=True)
    with torch.no_grad():
        emb.weight.copy_(torch.randn(ROWS, DIM, generator=g))
    initial = flat(emb.weight)
    opt = make_optimizer(emb.parameters())
    steps = []
    after_first = None
    for t in range(STEPS):
        # Ids drawn from the first half of the table more often, so rows repeat within a batch
        # and some rows are never touched.
        ids = torch.randint(0, ROWS // 2 if t % 2 == 0 else ROWS, (BATCH, FIELDS), generator=g)
        target = torch.randn(BATCH, FIELDS, DIM, generator=g)
        opt.zero_grad()
        loss = ((emb(ids) - target) ** 2).sum()
        loss.backward()
        assert emb.weight.grad.is_sparse
        opt.step()
        steps.append({"ids": ids.reshape(-1).tolist(), "target": flat(target)})
        if t == 0:
            after_first = flat(emb.weight)
    return {"name": name, "rows": ROWS, "dim": DIM, "batch": BATCH, "fields": FIELDS, "initial": initial,
            "steps": steps, "after_first": after_first, "final": flat(emb.weight)}


def main():
    cases = [
        case("sgd", lambda p: torch.optim.SGD(p, lr=0.05), 11),
        case("sparse_adam", lambda p: torch.optim.SparseAdam(p, lr=0.05), 12),
        case("sparse_adam_betas", lambda p: torch.optim.SparseAdam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6), 13),
        case("adagrad", lambda p: torch.optim.Adagrad(p, lr=0.3), 14),
        case("adagrad_lr_decay", lambda p: torch.optim.Adagrad(p, lr=0.3, lr_decay=0.01, initial_accumulator_value=0.1), 15),
    ]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "sparse.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
