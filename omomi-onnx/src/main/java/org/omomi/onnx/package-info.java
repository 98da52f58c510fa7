/**
 * Models in and out of omomi: {@link org.omomi.onnx.OnnxExport} writes a saved model as an ONNX
 * file (opset 17) from its typed description and weights; {@link org.omomi.onnx.TorchImport}
 * reads a PyTorch state dict (safetensors) into a run folder. The ONNX messages are generated at
 * build time from {@code src/main/protobuf/omomi_onnx.proto}, which the project owns.
 */
package org.omomi.onnx;
