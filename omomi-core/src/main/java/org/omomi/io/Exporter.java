package org.omomi.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Writes a saved model in another framework's file format, for use outside omomi: ONNX (module
 * omomi-onnx), and whatever else plugs in. Exporters are found with {@link ServiceLoader}
 * (register in {@code META-INF/services/org.omomi.io.Exporter}), as {@code GemmBackend}s are, so
 * a module adds a format without the core or the CLI knowing its classes.
 *
 * <p>An exporter refuses a model it cannot write faithfully with an {@link IllegalArgumentException}
 * naming the layer, and writes its file atomically ({@link AtomicFile}).
 */
public interface Exporter {

    /** The format's name as {@code omomi export --format} takes it, lower case: {@code onnx}. */
    String format();

    /** The usual file extension, with its dot: {@code .onnx}. */
    String extension();

    /** Writes {@code model} to {@code file}. */
    void export(SavedModel model, Path file) throws IOException;

    /** The exporters on the class path, in {@link ServiceLoader} order. */
    static List<Exporter> available() {
        List<Exporter> all = new ArrayList<>();
        ServiceLoader.load(Exporter.class).forEach(all::add);
        return all;
    }

    /** The exporter of a format; an error lists the formats there are. */
    static Exporter forFormat(String format) {
        String wanted = format.toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>();
        for (Exporter e : available()) {
            if (e.format().equals(wanted)) {
                return e;
            }
            known.add(e.format());
        }
        throw new IllegalArgumentException("no exporter for the format '" + format + "'"
                + (known.isEmpty() ? "; none is on the class path" : "; known: " + String.join(", ", known)));
    }
}
