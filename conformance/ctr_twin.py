"""Loads an omomi click run (omomi ctr train, a CSV log with vocabularies) into its PyTorch twin and
compares the click probabilities with omomi's.

    /usr/bin/python3 conformance/ctr_twin.py RUN_DIR LOG.csv SCORED.csv [ROWS]

SCORED.csv is `omomi ctr predict RUN_DIR --input LOG.csv --output SCORED.csv`. The script builds the
model from model.json's "pytorch" and "pytorch_definitions", load_state_dicts model.safetensors,
encodes the first ROWS rows (default 5000) of LOG.csv the way preprocessing.json (omomi.ctr/1)
says — vocabulary ids with each field's out-of-vocabulary id, numbers standardized, missing as
"(missing)" or the mean — and prints the largest |probability difference| (omomi writes 6 decimals).
"""
import csv, json, os, sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_torch_load import load_safetensors

MISSING = {"", "na", "n/a", "nan", "null", "?"}


def main(run, log, scored, rows):
    spec = json.load(open(os.path.join(run, "model.json")))
    pre = json.load(open(os.path.join(run, "preprocessing.json")))
    assert pre["format"] == "omomi.ctr/1" and pre["ids"]["hash_buckets"] == 0, "a CSV run with vocabularies"
    scope = {"nn": nn, "torch": torch}
    exec(spec.get("pytorch_definitions", ""), scope)
    model = eval(spec["pytorch"], scope)
    model.load_state_dict(load_safetensors(os.path.join(run, "model.safetensors")), strict=True)
    model.eval()
    offsets, lookups, start = [], [], 0
    for c in pre["categorical"]:
        offsets.append(start)
        lookups.append({v: k for k, v in enumerate(c["vocabulary"])})
        start += len(c["vocabulary"]) + 1
    with open(log, newline="") as f:
        reader = csv.DictReader(f)
        ids, xs = [], []
        for i, r in enumerate(reader):
            if i == rows:
                break
            row = []
            for c, off, lookup in zip(pre["categorical"], offsets, lookups):
                v = r[c["name"]].strip()
                v = "(missing)" if v.lower() in MISSING else v
                row.append(off + lookup.get(v, len(c["vocabulary"])))
            ids.append(row)
            xs.append([0.0 if r[n["name"]].strip().lower() in MISSING else (float(r[n["name"]]) - n["mean"]) / n["std"]
                       for n in pre["numeric"]])
    inputs = [i["name"] for i in spec["inputs"]]
    args = {"ids": torch.tensor(ids, dtype=torch.long), "x": torch.tensor(xs, dtype=torch.float32)}
    with torch.no_grad():
        p = torch.sigmoid(model(*[args[n] for n in inputs])).reshape(-1)
    with open(scored, newline="") as f:
        omomi = [float(r["probability"]) for _, r in zip(range(len(ids)), csv.DictReader(f))]
    diff = (p - torch.tensor(omomi, dtype=torch.float32)).abs().max().item()
    print(json.dumps({"model": spec["name"], "rows": len(ids), "max_abs_probability_difference": diff, "torch": torch.__version__}))
    return 0 if diff < 2e-6 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 5000))
