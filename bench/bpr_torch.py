# BPR, one epoch over every training interaction of a generated data set, as omomi's
# RecommendBenchmark trains it: user and item tables of DIM factors plus an item bias, all
# nn.Embedding(sparse=True); score s = <p_u, q_i> + b_i; loss mean softplus(s- - s+) (= -log sigmoid(s+ - s-))
# + l2 * sum of squared looked-up rows / batch; torch.optim.SparseAdam lr 0.01; batch 1024; one negative
# per positive, uniform over the items the user does not have (rejection, up to 64 draws), drawn inside
# the timed loop. Reads the CSV that `omomi recommend generate` wrote (user,item,rating,timestamp).
# Prints one JSON line (common.emit): samples/s of the median epoch, loss, kernel.
#
#   OPENBLAS_CORETYPE=Haswell LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
#     /usr/bin/python3 bench/bpr_torch.py FILE.csv THREADS EPOCHS [DIM] [BATCH]
import os, statistics, sys, time
sys.path.insert(0, os.environ.get("OMOMI_SHARED_BENCH", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench", "pytorch")))
from common import set_threads_env, emit, peak_rss_mib

path = sys.argv[1]
T = int(sys.argv[2]) if len(sys.argv) > 2 else 2
EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
DIM = int(sys.argv[4]) if len(sys.argv) > 4 else 64
BATCH = int(sys.argv[5]) if len(sys.argv) > 5 else 1024
LR, L2, STD = 0.01, 1e-4, 0.1
set_threads_env(T)
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(T)
torch.manual_seed(0)

raw = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1), dtype=np.int64)
users_raw, items_raw = raw[:, 0], raw[:, 1]
uid, user = np.unique(users_raw, return_inverse=True)   # ids sorted numerically, as omomi indexes them
iid, item = np.unique(items_raw, return_inverse=True)
U, I, N = len(uid), len(iid), len(user)
keys = np.unique(user * I + item)                        # (user, item) pairs the users have, sorted

class BPR(nn.Module):
    def __init__(self):
        super().__init__()
        self.user_vec = nn.Embedding(U, DIM, sparse=True)
        self.item_vec = nn.Embedding(I, DIM, sparse=True)
        self.item_bias = nn.Embedding(I, 1, sparse=True)
        nn.init.normal_(self.user_vec.weight, 0, STD)
        nn.init.normal_(self.item_vec.weight, 0, STD)
        nn.init.zeros_(self.item_bias.weight)

    def forward(self, u, i):                            # u [B, 1], i [B, 2] = (positive, negative)
        p, q, b = self.user_vec(u), self.item_vec(i), self.item_bias(i)
        s = ((p * q).sum(-1, keepdim=True) + b).flatten(1)
        return s, p, q, b

model = BPR()
opt = torch.optim.SparseAdam(list(model.parameters()), lr=LR)
rng = np.random.default_rng(1)
user_t, item_t = torch.from_numpy(user), torch.from_numpy(item)

def negatives(u):
    j = rng.integers(0, I, len(u))
    for _ in range(63):                                 # redraw items the user has
        k = u * I + j
        pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        bad = keys[pos] == k
        if not bad.any():
            break
        j[bad] = rng.integers(0, I, int(bad.sum()))
    return j

times, losses = [], []
for ep in range(EPOCHS):
    perm = torch.from_numpy(rng.permutation(N))
    t0 = time.perf_counter()
    total = 0.0
    for s in range(0, N, BATCH):
        idx = perm[s:s + BATCH]
        u = user_t[idx]
        neg = torch.from_numpy(negatives(u.numpy()))
        i = torch.stack([item_t[idx], neg], 1)
        opt.zero_grad()
        scores, p, q, b = model(u.unsqueeze(1), i)
        loss = F.softplus(scores[:, 1:] - scores[:, :1]).mean() \
            + L2 * (p.pow(2).sum() + q.pow(2).sum() + b.pow(2).sum()) / len(idx)
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    times.append(time.perf_counter() - t0)
    losses.append(total / N)
med = statistics.median(times)
emit(bench="bpr", lib="torch", threads=T, users=U, items=I, interactions=N, dim=DIM, batch=BATCH,
     samples_per_s=N / med, epoch_s_median=med, epoch_s_min=min(times), epoch_s_max=max(times),
     loss_first=losses[0], loss_last=losses[-1], epochs=EPOCHS, peak_rss_mib=peak_rss_mib())
