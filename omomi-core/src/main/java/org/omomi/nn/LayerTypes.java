package org.omomi.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.omomi.io.JsonFields;
import org.omomi.nn.LayerSpec.ActivationSpec;
import org.omomi.nn.LayerSpec.AddSpec;
import org.omomi.nn.LayerSpec.BasicBlockSpec;
import org.omomi.nn.LayerSpec.BatchNormSpec;
import org.omomi.nn.LayerSpec.BiasSpec;
import org.omomi.nn.LayerSpec.ConcatSpec;
import org.omomi.nn.LayerSpec.Conv2dSpec;
import org.omomi.nn.LayerSpec.DenseSpec;
import org.omomi.nn.LayerSpec.DotSpec;
import org.omomi.nn.LayerSpec.DropoutSpec;
import org.omomi.nn.LayerSpec.EmbeddingSpec;
import org.omomi.nn.LayerSpec.FlattenSpec;
import org.omomi.nn.LayerSpec.GlobalAvgPoolSpec;
import org.omomi.nn.LayerSpec.LayerNormSpec;
import org.omomi.nn.LayerSpec.MultiplySpec;
import org.omomi.nn.LayerSpec.PairwiseInteractionsSpec;
import org.omomi.nn.LayerSpec.PoolSpec;
import org.omomi.nn.LayerSpec.SequentialSpec;
import org.omomi.nn.LayerSpec.SumSpec;
import org.omomi.nn.LayerSpec.UnflattenSpec;

/** The registry of layer kinds: a JSON {@code "type"} → the {@link LayerSpec} record that reads it. */
public final class LayerTypes {

    private static final Map<String, Function<LayerFields, LayerSpec>> READERS = readers();

    private LayerTypes() {}

    private static Map<String, Function<LayerFields, LayerSpec>> readers() {
        Map<String, Function<LayerFields, LayerSpec>> r = new LinkedHashMap<>();
        r.put("dense", DenseSpec::read);
        r.put("conv2d", Conv2dSpec::read);
        r.put("maxpool2d", f -> PoolSpec.read(f, true));
        r.put("avgpool2d", f -> PoolSpec.read(f, false));
        r.put("global_avg_pool", f -> new GlobalAvgPoolSpec());
        r.put("batchnorm1d", f -> new BatchNormSpec(f.positive("features"), false));
        r.put("batchnorm2d", f -> new BatchNormSpec(f.positive("features"), true));
        r.put("layernorm", f -> new LayerNormSpec(f.positive("features")));
        r.put("basic_block", f -> new BasicBlockSpec(f.positive("in"), f.positive("out"), f.positiveOr("stride", 1), f.bool("residual", true)));
        r.put("embedding", EmbeddingSpec::read);
        r.put("bias", f -> new BiasSpec(f.positive("features")));
        r.put("flatten", f -> new FlattenSpec());
        r.put("unflatten", f -> new UnflattenSpec(f.shape("shape")));
        r.put("dropout", f -> new DropoutSpec(f.number("p", 0.5), false));
        r.put("dropout2d", f -> new DropoutSpec(f.number("p", 0.5), true));
        for (String a : ActivationSpec.NAMES) {
            r.put(a, ActivationSpec::read);
        }
        r.put("sequential", f -> new SequentialSpec(f.objects("layers").stream().map(LayerTypes::parse).toList()));
        r.put("concat", f -> new ConcatSpec(f.integer("axis", 1)));
        r.put("add", f -> new AddSpec());
        r.put("multiply", f -> new MultiplySpec());
        r.put("dot", f -> new DotSpec());
        r.put("sum", f -> new SumSpec(f.integer("axis", 1)));
        r.put("pairwise_interactions", f -> new PairwiseInteractionsSpec());
        return Collections.unmodifiableMap(r);
    }

    /** The known type names. */
    public static Set<String> names() {
        return READERS.keySet();
    }

    /** Reads one layer's JSON object; errors name the layer and what is wrong. */
    public static LayerSpec parse(Object json) {
        Map<String, Object> m = object(json);
        if (!(m.get("type") instanceof String type)) {
            throw new IllegalArgumentException("layer " + JsonFields.describe(m) + " needs a string 'type'");
        }
        Function<LayerFields, LayerSpec> reader = READERS.get(type);
        if (reader == null) {
            throw new IllegalArgumentException("unknown layer type '" + JsonFields.printable(type) + "'; known: " + String.join(", ", READERS.keySet()));
        }
        try {
            return reader.apply(new LayerFields(m));
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException(msg.startsWith("layer ") ? msg : "layer " + JsonFields.describe(m) + ": " + msg, e);
        }
    }

    /** Reads a list of layers. */
    public static List<LayerSpec> parseAll(List<?> json) {
        return json.stream().map(LayerTypes::parse).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("a layer must be a JSON object, got " + JsonFields.describe(o));
        }
        return (Map<String, Object>) o;
    }
}
