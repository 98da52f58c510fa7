package org.omomi.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.data.Preprocessing;
import org.omomi.io.Provenance;
import org.omomi.io.SavedModel;
import org.omomi.io.Safetensors;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.ModelSpec;
import org.omomi.nn.Module;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.train.Head;

/**
 * PyTorch weights into omomi: a state dict saved as safetensors (e.g.
 * {@code safetensors.torch.save_file(model.state_dict(), path)}) loaded into the omomi model a
 * {@link ModelSpec} describes. omomi's layers use PyTorch's parameter names and layouts (Linear's
 * weight [out, in], Conv2d's [out, in, k, k], BatchNorm's running statistics), so the spec's
 * PyTorch twin ({@link ModelSpec#pytorch()}) has exactly the keys the omomi model has and keys map
 * one to one, by name, with their shapes checked.
 *
 * <p>Every key is reported ({@link ImportReport}): where it went, or that it is missing,
 * unexpected or mis-shaped. A missing {@code num_batches_tracked} is left at 0, as PyTorch's own
 * {@code load_state_dict} does for checkpoints older than the counter. A prefix that every key of
 * the file carries and the model's keys do not — {@code module.} (DataParallel),
 * {@code _orig_mod.} (torch.compile) — is taken off first. Tensors of other dtypes (F16, BF16,
 * F64, I64) become float32.
 */
public final class TorchImport {

    /** The prefixes wrappers add to every key of a PyTorch module's state dict. */
    private static final List<String> WRAPPER_PREFIXES = List.of("module.", "_orig_mod.");

    /** The buffers a file may lack: batch norm's update counter, which omomi does not read when it predicts. */
    private static final String COUNTER = "num_batches_tracked";

    private TorchImport() {}

    /** What was loaded, and the run folder's content when the load succeeded (null otherwise). */
    public record Imported(ImportReport report, SavedModel model) {}

