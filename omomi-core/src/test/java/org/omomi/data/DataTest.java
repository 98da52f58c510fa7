package org.omomi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.Json;
import org.omomi.tensor.Tensor;

/** CSV, tabular preprocessing, IDX files and the data loader. */
class DataTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void csvWithQuotesBlankLinesAndCrlf() throws IOException {
        Csv.Table t = Csv.read(write("a.csv", "\uFEFFname,note,x\r\n\"Doe, J\",\"said \"\"hi\"\"\",1\r\n\r\nRoe,\"two\nlines\",2\n"));
        assertEquals(List.of("name", "note", "x"), t.header());
        assertEquals(2, t.rows().size());
        assertArrayEquals(new String[] {"Doe, J", "said \"hi\"", "1"}, t.rows().get(0));
        assertArrayEquals(new String[] {"Roe", "two\nlines", "2"}, t.rows().get(1));
        assertArrayEquals(new int[] {2, 4}, t.lines());
    }

    @Test
    void csvErrorsNameFileAndLine() throws IOException {
        Path ragged = write("r.csv", "a,b\n1,2\n3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Csv.read(ragged));
        assertEquals(ragged + " line 3: 1 fields, but the header has 2", e.getMessage());
        Path open = write("o.csv", "a,b\n1,\"2\n");
        e = assertThrows(IllegalArgumentException.class, () -> Csv.read(open));
        assertTrue(e.getMessage().contains("line 2: a quoted field is never closed"), e.getMessage());
        Path dup = write("d.csv", "a,a\n1,2\n");
        assertThrows(IllegalArgumentException.class, () -> Csv.read(dup));
    }

    private static final String CLICKS = "age,interest,freq,device,clicked\n"
            + "25,0.9,3,mobile,1\n"
            + "40,0.1,1,desktop,0\n"
            + "31,,2,mobile,1\n"
            + "52,0.3,5,NA,0\n";

    @Test
    void tabularLearnsKindsMissingValuesAndScaleFromTrainingRowsOnly() throws IOException {
        Csv.Table train = Csv.read(write("c.csv", CLICKS));
        Tabular tab = Tabular.fit(train, "clicked", null, true, Tabular.Encoding.ONE_HOT, Set.of());
        assertEquals(Tabular.Task.CLASSIFICATION, tab.task());
        assertEquals(List.of("0", "1"), tab.classes());
        assertEquals(List.of("age", "interest", "freq", "device=(missing)", "device=desktop", "device=mobile"), tab.inputNames());
        Tensor x = tab.features(train);
        // age standardized with the training mean 37 and population std.
        double std = Math.sqrt(((25 - 37) * (25 - 37) + 9 + 36 + 225) / 4.0);
        assertEquals((25 - 37) / std, x.get(0, 0), 1e-6);
        // the missing interest becomes the training mean, which standardizes to 0.
        assertEquals(0f, x.get(2, 1), 1e-6f);
        assertArrayEquals(new float[] {1, 0, 0}, new float[] {x.get(3, 3), x.get(3, 4), x.get(3, 5)});
        assertArrayEquals(new float[] {1, 0, 1, 0}, tab.targets(train).toArray());
        // The same description, saved and read back, transforms new rows identically.
        @SuppressWarnings("unchecked")
        Tabular again = Tabular.fromJson((Map<String, Object>) Json.parse(Json.write(tab.toJson())));
        Csv.Table fresh = Csv.read(write("n.csv", "age,interest,freq,device\n37,0.5,2,tablet\n"));
        assertArrayEquals(tab.features(fresh).toArray(), again.features(fresh).toArray());
        assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(again.features(fresh).toArray(), 3, 6),
                "an unseen category is all zeros");
    }

    @Test
    void aWordInANumericColumnIsAnErrorNamingLineAndColumn() throws IOException {
        Csv.Table train = Csv.read(write("c.csv", CLICKS));
        Tabular tab = Tabular.fit(train, "clicked", null, false, Tabular.Encoding.ONE_HOT, Set.of());
        Path bad = write("bad.csv", "age,interest,freq,device,clicked\n30,0.5,2,mobile,1\nthirty,0.5,2,mobile,0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tab.features(Csv.read(bad)));
        assertEquals(bad + " line 3, column 'age': 'thirty' is not a number (the column is numeric)", e.getMessage());
        Path badTrain = write("bt.csv", "x,y\n1,0\n2,1\nabc,0\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> Tabular.fit(Csv.read(badTrain), "y", null, true, Tabular.Encoding.ONE_HOT, Set.of()));
        assertTrue(e.getMessage().contains("line 4, column 'x': 'abc' is not a number"), e.getMessage());
    }

    @Test
    void regressionIsInferredForManyOrFractionalValues() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 30; i++) {
            sb.append(i).append(',').append(i * 1.5).append('\n');
        }
        Tabular tab = Tabular.fit(Csv.read(write("r.csv", sb.toString())), "y", null, true, Tabular.Encoding.ONE_HOT, Set.of());
        assertEquals(Tabular.Task.REGRESSION, tab.task());
        assertArrayEquals(new int[] {30, 1}, tab.targets(Csv.read(dir.resolve("r.csv"))).shape());
    }

    private Path idx(String name, byte[] header, byte[] data, boolean gzip) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(header);
        raw.write(data);
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(raw.toByteArray());
        }
        return p;
    }

    private static byte[] header(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(0x00000800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    @Test
    void idxFilesGzippedOrNotAndTheirErrors() throws IOException {
        byte[] pixels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        for (boolean gz : new boolean[] {true, false}) {
            Idx.Array a = Idx.read(idx("img" + gz, header(3, 2, 2), pixels, gz));
            assertArrayEquals(new int[] {3, 2, 2}, a.dims());
            assertArrayEquals(pixels, a.values());
        }
        Path truncated = idx("t.gz", header(3, 2, 2), Arrays.copyOf(pixels, 7), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(truncated));
        assertEquals(truncated + ": truncated: dimensions [3, 2, 2] need 12 bytes of data, found 7", e.getMessage());
        Path notIdx = write("n.idx", "hello world");
        e = assertThrows(IllegalArgumentException.class, () -> Idx.read(notIdx));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void debiansFashionMnistFilesLoad() throws IOException {
        TensorDataset test = FashionMnist.test(org.omomi.testing.Requires.fashionMnist());
        assertArrayEquals(new int[] {10_000, 784}, test.x().shape());
        float[] y = test.y().toArray();
        int[] counts = new int[10];
        for (float v : y) {
            counts[(int) v]++;
        }
        for (int c : counts) {
            assertEquals(1000, c, "Fashion-MNIST's test set has 1,000 images of each class");
        }
        float[] x = test.x().toArray();
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(0f, lo);
        assertEquals(1f, hi);
    }

    @Test
    void loaderOrderIsAFunctionOfSeedAndEpoch() {
        TensorDataset ds = new TensorDataset(Tensor.arange(10).reshape(10, 1), Tensor.arange(10));
        DataLoader a = new DataLoader(ds, 4, true, 7);
        DataLoader b = new DataLoader(ds, 4, true, 7);
        assertArrayEquals(a.order(3), b.order(3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        int[] sorted = a.order(2).clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "an epoch visits every example once");
        List<org.omomi.data.Batch> batches = a.epochList(0);
        assertEquals(3, batches.size());
        assertEquals(2, batches.get(2).size());
        assertArrayEquals(new float[] {0, 1, 2, 3}, new DataLoader(ds, 4, false, 7).epochList(5).get(0).y().toArray());
    }
}
