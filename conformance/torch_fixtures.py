"""Writes the PyTorch reference values omomi's conformance tests compare against.

Run with Debian's PyTorch (python3-torch), from the repository root:

    /usr/bin/python3 conformance/torch_fixtures.py

It writes small JSON files to omomi-core/src/test/resources/conformance/. They are committed; the
tests read only them and never need Python. Every input is generated here from fixed seeds, so a
rerun reproduces the files (up to PyTorch's version, which each file records).
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "omomi-core", "src", "test", "resources", "conformance")
torch.set_num_threads(1)


def arr(t):
    """A tensor as a nested list of Python floats (exact float32 values)."""
    return t.detach().to(torch.float32).tolist()


def flat(t):
    """Float32 values as Python floats, printed with 9 significant digits: enough to read back the
    same float32, and half the size of the full double repr."""
    return [float("%.9g" % v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def gen(seed, *shape, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*shape, generator=g) * scale).to(torch.float32)


def save(name, payload):
    payload = {"torch": torch.__version__, **payload}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------- layers and activations

# torchvision's BasicBlock with its names (conv1, bn1, conv2, bn2, downsample), as omomi's
# ModelSpec.PYTORCH_BLOCK writes it into model.json.
BLOCK = """
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1, residual=True):
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                           if residual and (stride != 1 or cin != cout) else None)
    def forward(self, x):
        h = torch.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        if self.residual:
            h = h + (self.downsample(x) if self.downsample is not None else x)
        return torch.relu(h)