    /** Compares the tensors of a state-dict file with the model of {@code spec}, key by key, loading nothing. */
    public static ImportReport check(Path file, ModelSpec spec) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        return compare(file.toString(), contents, spec, build(file, contents, spec));
    }

    /**
     * The model of {@code spec}, built only once the file holds at least as many values as the
     * description's weights need: a description claiming a billion-parameter layer is refused
     * rather than allocated.
     */
    private static Module build(Path file, Safetensors.Contents contents, ModelSpec spec) {
        long held = 0;
        for (Tensor t : contents.tensors().values()) {
            held += t.numel();
        }
        long needed = spec.leastParameters();
        if (needed > held) {
            throw new IllegalArgumentException(file + ": holds " + held + " values, but the model description needs at least " + needed
                    + " parameters");
        }
        try {
            return spec.build(new Rng(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the model description cannot be built (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Loads a state-dict file into the model of {@code spec}. When the report is not
     * {@linkplain ImportReport#ok() ok} nothing is loaded and {@link Imported#model()} is null.
     * {@code head}, {@code classes} and {@code preprocessing} (which may be null) complete the
     * saved model, as a training run would have.
     */
    public static Imported load(Path file, ModelSpec spec, Head head, List<String> classes, Preprocessing preprocessing)
            throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Module model = build(file, contents, spec);
        ImportReport report = compare(file.toString(), contents, spec, model);
        if (!report.ok()) {
            return new Imported(report, null);
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        Map<String, Tensor> byName = strip(contents.tensors(), report.prefix());
        model.stateDict().forEach((k, v) -> state.put(k, byName.getOrDefault(k, v)));
        model.loadStateDict(state);
        model.eval();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("imported_from", file.toAbsolutePath().toString());
        options.put("format", "PyTorch state dict (safetensors)");
        Provenance provenance = Provenance.now(0, List.of(file), options);
        return new Imported(report, SavedModel.of(spec, model, head, classes, preprocessing, provenance));
    }

    /** The report of a file's tensors against a freshly built model of {@code spec}. */
    static ImportReport compare(String source, Safetensors.Contents contents, ModelSpec spec, Module model) {
        Map<String, Tensor> mine = model.stateDict();
        String prefix = wrapperPrefix(contents.tensors().keySet(), mine.keySet());
        Map<String, Tensor> theirs = strip(contents.tensors(), prefix);
        Map<String, String> dtypes = new LinkedHashMap<>();
        contents.dtypes().forEach((k, v) -> dtypes.put(k.substring(prefix.length()), v));
        Map<String, Module> modules = model.namedModules();
        List<ImportReport.Key> keys = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            String k = e.getKey();
            Tensor t = theirs.get(k);
            int[] need = e.getValue().shape();
            String layer = layer(spec, modules, k);
            if (t == null) {
                ImportReport.Status s = k.endsWith("." + COUNTER) || k.equals(COUNTER) ? ImportReport.Status.DEFAULTED : ImportReport.Status.MISSING;
                keys.add(new ImportReport.Key(k, s, "", null, need, layer));
            } else {
                ImportReport.Status s = Arrays.equals(t.shape(), need) ? ImportReport.Status.LOADED : ImportReport.Status.MISSHAPED;
                keys.add(new ImportReport.Key(k, s, dtypes.getOrDefault(k, "F32"), t.shape(), need, layer));
            }
        }
        for (Map.Entry<String, Tensor> e : theirs.entrySet()) {
            if (!mine.containsKey(e.getKey())) {
                keys.add(new ImportReport.Key(e.getKey(), ImportReport.Status.UNEXPECTED, dtypes.getOrDefault(e.getKey(), "F32"),
                        e.getValue().shape(), null, ""));
            }
        }
        return new ImportReport(source, prefix, keys);
    }

    /** A wrapper prefix every key of the file has and no key of the model has, or "". */
    private static String wrapperPrefix(Iterable<String> theirs, java.util.Set<String> mine) {
        for (String p : WRAPPER_PREFIXES) {
            boolean all = theirs.iterator().hasNext();
            for (String k : theirs) {
                all &= k.startsWith(p);
            }
            if (all && mine.stream().noneMatch(k -> k.startsWith(p))) {
                return p;
            }
        }
        return "";
    }

    private static Map<String, Tensor> strip(Map<String, Tensor> tensors, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(k.substring(prefix.length()), v));
        return out;
    }

    /**
     * The omomi layer a key belongs to, in words: {@code layer 0 (dense): Dense(784 → 512)},
     * {@code node 'user_vec' (embedding): Embedding(1000, 16)},
     * {@code layer 6 (basic_block) › bn1: BatchNorm2d(8)}.
     */
    static String layer(ModelSpec spec, Map<String, Module> modules, String key) {
        int dot = key.lastIndexOf('.');
        String path = dot < 0 ? "" : key.substring(0, dot);
        if (path.isEmpty()) {
            return "the model";
        }
        String[] parts = path.split("\\.", 2);
        StringBuilder sb = new StringBuilder();
        LayerSpec top = topLayer(spec, parts[0]);
        sb.append(spec.isSequential() ? "layer " + parts[0] : "node '" + parts[0] + "'");
        if (top != null) {
            sb.append(" (").append(top.type()).append(')');
        }
        if (parts.length > 1) {
            sb.append(" › ").append(parts[1]);
        }
        Module m = modules.get(path);
        if (m != null && m.children().isEmpty()) {
            sb.append(": ").append(m);
        }
        return sb.toString();
    }

    private static LayerSpec topLayer(ModelSpec spec, String name) {
        if (spec.isSequential()) {
            try {
                int i = Integer.parseInt(name);
                return i >= 0 && i < spec.layers().size() ? spec.layers().get(i) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return spec.nodes().stream().filter(n -> n.name().equals(name)).map(ModelSpec.NodeSpec::layer).findFirst().orElse(null);
    }
}
