"""Writes the exact-replay fixture: a small CSV, initial weights, and the weights PyTorch reaches
training on them step by step, as `omomi train --no-shuffle --val-split 0 --scale none
--init-weights W` must (omomi-cli's ReplayTest compares), with omomi's default learning-rate
schedule (cosine: one epoch of linear warm-up from lr/10, then cosine decay, set per epoch) and
with `--schedule none` (a constant rate). Run from the repository root with Debian's PyTorch:

    /usr/bin/python3 conformance/replay_fixture.py

Held-out rows are the last ones (--test-split 0.2 by default), so training uses the first 80%.
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "omomi-cli", "src", "test", "resources", "replay")
torch.set_num_threads(1)


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def cosine_with_warmup(epoch, epochs, warmup=1, start=0.1):
    """omomi's --schedule cosine (LrScheduler.cosineWithWarmup) as a LambdaLR factor."""
    warmup = min(warmup, epochs - 1)
    if epoch < warmup:
        return start + (1 - start) * epoch / warmup
    if epoch >= epochs:
        return 0.0
    return 0.5 * (1 + math.cos(math.pi * (epoch - warmup) / (epochs - warmup)))


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(5)
    n = 240
    x = torch.randn(n, 3, generator=g)
    logit = 1.5 * x[:, 0] - 2.0 * x[:, 1] + 0.5 * x[:, 2] * x[:, 0]
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    with open(os.path.join(OUT, "replay.csv"), "w") as f:
        f.write("a,b,c,y\n")
        for i in range(n):
            f.write("%s,%s,%s,%d\n" % (repr(float(x[i, 0])), repr(float(x[i, 1])), repr(float(x[i, 2])), int(y[i])))
    # Read back exactly what omomi will parse: the text, as float32.
    rows = [l.strip().split(",") for l in open(os.path.join(OUT, "replay.csv")).readlines()[1:]]
    xs = torch.tensor([[float(v) for v in r[:3]] for r in rows], dtype=torch.float32)
    ys = torch.tensor([[float(r[3])] for r in rows], dtype=torch.float32)
    train = int(n - round(n * 0.2))
    xs, ys = xs[:train], ys[:train]

    torch.manual_seed(3)
    init = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    save_safetensors(os.path.join(OUT, "init.safetensors"), init.state_dict())
    runs = {
        "momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
        "adam": lambda p: torch.optim.Adam(p, lr=0.01),
        "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
    }
    epochs = 3
    for schedule in ("cosine", "none"):
        for name, make in runs.items():
            model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
            model.load_state_dict(init.state_dict())
            opt = make(model.parameters())
            base = opt.param_groups[0]["lr"]
            loss_fn = nn.BCEWithLogitsLoss()
            for epoch in range(epochs):
                if schedule == "cosine":
                    for group in opt.param_groups:
                        group["lr"] = base * cosine_with_warmup(epoch, epochs)
                for i in range(0, train, 16):
                    opt.zero_grad()
                    loss_fn(model(xs[i:i + 16]), ys[i:i + 16]).backward()
                    opt.step()
            suffix = "" if schedule == "cosine" else "-constant"
            save_safetensors(os.path.join(OUT, "expected-%s%s.safetensors" % (name, suffix)), model.state_dict())
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