"""

def layers():
    cases = []

    def case(name, module_fn, x, params=None, extra=None):
        x = x.clone().requires_grad_(True)
        y = module_fn(x)
        g = gen(1000 + len(cases), *y.shape)
        grads = torch.autograd.grad(y, [x] + (list(params.values()) if params else []), g)
        c = {"name": name, "x": flat(x), "x_shape": list(x.shape), "y": flat(y), "y_shape": list(y.shape),
             "g": flat(g), "dx": flat(grads[0])}
        if params:
            c["params"] = {k: {"value": flat(v), "shape": list(v.shape), "grad": flat(gr)}
                           for (k, v), gr in zip(params.items(), grads[1:])}
        if extra:
            c.update(extra)
        cases.append(c)

    lin = nn.Linear(3, 5)
    with torch.no_grad():
        lin.weight.copy_(gen(1, 5, 3))
        lin.bias.copy_(gen(2, 5))
    case("dense", lin, gen(3, 4, 3), {"weight": lin.weight, "bias": lin.bias})

    wide = torch.tensor([[-30.0, -5.0, -1.0, -0.5, 0.0, 0.5, 1.0, 5.0, 30.0, 1e4, -1e4, 2.5]])
    acts = [
        ("sigmoid", nn.Sigmoid(), {}), ("tanh", nn.Tanh(), {}), ("relu", nn.ReLU(), {}),
        ("leaky_relu", nn.LeakyReLU(0.1), {"slope": 0.1}), ("elu", nn.ELU(1.0), {"alpha": 1.0}),
        ("gelu", nn.GELU(), {}), ("softplus", nn.Softplus(1.0, 20.0), {"beta": 1.0, "threshold": 20.0}),
        ("softplus_b2_t3", nn.Softplus(2.0, 3.0), {"beta": 2.0, "threshold": 3.0}),
    ]
    for name, m, extra in acts:
        case(name, m, torch.cat([wide, gen(4, 2, 12)]), extra=extra)
    case("softmax", nn.Softmax(dim=1), gen(5, 3, 4) * 3, extra={"axis": 1})
    case("log_softmax", nn.LogSoftmax(dim=1), torch.tensor([[1e4, -1e4, 0.0, 3.0], [1.0, 2.0, 3.0, 4.0]]), extra={"axis": 1})

    # Convolution, pooling, normalization, the residual block: forward, input and parameter gradients.
    def named_params(m):
        return {k: v for k, v in m.named_parameters()}

    def set_params(m, seed):
        with torch.no_grad():
            for i, (k, v) in enumerate(m.named_parameters()):
                v.copy_(gen(seed + i, *v.shape) * (0.3 if v.dim() > 1 else 1.0) + (1.0 if k.endswith("bn1.weight") or k.endswith("bn2.weight") else 0.0))

    conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)
    set_params(conv, 40)
    case("conv2d", conv, gen(41, 2, 3, 7, 6), named_params(conv), {"in": 3, "out": 4, "kernel": 3, "stride": 2, "padding": 1, "dilation": 1, "groups": 1})
    conv = nn.Conv2d(4, 6, 3, stride=1, padding=2, dilation=2, groups=2, bias=False)
    set_params(conv, 42)
    case("conv2d", conv, gen(43, 2, 4, 6, 5), named_params(conv), {"in": 4, "out": 6, "kernel": 3, "stride": 1, "padding": 2, "dilation": 2, "groups": 2})
    case("maxpool2d", nn.MaxPool2d(2), gen(44, 2, 3, 6, 5), extra={"kernel": 2, "stride": 2})
    case("avgpool2d", nn.AvgPool2d(3, stride=2, padding=1), gen(45, 2, 2, 7, 6), extra={"kernel": 3, "stride": 2, "padding": 1})
    case("adaptive_avgpool2d", nn.AdaptiveAvgPool2d(3), gen(46, 2, 2, 7, 5), extra={"size": 3})
    for name, bn, x in (("batchnorm2d", nn.BatchNorm2d(3), gen(47, 4, 3, 5, 4)), ("batchnorm1d", nn.BatchNorm1d(5), gen(48, 6, 5))):
        set_params(bn, 49)
        with torch.no_grad():
            bn.weight.add_(1.0)
        bn.train()
        case(name, bn, x * 2 + 0.5, named_params(bn), {"features": x.shape[1], "mode": "train"})
        cases[-1]["buffers_after"] = {k: flat(v) for k, v in bn.named_buffers()}
        with torch.no_grad():
            bn.running_mean.copy_(gen(50, x.shape[1]))
            bn.running_var.copy_(gen(51, x.shape[1]).abs() + 0.5)
        bn.eval()
        buffers = {k: flat(v) for k, v in bn.named_buffers()}
        case(name, bn, x, named_params(bn), {"features": x.shape[1], "mode": "eval", "buffers": buffers})
    ln = nn.LayerNorm([4, 5])
    set_params(ln, 52)
    case("layernorm", ln, gen(53, 3, 4, 5), named_params(ln), {"shape": [4, 5]})

    exec(BLOCK, globals())
    block = BasicBlock(3, 6, stride=2)
    set_params(block, 60)
    block.train()
    case("basic_block", block, gen(61, 4, 3, 8, 7), named_params(block), {"in": 3, "out": 6, "stride": 2,
         "keys": list(block.state_dict().keys())})
    cases[-1]["buffers_after"] = {k: flat(v) for k, v in block.named_buffers()}

    emb = nn.Embedding(6, 3)
    with torch.no_grad():
        emb.weight.copy_(gen(6, 6, 3))
    idx = torch.tensor([[1, 5, 1], [0, 2, 4]])
    y = emb(idx)
    g = gen(7, *y.shape)
    (dw,) = torch.autograd.grad(y, [emb.weight], g)
    embedding = {"weight": flat(emb.weight), "indices": flat(idx.float()), "indices_shape": [2, 3],
                 "y": flat(y), "y_shape": list(y.shape), "g": flat(g), "dweight": flat(dw)}

    seq = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Dropout(0.5), nn.Linear(2, 1))
    save("layers.json", {"cases": cases, "embedding": embedding,
                         "sequential_keys": list(seq.state_dict().keys()),
                         "sequential_parameter_count": sum(p.numel() for p in seq.parameters())})


# ---------------------------------------------------------------- losses

def losses():
    cases = []

    def case(name, fn, inp, target, options, reduction):
        x = inp.clone().requires_grad_(True)
        loss = fn(x, target, reduction)
        g = torch.ones_like(loss) if reduction != "none" else gen(2000 + len(cases), *loss.shape)
        (dx,) = torch.autograd.grad(loss, [x], g)
        cases.append({"name": name, "reduction": reduction, "options": options,
                      "input": flat(inp), "input_shape": list(inp.shape),
                      "target": flat(target), "target_shape": list(target.shape),
                      "loss": flat(loss), "loss_shape": list(loss.shape), "g": flat(g), "dinput": flat(dx)})

    p, t = gen(10, 4, 3), gen(11, 4, 3)
    for r in ("mean", "sum", "none"):
        case("mse", lambda x, y, r: F.mse_loss(x, y, reduction=r), p, t, {}, r)
        case("l1", lambda x, y, r: F.l1_loss(x, y, reduction=r), p, t, {}, r)
        case("huber", lambda x, y, r: F.huber_loss(x, y, reduction=r, delta=1.0), p * 2, t, {"delta": 1.0}, r)
        case("huber", lambda x, y, r: F.huber_loss(x, y, reduction=r, delta=0.5), p, t, {"delta": 0.5}, r)

    probs = torch.tensor([[0.0, 1.0, 1e-9, 0.5], [0.3, 0.7, 0.999999, 0.2]])
    targets = torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 1.0, 0.25]])
    w = torch.tensor([1.0, 2.0, 0.5, 1.5])
    for r in ("mean", "sum", "none"):
        case("bce", lambda x, y, r: F.binary_cross_entropy(x, y, reduction=r), probs, targets, {}, r)
        case("bce", lambda x, y, r: F.binary_cross_entropy(x, y, weight=w, reduction=r), probs, targets,
             {"weight": flat(w)}, r)

    logits = torch.tensor([[1e4, -1e4, 0.0, 2.0], [-3.0, 0.5, 1e4, -1e4]])
    pos = torch.tensor([1.0, 3.0, 0.5, 2.0])
    for r in ("mean", "sum", "none"):
        case("bce_logits", lambda x, y, r: F.binary_cross_entropy_with_logits(x, y, reduction=r), logits, targets, {}, r)
        case("bce_logits", lambda x, y, r: F.binary_cross_entropy_with_logits(x, y, pos_weight=pos, reduction=r),
             logits, targets, {"pos_weight": flat(pos)}, r)

    ce_logits = torch.cat([gen(12, 3, 5) * 2, torch.tensor([[1e4, -1e4, 0.0, 5.0, -5.0]])])
    labels = torch.tensor([2, 0, 4, 1])
    cw = torch.tensor([1.0, 2.0, 0.5, 1.5, 3.0])
    soft = F.softmax(gen(13, 4, 5), dim=1)
    for r in ("mean", "sum", "none"):
        for opts in ({}, {"weight": cw}, {"label_smoothing": 0.1}, {"weight": cw, "label_smoothing": 0.2}):
            jopts = {k: (flat(v) if torch.is_tensor(v) else v) for k, v in opts.items()}
            case("cross_entropy", lambda x, y, r, o=opts: F.cross_entropy(x, y, reduction=r, **o),
                 ce_logits, labels.float(), jopts, r)
            case("cross_entropy", lambda x, y, r, o=opts: F.cross_entropy(x, y, reduction=r, **o),
                 ce_logits, soft, jopts, r)
        logp = F.log_softmax(gen(14, 4, 5), dim=1)
        case("nll", lambda x, y, r: F.nll_loss(x, y.long(), reduction=r), logp, labels.float(), {}, r)
        case("nll", lambda x, y, r: F.nll_loss(x, y.long(), weight=cw, reduction=r), logp, labels.float(),
             {"weight": flat(cw)}, r)
    save("losses.json", {"cases": cases})


def cross_entropy_fix():
    """F.cross_entropy takes int64 class indices; wrap so the float labels above work."""
    orig = F.cross_entropy

    def ce(x, y, **kw):
        if y.dim() == 1:
            y = y.long()
        return orig(x, y, **kw)

    F.cross_entropy = ce


# ---------------------------------------------------------------- initializers

def initializers():
    torch.manual_seed(0)
    shape = [256, 512]
    w = torch.empty(*shape)
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(w)
    conv = torch.empty(16, 8, 3, 3)
    conv_in, conv_out = nn.init._calculate_fan_in_and_fan_out(conv)
    cases = []

    def stats(name, fn, params, bound=None, std=None):
        t = torch.empty(*shape)
        fn(t)
        cases.append({"name": name, "params": params, "shape": shape, "std": float(t.std()),
                      "mean": float(t.mean()), "min": float(t.min()), "max": float(t.max()),
                      "expected_bound": bound, "expected_std": std})

    for nl, param in (("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", 0.2)):
        gain = nn.init.calculate_gain(nl, param)
        cases_gain = {"nonlinearity": nl, "param": param, "gain": gain}
        cases.append({"name": "gain", **cases_gain})
    g = nn.init.calculate_gain("tanh")
    stats("xavier_uniform", lambda t: nn.init.xavier_uniform_(t, gain=g), {"gain": g},
          bound=g * math.sqrt(6.0 / (fan_in + fan_out)))
    stats("xavier_normal", lambda t: nn.init.xavier_normal_(t, gain=g), {"gain": g},
          std=g * math.sqrt(2.0 / (fan_in + fan_out)))
    stats("kaiming_uniform", lambda t: nn.init.kaiming_uniform_(t, mode="fan_in", nonlinearity="relu"),
          {"mode": "fan_in", "nonlinearity": "relu"}, bound=math.sqrt(2.0) * math.sqrt(3.0 / fan_in))
    stats("kaiming_normal", lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
          {"mode": "fan_out", "nonlinearity": "relu"}, std=math.sqrt(2.0) / math.sqrt(fan_out))
    ga = nn.init.calculate_gain("leaky_relu", 0.2)
    stats("kaiming_normal_leaky", lambda t: nn.init.kaiming_normal_(t, a=0.2, mode="fan_in", nonlinearity="leaky_relu"),
          {"mode": "fan_in", "a": 0.2}, std=ga / math.sqrt(fan_in))
    stats("linear_default", lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)), {}, bound=1 / math.sqrt(fan_in))
    stats("trunc_normal", lambda t: nn.init.trunc_normal_(t, mean=0.1, std=0.5, a=-0.5, b=1.0),
          {"mean": 0.1, "std": 0.5, "a": -0.5, "b": 1.0})
    stats("orthogonal", lambda t: nn.init.orthogonal_(t, gain=2.0), {"gain": 2.0}, std=2.0 / math.sqrt(512))
    save("init.json", {"fan_in": fan_in, "fan_out": fan_out, "shape": shape,
                       "conv_shape": list(conv.shape), "conv_fan_in": conv_in, "conv_fan_out": conv_out,
                       "cases": cases})


# ---------------------------------------------------------------- optimizers

STEPS = 100
RECORD = list(range(1, 11)) + list(range(15, STEPS + 1, 5))


def optimizers():
    p0 = gen(20, 8)
    target = gen(21, 8)
    scale = torch.tensor([0.1, 0.5, 1.0, 2.0, 4.0, 0.05, 3.0, 1.5])
    configs = [
        ("sgd", {"lr": 0.1}),
        ("sgd", {"lr": 0.1, "weight_decay": 0.05}),
        ("sgd", {"lr": 0.05, "momentum": 0.9}),
        ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1}),
        ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
        ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1, "nesterov": True}),
        ("adam", {"lr": 0.05}),
        ("adam", {"lr": 0.05, "weight_decay": 0.1}),
        ("adam", {"lr": 0.05, "amsgrad": True}),
        ("adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
        ("adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6}),
        ("adam", {"lr": 0.05, "eps": 1e-3}),
        ("adamw", {"lr": 0.05}),
        ("adamw", {"lr": 0.05, "weight_decay": 0.1}),
        ("adamw", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
        ("rmsprop", {"lr": 0.01}),
        ("rmsprop", {"lr": 0.01, "weight_decay": 0.1}),
        ("rmsprop", {"lr": 0.005, "momentum": 0.9}),
        ("rmsprop", {"lr": 0.01, "centered": True}),
        ("rmsprop", {"lr": 0.005, "centered": True, "momentum": 0.5, "alpha": 0.9}),
        ("adagrad", {"lr": 0.1}),
        ("adagrad", {"lr": 0.1, "lr_decay": 0.01}),
        ("adagrad", {"lr": 0.1, "weight_decay": 0.1, "initial_accumulator_value": 0.1}),
    ]
    kinds = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
             "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}
    out = []
    for kind, opts in configs:
        p = p0.clone().requires_grad_(True)
        kw = dict(opts)
        if "betas" in kw:
            kw["betas"] = tuple(kw["betas"])
        opt = kinds[kind]([p], **kw)
        traj = []
        for step in range(1, STEPS + 1):
            with torch.no_grad():
                # The gradient of Σ scale·(p − target)², written as the float32 ops omomi repeats.
                p.grad = (p.detach() - target) * 2.0 * scale
            opt.step()
            if step in RECORD:
                traj.append(flat(p))
        out.append({"kind": kind, "options": opts, "trajectory": traj})

    # Parameter groups: weight decay on the first four values only.
    a = p0[:4].clone().requires_grad_(True)
    b = p0[4:].clone().requires_grad_(True)
    opt = torch.optim.AdamW([{"params": [a]}, {"params": [b], "weight_decay": 0.0}], lr=0.05, weight_decay=0.5)
    traj = []
    for step in range(1, STEPS + 1):
        with torch.no_grad():
            a.grad = (a.detach() - target[:4]) * 2.0 * scale[:4]
            b.grad = (b.detach() - target[4:]) * 2.0 * scale[4:]
        opt.step()
        if step in RECORD:
            traj.append(flat(torch.cat([a, b])))
    groups = {"kind": "adamw_groups", "options": {"lr": 0.05, "weight_decay": 0.5}, "trajectory": traj}
    save("optimizers.json", {"p0": flat(p0), "target": flat(target), "scale": flat(scale),
                             "record_steps": RECORD, "configs": out, "groups": groups})


# ---------------------------------------------------------------- schedules and clipping

def schedules():
    epochs = 30

    def run(make, opt_kind="sgd", metrics=None):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9) if opt_kind == "sgd" else torch.optim.Adam([p], lr=0.1)
        sched = make(opt)
        lrs, moms = [], []
        for e in range(epochs):
            lrs.append(opt.param_groups[0]["lr"])
            g = opt.param_groups[0]
            moms.append(g["momentum"] if "momentum" in g else g["betas"][0])
            opt.step()
            if metrics is None:
                sched.step()
            else:
                sched.step(metrics[e])
        return lrs, moms

    out = {}
    out["step"] = {"params": {"step_size": 7, "gamma": 0.5},
                   "lr": run(lambda o: torch.optim.lr_scheduler.StepLR(o, 7, 0.5))[0]}
    out["exponential"] = {"params": {"gamma": 0.9},
                          "lr": run(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9))[0]}
    w, total, min_lr, start = 5, 25, 0.001, 0.1

    def cosine(t, base=0.1):
        if t < w:
            return start + (1 - start) * t / w
        if t >= total:
            return min_lr / base
        prog = (t - w) / (total - w)
        return (min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * prog))) / base

    out["cosine_warmup"] = {"params": {"warmup": w, "total": total, "min_lr": min_lr, "start_factor": start},
                            "lr": run(lambda o: torch.optim.lr_scheduler.LambdaLR(o, cosine))[0]}
    lrs, moms = run(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=epochs))
    out["one_cycle_sgd"] = {"params": {"max_lr": 0.5, "total_steps": epochs}, "lr": lrs, "momentum": moms}
    lrs, moms = run(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=epochs), "adam")
    out["one_cycle_adam"] = {"params": {"max_lr": 0.5, "total_steps": epochs}, "lr": lrs, "momentum": moms}
    metrics = [1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.79995, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6,
               0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    out["plateau"] = {"params": {"factor": 0.5, "patience": 2, "threshold": 1e-4, "cooldown": 1, "min_lr": 0.01},
                      "metrics": metrics,
                      "lr": run(lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(
                          o, factor=0.5, patience=2, threshold=1e-4, cooldown=1, min_lr=0.01), metrics=metrics)[0]}

    a = gen(30, 3, 4, scale=2.0)
    b = gen(31, 5, scale=2.0)
    pa = torch.zeros(3, 4, requires_grad=True)
    pb = torch.zeros(5, requires_grad=True)
    pa.grad, pb.grad = a.clone(), b.clone()
    norm = torch.nn.utils.clip_grad_norm_([pa, pb], max_norm=1.0)
    clip = {"grads": [flat(a), flat(b)], "max_norm": 1.0, "total_norm": float(norm),
            "clipped": [flat(pa.grad), flat(pb.grad)]}
    pa.grad, pb.grad = a.clone(), b.clone()
    torch.nn.utils.clip_grad_value_([pa, pb], clip_value=0.5)
    clip["value"] = 0.5
    clip["value_clipped"] = [flat(pa.grad), flat(pb.grad)]
    save("schedules.json", {"epochs": epochs, "schedules": out, "clip": clip})


if __name__ == "__main__":
    cross_entropy_fix()
    layers()
    losses()
    initializers()
    optimizers()
    schedules()
    print("wrote", sorted(os.listdir(OUT)))
