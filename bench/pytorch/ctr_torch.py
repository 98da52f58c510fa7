# One epoch of DeepFM over a Criteo-layout TSV log streamed from disk: the PyTorch twin of omomi's
# CtrBenchmark (omomi-bench). 13 integer fields as sign(v)*log1p(|v|), standardized with the mean and
# std of a first pass; 26 categorical fields hashed ("Cf=value", missing as "(missing)") into 2^20
# shared ids; nn.Embedding(2^20, 1) first-order weights and nn.Embedding(2^20, 16) field vectors, both
# sparse=True under SparseAdam; a dense first-order layer on the numbers; the FM's pairwise term; the
# MLP 429-256-128-64-1 (ReLU) over the flattened vectors and the numbers under Adam; one bias. Adam
# 1e-3, batch 1024, rows shuffled within blocks of 2^18 in file order, as omomi does.
#
# Hashing: zlib.crc32 (C speed) instead of omomi's FNV-1a, which pure Python computes byte by byte
# about 30x slower; both are uniform hashes, so the model and the collisions are statistically alike.
#
#   OPENBLAS_CORETYPE=... LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
#     /usr/bin/python3 bench/pytorch/ctr_torch.py FILE.tsv THREADS [BATCH] [WORKERS]
#
# WORKERS = 0 parses in the training process; 1 parses blocks in a DataLoader worker process while
# the main process trains (the overlap PyTorch users reach for). Prints one JSON line.
import os, sys, time, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.environ.get("OMOMI_SHARED", os.path.join(HERE, "..", "..", "..", "shared")), "bench", "pytorch"))
from common import set_threads_env, emit, peak_rss_mib

PATH = sys.argv[1]
T = int(sys.argv[2]) if len(sys.argv) > 2 else 2
BATCH = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
WORKERS = int(sys.argv[4]) if len(sys.argv) > 4 else 0
set_threads_env(T)
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(T)
torch.manual_seed(0)
BUCKETS, DIM, BLOCK, INTS, CATS = 1 << 20, 16, 1 << 18, 13, 26
PREFIX = [b"C%d=" % (i + 1) for i in range(CATS)]
MISSING = b"(missing)"


def parse_block(lines):
    """Labels [n], log1p integers [n, 13] (NaN where missing), hashed ids [n, 26] of a list of lines."""
    n = len(lines)
    y = np.empty(n, np.float32)
    ints = np.empty((n, INTS), np.float64)
    ids = np.empty((n, CATS), np.int64)
    crc = zlib.crc32
    for r, line in enumerate(lines):
        p = line.rstrip(b"\r\n").split(b"\t")
        y[r] = 1.0 if p[0] == b"1" else 0.0
        ints[r] = [float(v) if v else np.nan for v in p[1:14]]
        ids[r] = [crc(PREFIX[f] + (p[14 + f] or MISSING)) & (BUCKETS - 1) for f in range(CATS)]
    return y, np.sign(ints) * np.log1p(np.abs(ints)), ids


def blocks(path):
    with open(path, "rb") as f:
        lines = []
        for line in f:
            if line.strip():
                lines.append(line)
            if len(lines) == BLOCK:
                yield parse_block(lines)
                lines = []
        if lines:
            yield parse_block(lines)


class Blocks(torch.utils.data.IterableDataset):
    def __iter__(self):
        return blocks(PATH)


class DeepFM(nn.Module):
    def __init__(self, numeric, hidden=(256, 128, 64)):
        super().__init__()
        self.linear = nn.Embedding(BUCKETS, 1, sparse=True)
        nn.init.zeros_(self.linear.weight)
        self.vectors = nn.Embedding(BUCKETS, DIM, sparse=True)
        nn.init.normal_(self.vectors.weight, 0.0, 0.01)
        self.dense = nn.Linear(numeric, 1, bias=False)
        layers, width = [], CATS * DIM + numeric
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        last = nn.Linear(width, 1, bias=False)
        nn.init.zeros_(last.weight)
        self.deep = nn.Sequential(*layers, last)
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, ids, x):
        v = self.vectors(ids)
        pairwise = 0.5 * (v.sum(1).pow(2) - v.pow(2).sum(1)).sum(1, keepdim=True)
        deep = self.deep(torch.cat([v.flatten(1), x], 1))
        return self.linear(ids).sum(1) + self.dense(x) + pairwise + deep + self.bias


def main():
    t0 = time.perf_counter()
    count = np.zeros(INTS); total = np.zeros(INTS); squares = np.zeros(INTS); rows = 0
    for y, ints, ids in blocks(PATH):  # the first pass: mean and std of each transformed integer
        present = ~np.isnan(ints)
        count += present.sum(0); total += np.where(present, ints, 0).sum(0); squares += np.where(present, ints * ints, 0).sum(0)
        rows += len(y)
    mean = total / np.maximum(count, 1)
    std = np.sqrt(np.maximum(squares / np.maximum(count, 1) - mean * mean, 0)); std[std == 0] = 1
    first_pass = time.perf_counter() - t0

    model = DeepFM(INTS)
    tables = [model.linear.weight, model.vectors.weight]
    sparse = torch.optim.SparseAdam(tables, lr=1e-3)
    dense = torch.optim.Adam([p for n, p in model.named_parameters() if n not in ("linear.weight", "vectors.weight")], lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    rng = np.random.default_rng(1)
    source = blocks(PATH) if WORKERS == 0 else torch.utils.data.DataLoader(Blocks(), batch_size=None, num_workers=WORKERS)
    train_s, loss_sum, seen = 0.0, 0.0, 0
    t1 = time.perf_counter()
    for y, ints, ids in source:
        y, ints, ids = np.asarray(y), np.asarray(ints), np.asarray(ids)
        x = np.nan_to_num((ints - mean) / std, nan=0.0).astype(np.float32)
        order = rng.permutation(len(y))
        for i in range(0, len(y), BATCH):
            idx = order[i:i + BATCH]
            s = time.perf_counter()
            sparse.zero_grad(); dense.zero_grad()
            out = model(torch.from_numpy(ids[idx]), torch.from_numpy(x[idx]))
            loss = loss_fn(out, torch.from_numpy(y[idx]).unsqueeze(1))
            loss.backward()
            sparse.step(); dense.step()
            train_s += time.perf_counter() - s
            loss_sum += loss.item() * len(idx); seen += len(idx)
    epoch = time.perf_counter() - t1
    del source  # the worker processes exit, so their peak resident set is known
    import resource
    emit(bench="ctr_deepfm", lib="torch", threads=T, workers=WORKERS, rows=seen, batch=BATCH, first_pass_s=first_pass, epoch_s=epoch,
         rows_per_s=seen / epoch, train_rows_per_s=seen / train_s, train_loss=loss_sum / seen, peak_rss_mib=peak_rss_mib(),
         worker_peak_rss_mib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, torch=torch.__version__,
         omp_wait_policy=os.environ.get("OMP_WAIT_POLICY", "unset"))


if __name__ == "__main__":
    main()
