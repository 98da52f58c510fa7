# The PyTorch peer of omomi's prediction server (issue 17's load test): the same run folder's
# weights (model.safetensors, PyTorch's names) in the nn.Sequential that model.json's "pytorch"
# field describes, behind Python's ThreadingHTTPServer, answering the same request and answer forms
# as POST /api/runs/RUN/predict ({"rows": [[784 pixels in [0, 1]]]} → class, label, probabilities).
# usage: serve_torch.py RUN_DIR PORT [TORCH_THREADS]   (prints one JSON line with its BLAS, then serves)
import json, os, struct, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.environ.get("OMOMI_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared")), "bench", "pytorch"))
from common import set_threads_env, openblas_corename, blas_loaded  # noqa: E402

run, port = sys.argv[1], int(sys.argv[2])
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
set_threads_env(threads)  # the best OpenBLAS kernel for this CPU (BENCHMARKS-SPEC.md), before torch loads
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.set_num_threads(threads)
name = os.path.basename(os.path.normpath(run))


def safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        assert v["dtype"] == "F32", v
        out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").copy().reshape(v["shape"]))
    return out


spec = json.load(open(os.path.join(run, "model.json")))
layers = []
for l in spec["layers"]:
    if l["type"] == "dense":
        layers.append(nn.Linear(l["in"], l["out"], bias=l.get("bias", True)))
    elif l["type"] == "relu":
        layers.append(nn.ReLU())
    else:
        raise SystemExit(f"serve_torch.py serves dense/relu stacks; model.json has {l['type']}")
model = nn.Sequential(*layers)
model.load_state_dict(safetensors(os.path.join(run, "model.safetensors")))
model.eval()
pre = json.load(open(os.path.join(run, "preprocessing.json")))
mean, std = float(pre["mean"]), float(pre["std"])
classes = spec["head"]["classes"]
route = f"/api/runs/{name}/predict"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the load generator expects

    def do_POST(self):
        if self.path.split("?")[0] != route:
            return self.answer(404, {"error": "no run"})
        try:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            x = torch.tensor(body["rows"], dtype=torch.float32)
            if x.dim() != 2 or x.shape[1] != 784:
                return self.answer(400, {"error": "rows must be lists of 784 pixel values"})
        except (ValueError, KeyError, TypeError) as e:
            return self.answer(400, {"error": str(e)})
        with torch.no_grad():
            p = torch.softmax(model((x - mean) / std), dim=1)
        k = p.argmax(1).tolist()
        rows = p.tolist()
        self.answer(200, {"classes": classes, "predictions": [{"label": classes[c], "class": c, "probabilities": r} for c, r in zip(k, rows)]})

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


corename, ok = openblas_corename()
print(json.dumps({"server": "torch", "torch": torch.__version__, "threads": threads, "blas": blas_loaded(), "openblas_corename": corename,
                  "gemm_ok": ok, "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset")}), flush=True)
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.request_queue_size = 128
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
