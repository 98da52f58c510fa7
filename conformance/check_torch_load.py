"""Loads an omomi run's weights into the equivalent PyTorch model and compares predictions.

    /usr/bin/python3 conformance/check_torch_load.py RUN_DIR PREDICTIONS.csv

RUN_DIR was trained on Fashion-MNIST; PREDICTIONS.csv is `omomi predict RUN_DIR` run on the first
test images (see docs/cli.md). The script builds the module from model.json's "pytorch" field,
calls load_state_dict on model.safetensors (read with the format's own few lines, as Debian has no
safetensors package), predicts the same images and prints the largest probability difference and
the test accuracy of the PyTorch model over all 10,000 images beside omomi's metrics.json.
"""
import csv
import gzip
import json
import os
import struct
import sys

import torch
import torch.nn as nn

FMNIST = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def idx(path):
    with gzip.open(path, "rb") as f:
        d = f.read()
    dims = struct.unpack(">" + "I" * d[3], d[4:4 + 4 * d[3]])
    return torch.frombuffer(bytearray(d[4 + 4 * d[3]:]), dtype=torch.uint8).reshape(dims)


def main(run, predictions):
    spec = json.load(open(os.path.join(run, "model.json")))
    scope = {"nn": nn, "torch": torch}
    if "pytorch_definitions" in spec:  # e.g. the BasicBlock class of ResNets
        exec(spec["pytorch_definitions"], scope)
    model = eval(spec["pytorch"], scope)
    missing, unexpected = model.load_state_dict(load_safetensors(os.path.join(run, "model.safetensors")), strict=True)
    model.eval()
    x = idx(os.path.join(FMNIST, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).float() / 255.0
    pre = os.path.join(run, "preprocessing.json")
    if os.path.exists(pre):  # standardized images: the same mean and std omomi trained with
        p = json.load(open(pre))
        x = (x - p["mean"]) / p["std"]
    y = idx(os.path.join(FMNIST, "t10k-labels-idx1-ubyte.gz")).long()
    with torch.no_grad():
        probs = torch.cat([torch.softmax(model(x[i:i + 1000]), dim=1) for i in range(0, len(x), 1000)])
    acc = (probs.argmax(1) == y).float().mean().item()
    rows = list(csv.DictReader(open(predictions)))
    classes = spec["head"]["classes"]
    worst, same = 0.0, 0
    for i, r in enumerate(rows):
        omomi = torch.tensor([float(r["prob_" + c]) for c in classes])
        worst = max(worst, (omomi - probs[i]).abs().max().item())
        same += int(classes[int(probs[i].argmax())] == r["prediction"])
    metrics = json.load(open(os.path.join(run, "metrics.json")))
    print(json.dumps({"load_state_dict": "strict, no missing or unexpected keys",
                      "images_compared": len(rows), "same_prediction": same,
                      "max_probability_difference": worst,
                      "torch_test_accuracy": acc, "omomi_test_accuracy": metrics["test_accuracy"]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
