package org.omomi.segment;

import java.util.List;
import org.omomi.tensor.Tensor;

/**
 * A customer table turned into numbers by a {@link Schema}: numeric columns as they are (missing
 * values filled), categorical ones as 0/1 indicator columns named {@code column=category}.
 *
 * @param ids      one per row: the id column's value, or the 1-based row number when there is none
 * @param features the feature names, one per column of {@code values}
 * @param values   [n, features], before scaling
 * @param lines    the CSV line each row starts on, for error messages
 */
public record Customers(List<String> ids, List<String> features, Tensor values, int[] lines) {

    public Customers {
        if (values.dim() != 2 || values.size(0) != ids.size() || values.size(1) != features.size() || lines.length != ids.size()) {
            throw new IllegalArgumentException("customers: ids, features, values and lines do not agree in size");
        }
    }

    /** The number of customers. */
    public int size() {
        return ids.size();
    }

    /** These rows only, in the order given. */
    public Customers select(int[] rows) {
        List<String> id = new java.util.ArrayList<>(rows.length);
        int[] l = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            id.add(ids.get(rows[i]));
            l[i] = lines[rows[i]];
        }
        return new Customers(id, features, values.indexSelect(0, rows), l);
    }
}
