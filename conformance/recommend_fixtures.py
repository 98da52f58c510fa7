"""Writes the PyTorch reference for omomi-recommend's training steps.

Run with Debian's PyTorch (python3-torch), from the repository root:

    /usr/bin/python3 conformance/recommend_fixtures.py

Two small models with the structure of omomi's ModelKind graphs are trained for a few steps from
recorded initial weights on recorded batches:
  * bpr: user/item tables and an item bias, all nn.Embedding(sparse=True); s = <p_u, q_i> + b_i for
    items [B, 1 + m] (the positive, then m negatives); loss = mean softplus(s- - s+) + l2 * sum of
    squared looked-up rows / B; SparseAdam.
  * mf: as bpr plus a user bias and a global bias (a dense parameter); r = mu + b_u + b_i + <p_u, q_i>
    for items [B, 1]; loss = mean (r - y)^2 + l2 * sum of squared looked-up rows / B; Adam
    (SparseAdam on the tables, dense Adam on mu: torch.optim.Adam for the dense one).
The file records the initial weights, every step's ids (and ratings), each step's loss and the
weights after the last step; RecommendConformanceTest replays them and compares within 1e-5.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "omomi-recommend", "src", "test", "resources", "org", "omomi", "recommend")
torch.set_num_threads(1)

USERS, ITEMS, DIM, BATCH, STEPS, NEG = 6, 9, 3, 5, 6, 2


def flat(t):
    return [float("%.9g" % v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def case(kind, seed, lr, l2):
    g = torch.Generator().manual_seed(seed)
    user_vec = nn.Embedding(USERS, DIM, sparse=True)
    item_vec = nn.Embedding(ITEMS, DIM, sparse=True)
    item_bias = nn.Embedding(ITEMS, 1, sparse=True)
    user_bias = nn.Embedding(USERS, 1, sparse=True)
    mu = nn.Parameter(torch.zeros(1))
    with torch.no_grad():
        for e in (user_vec, item_vec, item_bias, user_bias):
            e.weight.copy_(0.3 * torch.randn(e.weight.shape, generator=g))
        mu.fill_(3.0)
    tables = {"user_vec.weight": user_vec, "item_vec.weight": item_vec, "item_bias.weight": item_bias}
    if kind == "mf":
        tables["user_bias.weight"] = user_bias
    initial = {k: flat(v.weight) for k, v in tables.items()}
    if kind == "mf":
        initial["rating.bias"] = flat(mu)
    sparse = torch.optim.SparseAdam([e.weight for e in tables.values()], lr=lr)
    dense = torch.optim.Adam([mu], lr=lr) if kind == "mf" else None
    steps, losses = [], []
    width = 1 if kind == "mf" else 1 + NEG
    for t in range(STEPS):
        u = torch.randint(0, USERS, (BATCH, 1), generator=g)
        i = torch.randint(0, ITEMS, (BATCH, width), generator=g)
        y = torch.round(torch.rand(BATCH, generator=g) * 40 + 10) / 10  # ratings 1.0 … 5.0
        sparse.zero_grad()
        if dense:
            dense.zero_grad()
        p, q, b = user_vec(u), item_vec(i), item_bias(i)
        s = (p * q).sum(-1, keepdim=True) + b
        rows = p.pow(2).sum() + q.pow(2).sum() + b.pow(2).sum()
        if kind == "mf":
            bu = user_bias(u)
            s = s + bu + mu
            rows = rows + bu.pow(2).sum()
            loss = ((s.flatten(1) - y.reshape(-1, 1)) ** 2).mean()
        else:
            s = s.flatten(1)
            loss = F.softplus(s[:, 1:] - s[:, :1]).mean()
        loss = loss + l2 * rows / BATCH
        loss.backward()
        sparse.step()
        if dense:
            dense.step()
        steps.append({"user": u.reshape(-1).tolist(), "item": i.reshape(-1).tolist(), "rating": flat(y)})
        losses.append(float("%.9g" % loss.item()))
    final = {k: flat(v.weight) for k, v in tables.items()}
    if kind == "mf":
        final["rating.bias"] = flat(mu)
    return {"kind": kind, "users": USERS, "items": ITEMS, "dim": DIM, "batch": BATCH, "width": width, "lr": lr, "l2": l2,
            "initial": initial, "steps": steps, "losses": losses, "final": final}


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [case("bpr", 21, 0.05, 0.01), case("mf", 22, 0.05, 0.02)]
    with open(os.path.join(OUT, "torch_steps.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
