package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.Csv;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

class RfmTest {

    @TempDir
    Path dir;

    private Csv.Table log(String text) throws Exception {
        Path f = dir.resolve("tx.csv");
        Files.writeString(f, text);
        return Csv.read(f);
    }

    @Test
    void exactValuesOnAHandWrittenLog() throws Exception {
        Csv.Table log = log("""
                customer_id,date,amount,region
                a,2024-12-01,10.10,east
                b,2024-12-30,5,west
                a,2024-12-20,20.20,east
                a,2024-12-31T18:30:00,0.01,east
                c,2025-01-02,99,north
                b,2024-11-01,-2.50,west
                """);
        LocalDate asOf = LocalDate.of(2024, 12, 31);
        List<Rfm.Row> rows = Rfm.of(log, asOf, Rfm.Columns.defaults());
        // a: last bought on the as-of day; 3 purchases; 10.10 + 20.20 + 0.01 exactly.
        assertEquals(new Rfm.Row("a", 0, 3, new BigDecimal("30.31")), rows.get(0));
        // b: last on Dec 30 (1 day); a refund counts as a transaction and lowers the total.
        assertEquals(new Rfm.Row("b", 1, 2, new BigDecimal("2.50")), rows.get(1));
        assertEquals(2, rows.size(), "c bought only after the as-of date");
        Csv.Table t = Rfm.table(log, asOf, Rfm.Columns.defaults(), List.of("region"));
        assertEquals(List.of("customer_id", "recency_days", "frequency", "monetary", "region"), t.header());
        assertEquals(List.of("a", "0", "3", "30.31", "east"), List.of(t.rows().get(0)));
        assertEquals(List.of("b", "1", "2", "2.50", "west"), List.of(t.rows().get(1)));
        // 31 days later, recency grows by 31 for both.
        assertEquals(31, Rfm.of(log, asOf.plusDays(31), Rfm.Columns.defaults()).get(0).recencyDays());
    }

    @Test
    void badValuesNameTheFileLineAndColumn() throws Exception {
        Csv.Table log = log("customer_id,date,amount\na,2024-12-01,10\nb,2024-13-01,5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rfm.of(log, LocalDate.of(2025, 1, 1), Rfm.Columns.defaults()));
        assertEquals(dir.resolve("tx.csv") + " line 3, column 'date': '2024-13-01' is not a date (expected YYYY-MM-DD)", e.getMessage());
        Csv.Table money = log("customer_id,date,amount\na,2024-12-01,ten\n");
        e = assertThrows(IllegalArgumentException.class, () -> Rfm.of(money, LocalDate.of(2025, 1, 1), Rfm.Columns.defaults()));
        assertEquals(dir.resolve("tx.csv") + " line 2, column 'amount': 'ten' is not an amount", e.getMessage());
        Csv.Table changing = log("customer_id,date,amount,region\na,2024-12-01,1,east\na,2024-12-02,1,west\n");
        e = assertThrows(IllegalArgumentException.class, () -> Rfm.table(changing, LocalDate.of(2025, 1, 1), Rfm.Columns.defaults(), List.of("region")));
        assertTrue(e.getMessage().startsWith(dir.resolve("tx.csv") + " line 3, column 'region': customer 'a' has 'west' here but 'east' on line 2"), e.getMessage());
        Csv.Table early = log("customer_id,date,amount\na,2025-12-01,1\n");
        assertThrows(IllegalArgumentException.class, () -> Rfm.of(early, LocalDate.of(2025, 1, 1), Rfm.Columns.defaults()));
    }

    @Test
    void rfmAndKMeansFindThePlantedCustomerTypes() {
        LocalDate asOf = LocalDate.of(2025, 1, 1);
        Csv.Table log = Synthetic.transactions(1000, asOf, new Rng(16));
        Csv.Table t = Rfm.table(log, asOf, Rfm.Columns.defaults(), List.of("type"));
        Schema s = Schema.fit(t, null, Set.of("type"), Set.of());
        Customers c = s.encode(t);
        int col = t.column("type");
        int[] truth = t.rows().stream().mapToInt(r -> Synthetic.TYPES.indexOf(r[col])).toArray();
        Tensor x = Scaling.fit(Scaling.Kind.LOG, c.values(), s.indicators(), c.features()).apply(c.values(), c.features());
        double ari = Agreement.adjustedRandIndex(truth, KMeans.fit(x, KMeans.Options.of(4), new Rng(1)).labels());
        Tensor std = Scaling.fit(Scaling.Kind.STANDARD, c.values(), s.indicators(), c.features()).apply(c.values(), c.features());
        double ariStd = Agreement.adjustedRandIndex(truth, KMeans.fit(std, KMeans.Options.of(4), new Rng(1)).labels());
        System.out.printf("RFM: %d customers, %d transactions; k-means ARI %.4f with log scaling, %.4f standardised%n", t.rows().size(),
                log.rows().size(), ari, ariStd);
        assertEquals(1000, t.rows().size());
        assertTrue(ari >= 0.70, "ARI " + ari);
    }
}
