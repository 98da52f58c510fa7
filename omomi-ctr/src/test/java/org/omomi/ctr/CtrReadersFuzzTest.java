package org.omomi.ctr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.data.Csv;
import org.omomi.data.Preprocessing;
import org.omomi.io.Json;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;

/**
 * The click-log readers and the click preprocessing ({@value ClickFeatures#FORMAT}, found through
 * {@link Preprocessing.Reader}) under seeded mutation ({@link Fuzz}): each mutated log or
 * preprocessing.json either reads or is refused with one line naming the file (for the JSON, the
 * format) — never another exception, a hang or an allocation beyond the input.
 */
class CtrReadersFuzzTest {

    @TempDir
    static Path dir;

    static final long CASES = Fuzz.cases(1000);

    static final String CSV_LOG = "click,site,device,hour,price\n1,a.com,phone,13,2.5\n0,b.org,\"desk,top\",2,\n0,a.com,NA,23,10\n1,,tablet,0,0.25\n";

    static String criteo() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            List<String> f = new ArrayList<>();
            f.add(Integer.toString(r % 2));
            for (int i = 1; i <= 13; i++) {
                f.add(i == 5 && r == 1 ? "" : Integer.toString(i * 7 - 30 + r));
            }
            for (int i = 1; i <= 26; i++) {
                f.add(i == 4 && r == 2 ? "" : String.format("%08x", (i + r) * 0x9e3779b9L & 0xffffffffL));
            }
            sb.append(String.join("\t", f)).append(r == 1 ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"criteo", "criteo-skipping", "criteo-predict", "click-csv", "click-csv-skipping", "click-csv-predict"})
    void mutatedLogsReadOrAreRefusedInOneLine(String reader) throws Exception {
        boolean criteo = reader.startsWith("criteo");
        Path f = dir.resolve(reader + (criteo ? ".tsv" : ".csv"));
        ClickLog log = new ClickLog(f, criteo ? LogFormat.CRITEO : LogFormat.CSV, "click", java.util.Set.of(), reader.endsWith("skipping"));
        List<byte[]> valid = List.of((criteo ? criteo() : CSV_LOG).getBytes(StandardCharsets.UTF_8));
        Fuzz.Result result = Fuzz.run(reader, valid, new Mutator(Fuzz.seed(21), List.of("\t", "\t\t", "0", "1", "2", "click", "-9999999999")), CASES,
                f.getFileName().toString(), in -> {
                    Fuzz.write(f, in);
                    try (LogReader r = reader.endsWith("predict") ? log.openFor(criteo ? LogFormat.criteoFields() : List.of("site", "price"))
                            : log.open()) {
                        r.fields();
                        for (LogRow row = r.next(); row != null; row = r.next()) {
                            row.values();
                        }
                        r.skipped();
                    }
                });
        result.assertClean();
        if (!log.skipBadRows()) {
            result.assertReachesBoth();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vocabulary", "hashed"})
    void mutatedClickPreprocessingReadsOrIsRefusedInOneLine(String kind) throws Exception {
        Path logFile = dir.resolve("learn-" + kind + ".csv");
        Files.writeString(logFile, CSV_LOG);
        FeatureOptions options = FeatureOptions.defaults(LogFormat.CSV).withMinCount(1);
        if (kind.equals("hashed")) {
            options = options.withHashBuckets(1 << 10);
        }
        ClickFeatures learned = FeatureLearner.learn(ClickLog.of(logFile, LogFormat.CSV), options, new Split(1, 0, 1), Progress.NONE).features();
        Csv.Table table = Csv.read(logFile);
        List<byte[]> valid = List.of(Json.write(learned.toJson()).getBytes(StandardCharsets.UTF_8));
        Fuzz.run("ctr-preprocessing-" + kind, valid, new Mutator(Fuzz.seed(21), List.of(ClickFeatures.FORMAT, "numeric", "categorical",
                "vocabulary", "transform", "hash_buckets", "min_count", "ids", "fields", "source", "label", "log1p", "criteo_bucket", "none")),
                CASES, null, in -> {
                    Object o = Json.parse(new String(in, StandardCharsets.UTF_8));
                    if (!(o instanceof Map)) {
                        throw new IllegalArgumentException("not a JSON object");
                    }
                    @SuppressWarnings("unchecked")
                    Preprocessing p = Preprocessing.fromJson((Map<String, Object>) o);
                    p.fields();
                    p.encode(table);
                }).assertClean().assertReachesBoth();
    }

    /** The long run's find (case 29,328 of 10⁵): an unknown transform gave Enum.valueOf's message, with the name's line break in it. */
    @org.junit.jupiter.api.Test
    void anUnknownTransformIsRefusedOnOneLine() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClickFeatures.Transform.named("no\nne"));
        org.junit.jupiter.api.Assertions.assertEquals("unknown transform \"no\\nne\"; use none, log1p or criteo_bucket", e.getMessage());
    }
}
