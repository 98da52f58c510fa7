package org.omomi.segment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.data.Csv;
import org.omomi.io.Json;
import org.omomi.tensor.Rng;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;

/**
 * The segmentation readers under seeded mutation ({@link Fuzz}): transaction logs (to RFM), customer
 * tables (segmented), and a segmentation's model.json (assigning new customers). Each mutated file
 * reads or is refused in one line naming it; never another exception, a hang or an allocation
 * beyond the input.
 */
class SegmentReadersFuzzTest {

    @TempDir
    static Path dir;

    static final long CASES = Fuzz.cases(1000);

    static final LocalDate AS_OF = LocalDate.of(2024, 6, 30);

    static final List<String> WORDS = List.of("customer_id", "date", "amount", "2024-02-30", "2024-13-01", "1e400", "-5.00", "0.001",
            "omomi.segment.model/1", "centres", "schema", "shape", "values", "columns", "mean", "std", "categories", "k", "metric");

    static byte[] csv(Csv.Table t) {
        return Csv.format(t.header(), t.rows()).getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"transactions.csv", "customers.csv", "model.json"})
    void mutatedFilesReadOrAreRefusedInOneLine(String name) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name.replace('.', '_')));
        Path f = work.resolve(name);
        Csv.Table customers = Synthetic.customers(16, new Rng(5));
        Segmenter.Options options = Segmenter.Options.defaults().withK(2).withSeed(1);
        List<byte[]> valid;
        Fuzz.Reader reader;
        switch (name) {
            case "transactions.csv":
                valid = List.of(csv(Synthetic.transactions(4, AS_OF, new Rng(6))),
                        "customer_id,date,amount\nC1,2024-01-02,10.50\n\"C,2\",2024-06-30,3\nC1,2023-12-31,0\n".getBytes(StandardCharsets.UTF_8));
                reader = in -> Rfm.table(Csv.read(Fuzz.write(f, in)), AS_OF, Rfm.Columns.defaults(), List.of());
                break;
            case "customers.csv":
                valid = List.of(csv(customers));
                reader = in -> Segmenter.run(Csv.read(Fuzz.write(f, in)), options, null);
                break;
            default: { // a segmentation's model.json, then new customers assigned with it
                Segmenter.Result r = Segmenter.run(customers, options, null);
                valid = List.of(Json.write(r.model().toJson()).getBytes(StandardCharsets.UTF_8));
                reader = in -> {
                    Fuzz.write(f, in);
                    SegmentModel.read(work).assign(customers);
                };
                break;
            }
        }
        // Messages name the file. Two exceptions: assigning names the customer table, which lives in
        // memory here. And Segmenter.run's own refusals of a table that parsed (k above the rows
        // there are, values that overflow when scaled) say what but not the file, as its option
        // errors do; omomi segment has one table, so its one line is still clear.
        String where = name.equals("transactions.csv") ? name : null;
        Fuzz.run("segment/" + name, valid, new Mutator(Fuzz.seed(21), WORDS), CASES, where, reader).assertClean().assertReachesBoth();
    }

    @org.junit.jupiter.api.Test
    void amountsBeyondMoneyAreRefusedRatherThanSummedExactly() throws Exception {
        for (String amount : new String[] {"1e999999999", "1e-999999999", "12\u0000", "1d"}) {
            Path f = dir.resolve("amounts.csv");
            Files.writeString(f, "customer_id,date,amount\nC1,2024-01-02,1\nC1,2024-01-03," + amount + "\n");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Rfm.table(Csv.read(f), AS_OF, Rfm.Columns.defaults(), List.of()));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(f + " line 3, column 'amount': "), e.getMessage());
            org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /**
     * The 10⁶ run's find (97 cases from case 28,000): a damaged header made a 500 KB id column name,
     * and the duplicate-id message quoted it, and the id, whole.
     */
    @org.junit.jupiter.api.Test
    void aDuplicateIdIsReportedOnOneShortLine() throws Exception {
        Path f = dir.resolve("long-id.csv");
        String name = "[".repeat(5000) + "id"; // a first column ending in "id" is the id
        Files.writeString(f, name + ",spend\n\"x\ny\",1\n\"x\ny\",2\nz,3\n");
        Csv.Table t = Csv.read(f);
        Segmenter.Options o = Segmenter.Options.defaults().withK(2).withSeed(1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Segmenter.run(t, o, null));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().length() < 400, e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("\n"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(f + " line "), e.getMessage());
    }

    /** The long run's find (case 63,577 of 10⁵): a column that is not an object gave a ClassCastException. */
    @org.junit.jupiter.api.Test
    void aSchemaColumnThatIsNotAnObjectIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Schema.fromJson(Map.of("columns", List.of(1.0))));
        org.junit.jupiter.api.Assertions.assertEquals("'columns'[0] must be an object", e.getMessage());
    }
}
