package org.omomi.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omomi.data.Csv;
import org.omomi.data.FashionMnist;
import org.omomi.data.Idx;
import org.omomi.data.ImageScaling;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.nn.LayerSpec;
import org.omomi.nn.LayerTypes;
import org.omomi.nn.ModelSpec;
import org.omomi.optim.Optimizer;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;
import org.omomi.train.Checkpoint;
import org.omomi.train.Head;
import org.omomi.train.EpochRecord;
import org.omomi.train.RunLog;
import org.omomi.train.StepRecord;
import org.omomi.train.TensorStats;

/**
 * Every reader of omomi-core under seeded mutation ({@link Fuzz}): each mutated file either reads
 * or is refused with an {@link IllegalArgumentException} of one line naming the file — never
 * another exception, an OutOfMemoryError, a stack overflow, a hang, or an allocation beyond what
 * the input backs. 1,000 cases per reader here; {@code -Domomi.fuzz.cases=N} for the long run.
 */
class CoreReadersFuzzTest {

    @TempDir
    static Path dir;

    static final long CASES = Fuzz.cases(1000);

    static Stream<String> readers() {
        return Stream.of("json", "safetensors", "idx", "fashion-mnist", "csv-read", "csv-stream", "csv-stream-after-errors", "model-json", "layer-json",
                "checkpoint", "checkpoint-metadata", "preprocessing-json", "saved-model/model.json",
                "saved-model/model.safetensors", "saved-model/preprocessing.json", "saved-model/provenance.json", "runlog");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void mutatedInputsReadOrAreRefusedInOneLine(String reader) throws Exception {
        Path work = Files.createDirectories(dir.resolve(reader.replace('/', '_')));
        Target t = target(reader, work);
        Fuzz.run(reader, t.valid, new Mutator(Fuzz.seed(21), t.words), CASES, t.where, t.reader).assertClean().assertReachesBoth();
    }

    /** The long run's one find (case 365,465 of 10⁶): a format name holding a line break went into the message as it was. */
    @org.junit.jupiter.api.Test
    void anUnknownFormatIsQuotedOnOneLine() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.fromJson(object(utf8("{\"format\": \"omomi.tabula\\nr/1\"}"))));
        org.junit.jupiter.api.Assertions.assertEquals("unknown preprocessing format \"omomi.tabula\\nr/1\"", e.getMessage());
    }

    /**
     * The second long run's finds (10⁶ cases): a model.json whose ReLU became
     * {@code pairwise_interactions} opened (its weights still fit) and failed at the first prediction
     * without naming the file (9 cases from case 266,217); a run-log line whose "kind" was an object
     * printed it whole, 1,900 characters (5 cases from case 248,420).
     */
    @org.junit.jupiter.api.Test
    void layersThatDoNotChainAreRefusedWhenTheModelOpens() throws Exception {
        Path work = Files.createDirectories(dir.resolve("no-chain"));
        Path run = work.resolve("run");
        Csv.Table table = table(work);
        Tabular tab = tabular(table, Tabular.Encoding.ONE_HOT);
        int width = tab.encode(table).tensor("x").shape()[1];
        ModelSpec spec = ModelSpec.mlp(width, new int[] {4}, "relu", 1);
        SavedModel.of(spec, spec.build(new Rng(3)), Head.binary(), List.of("no", "yes"), tab, null).save(run);
        Path modelJson = run.resolve("model.json");
        String text = Files.readString(modelJson);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("\"relu\""), text);
        Files.writeString(modelJson, text.replace("{\"type\":\"relu\"}", "{\"type\":\"pairwise_interactions\"}"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SavedModel.open(run));
        org.junit.jupiter.api.Assertions.assertEquals(modelJson + ": the model's layers do not fit together on one example: "
                + "pairwise interactions need field vectors [N, F, k], got [1, 4]", e.getMessage());
    }

    /**
     * Found by the 10⁶ run of onnx/export/model.json (cases 631,769 and 879,184), after the probe
     * above: an input shape of [1e9] made opening the model allocate 4 GB of zeros.
     */
    @org.junit.jupiter.api.Test
    void anInputLargerThanOmomiReadsIsRefusedInTheSpec() {
        for (String shape : new String[] {"1e9", "65536, 65536", "0", "-3"}) {
            String json = MODEL_JSON.replace("\"shape\":[3]", "\"shape\":[" + shape + "]");
            org.junit.jupiter.api.Assertions.assertNotEquals(MODEL_JSON, json);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ModelSpec.fromJson(object(utf8(json))), shape);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("input ") && e.getMessage().length() < 200, e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertEquals(ModelSpec.MAX_EXAMPLE_VALUES,
                ModelSpec.fromJson(object(utf8(MODEL_JSON.replace("\"shape\":[3]", "\"shape\":[4, 1024, 1024]")))).inputs().get(0).width());
    }

    @org.junit.jupiter.api.Test
    void aRunLogKindThatIsAnObjectIsShownInShort() {
        StringBuilder big = new StringBuilder("{\"kind\":{");
        for (int i = 0; i < 200; i++) {
            big.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":").append(i);
        }
        big.append("}}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.omomi.train.RunLog.parse(big.toString()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().length() < 200, e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("not a run-log line (kind {\"p0\":0.0,\"p1\":1.0,"), e.getMessage());
    }

    record Target(List<byte[]> valid, List<String> words, String where, Fuzz.Reader reader) {}

    static Target target(String name, Path work) throws Exception {
        switch (name) {
            case "json": {
                return new Target(List.of(utf8(MODEL_JSON), utf8("[1, -2.5e3, \"a\\u00e9\\n\", true, null, {\"k\": []}]"), utf8("NaN")),
                        List.of("\\u12", "1e", "-"), "JSON line", in -> Json.parse(new String(in, StandardCharsets.UTF_8)));
            }
            case "safetensors": {
                Path f = work.resolve("t.safetensors");
                Map<String, Tensor> t = new LinkedHashMap<>();
                t.put("w", Tensor.randn(new Rng(1), 3, 4));
                t.put("b", Tensor.vector(1, 2, 3));
                t.put("s", Tensor.scalar(2));
                Safetensors.write(f, t, Map.of("format", "pt"));
                byte[] written = Files.readAllBytes(f);
                byte[] dtypes = safetensors("{\"a\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[1,2],\"data_offsets\":[16,20]},\"u\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[20,21]}}",
                        new byte[21]);
                return new Target(List.of(written, dtypes), SAFETENSORS_WORDS, "t.safetensors", in -> Safetensors.read(Fuzz.write(f, in)));
            }
            case "idx": {
                Path f = work.resolve("images-idx3-ubyte");
                return new Target(List.of(idx(2, 3, 4), idx(5), gzip(idx(2, 3, 4))), List.of(), f.getFileName().toString(),
                        in -> Idx.read(Fuzz.write(f, in)));
            }
            case "fashion-mnist": {
                Files.write(work.resolve("train-labels-idx1-ubyte"), idx(3));
                Path images = work.resolve("train-images-idx3-ubyte");
                return new Target(List.of(idx(3, 28, 28), gzip(idx(3, 28, 28))), List.of(), work.toString(), in -> {
                    Fuzz.write(images, in);
                    FashionMnist.train(work);
                });
            }
            case "csv-read":
            case "csv-stream": {
                Path f = work.resolve("data.csv");
                boolean stream = name.equals("csv-stream");
                return new Target(List.of(utf8(CSV), utf8("\ufeffa,b\r\n\"x,\"\"y\"\"\",2\r\n\r\n\"multi\nline\",3\r\n")), List.of(),
                        "data.csv", in -> {
                            Fuzz.write(f, in);
                            if (stream) {
                                try (Csv.Reader r = Csv.stream(f)) {
                                    while (r.next() != null) {
                                        // every row is checked as it is read
                                    }
                                }
                            } else {
                                Csv.read(f);
                            }
                        });
            }
            case "csv-stream-after-errors": {
                // A caller that skips bad rows goes on reading after an error: it must reach the end.
                Path f = work.resolve("data.csv");
                return new Target(List.of(utf8(CSV)), List.of(), "data.csv", in -> {
                    Fuzz.write(f, in);
                    try (Csv.Reader r = Csv.stream(f)) {
                        IllegalArgumentException first = null;
                        for (int calls = 0; ; calls++) {
                            if (calls > in.length + 2) {
                                throw new AssertionError("no end after " + calls + " calls to next() on " + in.length + " bytes");
                            }
                            try {
                                if (r.next() == null) {
                                    break;
                                }
                            } catch (IllegalArgumentException e) {
                                first = first == null ? e : first;
                            }
                        }
                        if (first != null) {
                            throw first;
                        }
                    }
                });
            }
            case "model-json": {
                return new Target(List.of(utf8(MODEL_JSON), utf8(Json.write(graphSpec().toJson())), utf8(Json.write(imageSpec().toJson()))),
                        MODEL_WORDS, null, in -> {
                            ModelSpec s = ModelSpec.fromJson(object(in));
                            s.toJson();
                        });
            }
            case "layer-json": {
                List<byte[]> valid = new ArrayList<>();
                for (LayerSpec l : List.of(new LayerSpec.DenseSpec(3, 2, true, "torch"), new LayerSpec.Conv2dSpec(1, 2, 3, 1, 1, true),
                        new LayerSpec.SequentialSpec(List.of(new LayerSpec.BatchNormSpec(4, false), new LayerSpec.UnflattenSpec(List.of(1, 2, 2)))),
                        new LayerSpec.EmbeddingSpec(10, 3, true, 0.1), new LayerSpec.DropoutSpec(0.2, false))) {
                    valid.add(utf8(Json.write(l.toJson())));
                }
                return new Target(valid, MODEL_WORDS, null, in -> LayerTypes.parse(Json.parse(new String(in, StandardCharsets.UTF_8))).pytorch());
            }
            case "checkpoint": {
                Path f = work.resolve("step-1.safetensors");
                checkpoint().save(f);
                return new Target(List.of(Files.readAllBytes(f)), SAFETENSORS_WORDS, "step-1.safetensors", in -> Checkpoint.load(Fuzz.write(f, in)));
            }
            case "checkpoint-metadata": {
                Path f = work.resolve("step-2.safetensors");
                Path first = work.resolve("first.safetensors");
                checkpoint().save(first);
                String meta = Safetensors.read(first).metadata().get("omomi");
                return new Target(List.of(utf8(meta)), List.of("epoch", "batch", "step", "running", "optimizer", "random_state"),
                        "step-2.safetensors", in -> {
                            Map<String, Tensor> t = new LinkedHashMap<>();
                            t.put("model.0.weight", Tensor.zeros(2, 3));
                            Safetensors.write(f, t, Map.of("omomi", new String(in, StandardCharsets.UTF_8)));
                            Checkpoint.load(f);
                        });
            }
            case "preprocessing-json": {
                Csv.Table table = table(work);
                Csv.Table pixels = pixels(work);
                return new Target(List.of(utf8(Json.write(tabular(table, Tabular.Encoding.ONE_HOT).toJson())),
                        utf8(Json.write(tabular(table, Tabular.Encoding.INDEX).toJson())),
                        utf8(Json.write(ImageScaling.fit(Tensor.randn(new Rng(2), 3, 4), 3, new int[] {1, 2, 2}).toJson()))),
                        PREPROCESSING_WORDS, null, in -> {
                            Preprocessing p = Preprocessing.fromJson(object(in));
                            p.encode(p instanceof ImageScaling ? pixels : table);
                            p.fields();
                        });
            }
            case "saved-model/model.json":
            case "saved-model/model.safetensors":
            case "saved-model/preprocessing.json":
            case "saved-model/provenance.json": {
                Path run = work.resolve("run");
                Csv.Table table = table(work);
                Tabular tab = tabular(table, Tabular.Encoding.ONE_HOT);
                int width = tab.encode(table).tensor("x").shape()[1];
                ModelSpec spec = ModelSpec.mlp(width, new int[] {4}, "relu", 1);
                SavedModel.of(spec, spec.build(new Rng(3)), Head.binary(), List.of("no", "yes"), tab,
                        Provenance.now(1, List.of(table.file()), Map.of("lr", 0.1))).save(run);
                Path file = run.resolve(name.substring("saved-model/".length()));
                List<String> words = new ArrayList<>(MODEL_WORDS);
                words.addAll(PREPROCESSING_WORDS);
                words.addAll(SAFETENSORS_WORDS);
                return new Target(List.of(Files.readAllBytes(file)), words, work.toString(), in -> {
                    Fuzz.write(file, in);
                    SavedModel.open(run).predictor().predict(table);
                });
            }
            case "runlog": {
                Path f = work.resolve("history.jsonl");
                // The records' own writer, so the seed is what a run writes.
                String text = RunLog.line(new StepRecord(0, 1, 0.5, 0.1)) + "\n" + RunLog.line(new EpochRecord(0, 10, 0.1,
                        Map.of("loss", 0.4, "accuracy", 0.9), Map.of("loss", 0.45), Map.of(), Map.of("0.weight",
                        new EpochRecord.ParamRecord(List.of(2, 3), TensorStats.of(new float[] {1, -2, 0}), TensorStats.of(new float[] {0.1f, 0, 0}), 0.01)),
                        Map.of())) + "\n";
                List<byte[]> valid = List.of(utf8(text));
                return new Target(valid, List.of("epoch", "step", "kind", "loss", "format"), "history.jsonl", in -> RunLog.read(Fuzz.write(f, in)));
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }

    // ------------------------------------------------------------------ valid inputs

    static final List<String> SAFETENSORS_WORDS = List.of("F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL", "F8_E4M3", "dtype",
            "shape", "data_offsets", "__metadata__");
    static final List<String> MODEL_WORDS = List.of("dense", "conv2d", "sequential", "embedding", "format", "omomi.model/1",
            "omomi.model/2", "layers", "nodes", "inputs", "outputs", "shape", "kind", "ids", "float", "from", "type", "in", "out",
            "unflatten", "dropout", "maxpool2d", "basic_block", "concat", "dot", "pairwise_interactions");
    static final List<String> PREPROCESSING_WORDS = List.of("omomi.tabular/1", "omomi.images/1", "features", "categories", "numeric",
            "categorical", "fill", "mean", "std", "task", "classification", "regression", "classes", "min_count", "hash_buckets", "index",
            "one_hot", "scale", "standard", "target");

    static final String MODEL_JSON = "{\"format\":\"omomi.model/2\",\"name\":\"m\",\"inputs\":[{\"name\":\"x\",\"kind\":\"float\",\"shape\":[3]}],"
            + "\"outputs\":2,\"layers\":[{\"type\":\"dense\",\"in\":3,\"out\":4},{\"type\":\"relu\"},{\"type\":\"dense\",\"in\":4,\"out\":2}],"
            + "\"head\":{\"kind\":\"multiclass\",\"outputs\":2,\"classes\":[\"a\",\"b\"]}}";

    static final String CSV = "age,city,clicked\n31,Tokyo,1\n45,\"Osaka, Kita\",0\n,Kyoto,1\n28,Tokyo,0\n52,NA,1\n";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(byte[] in) {
        Object o = Json.parse(new String(in, StandardCharsets.UTF_8));
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (Map<String, Object>) o;
    }

    static ModelSpec graphSpec() {
        return ModelSpec.graph("fm", List.of(ModelSpec.InputSpec.ids("fields", 3)), 1, List.of(
                new ModelSpec.NodeSpec("v", new LayerSpec.EmbeddingSpec(20, 4, false, 1), "fields"),
                new ModelSpec.NodeSpec("pairs", new LayerSpec.PairwiseInteractionsSpec(), "v")), "pairs");
    }

    static ModelSpec imageSpec() {
        return ModelSpec.cnn(new int[] {1, 8, 8}, 3);
    }

    static Checkpoint checkpoint() {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("0.weight", Tensor.randn(new Rng(4), 2, 3));
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        buffers.put("0.weight.exp_avg", Tensor.zeros(2, 3));
        Map<String, long[]> rng = new LinkedHashMap<>();
        rng.put("dropout", new long[] {0x1234L, -5L});
        return new Checkpoint(model, new Optimizer.Snapshot(buffers, Map.of("lr", 0.01, "t", 3.0)), rng, 1, 2, 12, 12,
                new double[] {0.5, 3, 8}, 4, 0.25, 1);
    }

    static Csv.Table table(Path work) throws IOException {
        Path f = work.resolve("train.csv");
        Files.writeString(f, CSV);
        return Csv.read(f);
    }

    static Csv.Table pixels(Path work) throws IOException {
        Path f = work.resolve("pixels.csv");
        Files.writeString(f, "p0,p1,p2,p3\n0,0.5,1,0.25\n1,1,0,0\n");
        return Csv.read(f);
    }

    static Tabular tabular(Csv.Table table, Tabular.Encoding encoding) {
        return Tabular.fit(table, "clicked", null, true, encoding, Set.of());
    }

    /** An IDX file of unsigned bytes with these dimensions, the values a ramp. */
    static byte[] idx(int... dims) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        int count = 1;
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
            count *= d;
        }
        for (int i = 0; i < count; i++) {
            out.write(i % (dims.length == 1 ? 10 : 256));
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    static byte[] safetensors(String header, byte[] data) {
        byte[] h = utf8(header);
        byte[] out = new byte[8 + h.length + data.length];
        java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        System.arraycopy(h, 0, out, 8, h.length);
        System.arraycopy(data, 0, out, 8 + h.length, data.length);
        return out;
    }
}
