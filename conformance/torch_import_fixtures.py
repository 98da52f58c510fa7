"""PyTorch-trained weights for omomi's import test: small random-init PyTorch models saved as
safetensors state dicts, with inputs and PyTorch's outputs.

    /usr/bin/python3 conformance/torch_import_fixtures.py

For each of omomi-onnx/src/test/resources/torch/{mlp,cnn,resnet8}/model.json (omomi model files;
their "pytorch" and "pytorch_definitions" fields give the PyTorch module), this builds that module
with PyTorch's own initialization from a fixed seed, gives batch norm non-trivial running
statistics and affine parameters (so evaluation mode is not the identity), and writes beside
model.json:

    model.safetensors   model.state_dict() as safetensors, with PyTorch's dtypes (float32
                        weights, int64 num_batches_tracked), written with the format's few lines
                        (Debian has no safetensors package; conformance/check_torch_load.py reads it)
    io.json             {"inputs": 7 rows of N(0, 1) values, "outputs": the model's outputs in
                        eval mode, "torch": the version}

TorchImportTest loads the state dict with `omomi import`'s code and compares omomi's predictions
with these outputs. Needs python3-torch (Debian's 1.13 made the committed files).
"""
import json
import os
import struct

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "omomi-onnx", "src", "test", "resources", "torch")
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def save_safetensors(tensors, path):
    """The safetensors layout: u64 little-endian header length, a JSON header, raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        data = t.numpy().tobytes() if t.dim() > 0 else t.reshape(1).numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the data starts 8-byte aligned, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def build(spec):
    scope = {"nn": nn, "torch": torch}
    if "pytorch_definitions" in spec:
        exec(spec["pytorch_definitions"], scope)
    return eval(spec["pytorch"], scope)


def main():
    for seed, name in enumerate(["mlp", "cnn", "resnet8"], start=1):
        folder = os.path.join(FIXTURES, name)
        spec = json.load(open(os.path.join(folder, "model.json")))
        torch.manual_seed(seed)
        model = build(spec)
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.normal_(0, 0.3)
                    m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 2.0)
                    m.bias.normal_(0, 0.3)
                    m.num_batches_tracked.fill_(12)
        model.eval()
        width = spec["inputs"][0]["shape"][0]
        x = torch.randn(7, width)
        with torch.no_grad():
            y = model(x)
        save_safetensors(model.state_dict(), os.path.join(folder, "model.safetensors"))
        with open(os.path.join(folder, "io.json"), "w") as f:
            json.dump({"torch": torch.__version__, "inputs": x.tolist(), "outputs": y.tolist()}, f)
            f.write("\n")
        print(name, sum(p.numel() for p in model.state_dict().values()), "values", list(y.shape))


if __name__ == "__main__":
    main()
