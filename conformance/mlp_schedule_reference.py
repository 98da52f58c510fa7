"""PyTorch beside `omomi train --model mlp --hidden 512,256 --data fashion-mnist --epochs 10
--optimizer adam --lr 1e-3 --batch-size 128`: the same recipe as omomi runs it (the first 54,000
training images, the last 6,000 held out for validation; pixels in [0, 1] standardized by the
mean and std of the training pixels; PyTorch's default initialization; shuffled batches of 128),
once with a constant learning rate and once with omomi's default schedule (one epoch of linear
warm-up from lr/10, then cosine decay, set per epoch). Prints one JSON line per run with the test
accuracy, so the schedule's effect can be seen apart from anything omomi does. Run with Debian's
PyTorch:

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 conformance/mlp_schedule_reference.py [SEEDS]
"""
import gzip
import json
import os
import struct
import sys

import torch
import torch.nn as nn

from replay_fixture import cosine_with_warmup  # omomi's --schedule cosine, written once

FMNIST = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")


def idx(name):
    with gzip.open(os.path.join(FMNIST, name), "rb") as f:
        d = f.read()
    dims = struct.unpack(">" + "I" * d[3], d[4:4 + 4 * d[3]])
    return torch.frombuffer(bytearray(d[4 + 4 * d[3]:]), dtype=torch.uint8).reshape(dims)


def run(seed, schedule, epochs=10):
    torch.manual_seed(seed)
    x = idx("train-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255.0
    y = idx("train-labels-idx1-ubyte.gz").long()
    xt = idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255.0
    yt = idx("t10k-labels-idx1-ubyte.gz").long()
    x, y = x[:54000], y[:54000]
    mean, std = x.mean(), x.std()
    x, xt = (x - mean) / std, (xt - mean) / std
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        if schedule == "cosine":
            for g in opt.param_groups:
                g["lr"] = 1e-3 * cosine_with_warmup(epoch, epochs)
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            b = perm[i:i + 128]
            opt.zero_grad()
            loss_fn(model(x[b]), y[b]).backward()
            opt.step()
    with torch.no_grad():
        acc = (model(xt).argmax(1) == yt).float().mean().item()
    return {"lib": "torch", "seed": seed, "schedule": schedule, "epochs": epochs, "test_accuracy": round(acc, 4)}


if __name__ == "__main__":
    torch.set_num_threads(2)
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    for seed in range(1, seeds + 1):
        for schedule in ("none", "cosine"):
            print(json.dumps(run(seed, schedule)), flush=True)
