"""Checks exported ONNX files with the onnx package's own checker (Debian's python3-onnx).

    /usr/bin/python3 conformance/check_onnx.py MODEL.onnx [MORE.onnx ...]

For each file: onnx.checker.check_model with full_check (the structure, every node against its
operator schema at the file's opset, and strict shape inference), then the opset, the IR version,
and the inputs and outputs with their shapes as shape inference sees them. Exits non-zero on the
first file that fails. omomi's tests need no Python: they run every exported model in ONNX Runtime
(omomi-onnx's OnnxParityTest); this script is the second opinion docs/onnx.md reports.
"""
import sys

import onnx


def dims(value):
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def main(files):
    for path in files:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        print(f"{path}: ok (onnx {onnx.__version__}, opset {model.opset_import[0].version}, IR {model.ir_version}, "
              f"{len(model.graph.node)} nodes)")
        for v in inferred.graph.input:
            print(f"  input  {v.name} {dims(v)}")
        for v in inferred.graph.output:
            print(f"  output {v.name} {dims(v)}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
