package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.data.Csv;
import org.omomi.data.Preprocessing;
import org.omomi.data.Tabular;
import org.omomi.io.Json;
import org.omomi.tensor.Inputs;

/** The feature processing: what the first pass learns, how rows become ids and numbers, and that it survives saving. */
class ClickFeaturesTest {

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Path f = dir.resolve("log.csv");
        Files.writeString(f, text);
        return f;
    }

    private static final Split ALL_TRAIN = new Split(1, 0, 1);

    @Test
    void vocabulariesKeepValuesSeenMinCountTimesAndMissingIsAValue() throws IOException {
        Path f = csv("click,site,age\n1,a,20\n0,a,30\n0,b,40\n1,,50\n0,NA,60\n1,a,\n");
        FeatureLearner.Learned l = FeatureLearner.learn(ClickLog.of(f, LogFormat.CSV),
                FeatureOptions.defaults(LogFormat.CSV).withMinCount(2), ALL_TRAIN, Progress.NONE);
        ClickFeatures c = l.features();
        assertEquals(List.of("site", "age"), c.fields());
        assertEquals(List.of("site"), c.fieldNames());
        assertEquals(List.of("age"), c.numericNames());
        // "" and NA are both missing: two of them, so (missing) is in the vocabulary; b (once) is not.
        assertEquals(List.of(ClickFeatures.MISSING, "a"), c.categorical().get(0).vocabulary());
        assertEquals(3, c.tableRows(), "two values and the field's out-of-vocabulary id");
        assertEquals(1, c.id(0, "a"));
        assertEquals(0, c.id(0, " "));
        assertEquals(2, c.id(0, "b"), "rare: the out-of-vocabulary id");
        assertEquals(2, c.id(0, "never seen"));
        // age: mean 40 and population std of 20..60 over the present values; missing becomes 0.
        ClickFeatures.Numeric age = c.numeric().get(0);
        assertEquals(40, age.mean(), 1e-12);
        assertEquals(Math.sqrt(200), age.std(), 1e-12);
        int[] ids = new int[1];
        float[] x = new float[1];
        c.encode(new String[] {"a", "60"}, f, 2, ids, 0, x, 0);
        assertEquals((float) (20 / Math.sqrt(200)), x[0], 1e-6);
        c.encode(new String[] {"a", ""}, f, 2, ids, 0, x, 0);
        assertEquals(0f, x[0]);
        assertEquals(6, l.trainRows());
        assertEquals(3, l.trainPositives());
    }

    @Test
    void fieldsOfSeveralColumnsShareOneTableWithTheirOwnOffsets() throws IOException {
        Path f = csv("click,a,b\n1,x,x\n0,y,x\n");
        ClickFeatures c = FeatureLearner.learn(ClickLog.of(f, LogFormat.CSV), FeatureOptions.defaults(LogFormat.CSV).withMinCount(1),
                ALL_TRAIN, Progress.NONE).features();
        assertEquals(3 + 2, c.tableRows(), "a: x, y, OOV; b: x, OOV");
        assertEquals(0, c.id(0, "x"));
        assertEquals(1, c.id(0, "y"));
        assertEquals(2, c.id(0, "z"));
        assertEquals(3, c.id(1, "x"));
        assertEquals(4, c.id(1, "y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"68fd1e64", "(missing)", "東京", "ü-umlaut", ""})
    void hashedIdsAreTabularsHashedIdsOfFieldEqualsValue(String value) {
        ClickFeatures c = new ClickFeatures(LogFormat.CSV, "click", List.of("C7"), List.of(),
                List.of(new ClickFeatures.Categorical("C7", ClickFeatures.Transform.NONE, List.of())), 1 << 20, 1);
        String v = value.isEmpty() ? ClickFeatures.MISSING : value;
        assertEquals(Tabular.hashedId("C7", v, 1 << 20), c.id(0, value));
        assertTrue(c.id(0, value) >= 0 && c.id(0, value) < 1 << 20);
    }

    @Test
    void equalValuesOfTwoFieldsHashApart() {
        ClickFeatures c = new ClickFeatures(LogFormat.CSV, "click", List.of("a", "b"), List.of(),
                List.of(new ClickFeatures.Categorical("a", ClickFeatures.Transform.NONE, List.of()),
                        new ClickFeatures.Categorical("b", ClickFeatures.Transform.NONE, List.of())), 1 << 20, 1);
        assertNotEquals(c.id(0, "same"), c.id(1, "same"));
    }

    @Test
    void criteosIntegersAsBucketsOrAsLog1pNumbers() {
        ClickFeatures.Transform b = ClickFeatures.Transform.CRITEO_BUCKET;
        assertEquals("-1", ClickFeatures.categoryValue(b, "-1"));
        assertEquals("2", ClickFeatures.categoryValue(b, "2"));
        assertEquals("b1", ClickFeatures.categoryValue(b, "3"), "⌊ln(3)²⌋ = ⌊1.207⌋ = 1");
        assertEquals("b21", ClickFeatures.categoryValue(b, "100"), "⌊ln(100)²⌋ = ⌊21.2⌋");
        assertEquals(ClickFeatures.MISSING, ClickFeatures.categoryValue(b, ""));
        assertEquals(Math.log1p(100), ClickFeatures.transform(ClickFeatures.Transform.LOG1P, 100), 1e-12);
        assertEquals(-Math.log1p(2), ClickFeatures.transform(ClickFeatures.Transform.LOG1P, -2), 1e-12);
    }

    @Test
    void aValueThatIsNotANumberInANumericColumnNamesTheFileLineAndColumn() throws IOException {
        Path f = csv("click,age\n1,20\n0,30\n");
        ClickFeatures c = FeatureLearner.learn(ClickLog.of(f, LogFormat.CSV), FeatureOptions.defaults(LogFormat.CSV), ALL_TRAIN,
                Progress.NONE).features();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.encode(new String[] {"twenty"}, f, 7, new int[0], 0, new float[1], 0));
        assertEquals(f + " line 7: 'age' must be a number, got 'twenty'", e.getMessage());
    }

    @Test
    void savedAndReadBackThroughTheServiceLoaderItEncodesTheSame() throws IOException {
        Path f = csv("click,site,device,age\n1,a,m,20\n0,b,d,30\n0,a,,41.5\n");
        ClickFeatures c = FeatureLearner.learn(ClickLog.of(f, LogFormat.CSV), FeatureOptions.defaults(LogFormat.CSV).withMinCount(1),
                ALL_TRAIN, Progress.NONE).features();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Json.write(c.toJson()));
        Preprocessing back = Preprocessing.fromJson(json);
        assertInstanceOf(ClickFeatures.class, back, "found through META-INF/services");
        assertEquals(Json.write(c.toJson()), Json.write(back.toJson()));
        Csv.Table table = Csv.read(f);
        Inputs a = c.encode(table);
        Inputs b = back.encode(table);
        assertArrayEquals(a.ids(ClickFeatures.IDS).toArray(), b.ids(ClickFeatures.IDS).toArray());
        assertArrayEquals(a.tensor(ClickFeatures.NUMERIC).toArray(), b.tensor(ClickFeatures.NUMERIC).toArray());
        assertEquals(List.of(3, 2), List.of(a.ids(ClickFeatures.IDS).shape()[0], a.ids(ClickFeatures.IDS).shape()[1]));
    }

    @Test
    void heldOutRowsTeachTheFeaturesNothing() throws IOException {
        StringBuilder sb = new StringBuilder("click,site\n");
        for (int i = 0; i < 400; i++) {
            sb.append(i % 2).append(",v").append(i).append('\n');
        }
        Path f = csv(sb.toString());
        Split split = new Split(5, 0.5, 1);
        ClickFeatures c = FeatureLearner.learn(ClickLog.of(f, LogFormat.CSV), FeatureOptions.defaults(LogFormat.CSV).withMinCount(1), split,
                Progress.NONE).features();
        List<String> vocabulary = c.categorical().get(0).vocabulary();
        int heldOut = 0;
        for (int i = 0; i < 400; i++) {
            boolean out = split.heldOut(i + 2); // data row i is on line i + 2
            heldOut += out ? 1 : 0;
            assertEquals(!out, vocabulary.contains("v" + i), "v" + i);
        }
        assertTrue(heldOut > 150 && heldOut < 250, "about half held out: " + heldOut);
    }
}
