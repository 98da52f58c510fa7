package org.omomi.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What loading a PyTorch state dict into an omomi model found, key by key: each tensor of the file
 * and the omomi layer it went to, and what did not fit. The load succeeds when nothing is missing,
 * unexpected or mis-shaped ({@link #ok()}).
 *
 * @param source the state-dict file
 * @param prefix a prefix taken off every key ({@code module.} of DataParallel, {@code _orig_mod.}
 *               of torch.compile), or empty
 * @param keys   one entry per key of the file and per key of the model the file lacks, in the
 *               model's state-dict order, then the unexpected ones in the file's order
 */
public record ImportReport(String source, String prefix, List<Key> keys) {

    /** What happened to one key. */
    public enum Status {
        /** Copied into the model. */
        LOADED,
        /** Absent from the file and left at its initial value, as PyTorch does (batch norm's num_batches_tracked). */
        DEFAULTED,
        /** The model has it, the file does not. */
        MISSING,
        /** The file has it, the model does not. */
        UNEXPECTED,
        /** Both have it, with different shapes. */
        MISSHAPED
    }

    /**
     * One key.
     *
     * @param name     the key (after the prefix was taken off)
     * @param dtype    its dtype in the file ({@code F32}, {@code I64}, …), or empty when missing
     * @param shape    its shape in the file, or null when missing
     * @param expected the shape the model needs, or null when unexpected
     * @param layer    the omomi layer it belongs to, e.g. {@code layer 6 (basic_block) › bn1: BatchNorm2d(8)},
     *                 or empty when unexpected
     */
    public record Key(String name, Status status, String dtype, int[] shape, int[] expected, String layer) {}

    public ImportReport {
        keys = List.copyOf(keys);
    }

    /** Whether every key of the model was found with its shape and the file has no others. */
    public boolean ok() {
        return keys.stream().allMatch(k -> k.status() == Status.LOADED || k.status() == Status.DEFAULTED);
    }

    /** The names of the keys with this status. */
    public List<String> names(Status status) {
        return keys.stream().filter(k -> k.status() == status).map(Key::name).toList();
    }

    /** One line: how many keys loaded, and what did not fit. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(names(Status.LOADED).size() + " tensors loaded");
        for (Status s : List.of(Status.DEFAULTED, Status.MISSING, Status.UNEXPECTED, Status.MISSHAPED)) {
            List<String> n = names(s);
            if (!n.isEmpty()) {
                parts.add(n.size() + " " + s.name().toLowerCase(Locale.ROOT).replace("misshaped", "mis-shaped") + " " + n);
            }
        }
        return source + ": " + String.join(", ", parts);
    }

    /** A table: key, status, dtype, shape (and the shape needed when it differs), omomi layer. */
    public String text() {
        int w = "PyTorch key".length();
        for (Key k : keys) {
            w = Math.max(w, k.name().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("state dict ").append(source);
        if (!prefix.isEmpty()) {
            sb.append(" (the prefix '").append(prefix).append("' taken off every key)");
        }
        sb.append('\n');
        String row = "%-" + w + "s  %-10s  %-5s  %-16s  %s%n";
        sb.append(String.format(Locale.ROOT, row, "PyTorch key", "status", "dtype", "shape", "omomi layer"));
        for (Key k : keys) {
            String shape = k.shape() == null ? "-" : Arrays.toString(k.shape());
            if (k.status() == Status.MISSHAPED || k.status() == Status.MISSING) {
                shape += " (needs " + Arrays.toString(k.expected()) + ")";
            }
            sb.append(String.format(Locale.ROOT, row, k.name(), k.status().name().toLowerCase(Locale.ROOT),
                    k.dtype().isEmpty() ? "-" : k.dtype(), shape, k.layer().isEmpty() ? "-" : k.layer()));
        }
        return sb.append(summary()).append('\n').toString();
    }

    /** The JSON form ({@code import.json} in the run folder). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "omomi.import/1");
        m.put("source", source);
        m.put("prefix", prefix);
        m.put("ok", ok());
        for (Status s : List.of(Status.MISSING, Status.UNEXPECTED, Status.MISSHAPED, Status.DEFAULTED)) {
            m.put(s.name().toLowerCase(Locale.ROOT), new ArrayList<Object>(names(s)));
        }
        List<Object> ks = new ArrayList<>();
        for (Key k : keys) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", k.name());
            e.put("status", k.status().name().toLowerCase(Locale.ROOT));
            e.put("dtype", k.dtype());
            e.put("shape", shape(k.shape()));
            e.put("expected", shape(k.expected()));
            e.put("layer", k.layer());
            ks.add(e);
        }
        m.put("keys", ks);
        return m;
    }

    private static Object shape(int[] s) {
        if (s == null) {
            return null;
        }
        List<Object> l = new ArrayList<>();
        for (int d : s) {
            l.add((long) d);
        }
        return l;
    }
}
