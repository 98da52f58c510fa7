package org.omomi.data;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.omomi.tensor.Inputs;

/**
 * How raw records become a model's inputs, learned on the training data and saved with the model
 * ({@code preprocessing.json}) so that evaluation, prediction and serving transform exactly as
 * training did: {@link Tabular} for CSV columns, {@link ImageScaling} for pixels, and an
 * application's own (the click model's feature hashing, say), found through {@link Reader}s on
 * the class path by its {@code format}.
 */
public interface Preprocessing {

    /** The JSON {@code format} this preprocessing is saved as, e.g. {@code omomi.tabular/1}. */
    String format();

    /** The JSON form, with {@code format}. */
    Map<String, Object> toJson();

    /** The model inputs for these raw rows; an error names the file (or request), line and field. */
    Inputs encode(Csv.Table rows);

    /** The raw fields a row needs, in order (column names of a CSV file, keys of a JSON row). */
    List<String> fields();

    /** Reads an application's preprocessing format; registered with {@link ServiceLoader}. */
    interface Reader {
        String format();

        Preprocessing read(Map<String, Object> json);
    }

    /** Reads any known format: the built-in ones, then those of the {@link Reader}s on the class path. */
    static Preprocessing fromJson(Map<String, Object> json) {
        Object format = json.get("format");
        if ("omomi.tabular/1".equals(format)) {
            return Tabular.fromJson(json);
        }
        if (ImageScaling.FORMAT.equals(format)) {
            return ImageScaling.fromJson(json);
        }
        for (Reader r : ServiceLoader.load(Reader.class)) {
            if (r.format().equals(format)) {
                return r.read(json);
            }
        }
        throw new IllegalArgumentException("unknown preprocessing format " + org.omomi.io.JsonFields.describe(format));
    }
}
