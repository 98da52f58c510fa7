package org.omomi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.io.Json;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.IntTensor;

/** Categorical columns as ids: vocabularies with out-of-vocabulary ids, a minimum count, and the hashing trick. */
class TabularIdsTest {

    @TempDir
    Path dir;

    private Csv.Table table(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return Csv.read(p);
    }

    static final String TRAIN = "age,site,device,clicked\n"
            + "20,news,mobile,1\n30,news,desktop,0\n40,shop,mobile,1\n50,blog,,0\n60,news,mobile,1\n";

    @Test
    @SuppressWarnings("unchecked")
    void vocabularyIdsWithAnOutOfVocabularyIdPerColumn() throws IOException {
        Tabular t = Tabular.fit(table("train.csv", TRAIN), "clicked", null, true, Tabular.Encoding.INDEX, Set.of(), new Tabular.Ids(2, 0));
        assertEquals(List.of("site", "device"), t.idColumns());
        assertEquals(1, t.inputSize(), "the float input holds the numeric column");
        // site: news (3 times) only; shop and blog are rarer than 2 → OOV. device: mobile (3); desktop, (missing) → OOV.
        assertEquals((1 + 1) + (1 + 1), t.idCount());
        Csv.Table test = table("test.csv", "age,site,device,clicked\n25,news,mobile,0\n35,shop,desktop,1\n45,radio,tv,0\n");
        Inputs in = t.encode(test);
        assertEquals(Set.of(Tabular.DENSE, Tabular.IDS), in.names());
        assertArrayEquals(new int[] {0, 2, 1, 3, 1, 3}, in.ids(Tabular.IDS).toArray(),
                "news=0, site OOV=1; mobile=2, device OOV=3; unseen values share their column's OOV id");
        Tabular back = Tabular.fromJson((Map<String, Object>) Json.parse(Json.write(t.toJson())));
        assertEquals(in.ids(Tabular.IDS), back.encode(test).ids(Tabular.IDS), "saved and read back, the same ids");
        assertEquals(List.of("age", "site", "device"), t.inputFeatures());
        Dataset d = t.dataset(test);
        assertTrue(d instanceof InputsDataset);
        assertEquals(3, d.size());
    }

    @Test
    void hashingPutsColumnNameAndValueIntoTheKey() throws IOException {
        Tabular t = Tabular.fit(table("train.csv", TRAIN), "clicked", null, true, Tabular.Encoding.INDEX, Set.of(), new Tabular.Ids(1, 1 << 20));
        assertEquals(1 << 20, t.idCount());
        IntTensor ids = t.encode(table("t.csv", "age,site,device,clicked\n20,news,mobile,1\n20,radio,mobile,1\n")).ids(Tabular.IDS);
        assertEquals(Tabular.hashedId("site", "news", 1 << 20), ids.get(0, 0));
        assertEquals(Tabular.hashedId("site", "radio", 1 << 20), ids.get(1, 0), "unseen values get their own hashed id");
        assertNotEquals(Tabular.hashedId("site", "mobile", 1 << 20), Tabular.hashedId("device", "mobile", 1 << 20),
                "the same value in two columns lands apart");
        for (int i = 0; i < 2; i++) {
            for (int f = 0; f < 2; f++) {
                assertTrue(ids.get(i, f) >= 0 && ids.get(i, f) < 1 << 20);
            }
        }
        // 64-bit FNV-1a of "site=news" is 0xf633b88c8feeaa52 (computed apart, in Python): the hash must not change
        // between versions, or a saved model would read the wrong rows.
        assertEquals(Math.floorMod(0xf633b88c8feeaa52L, 1L << 20), Tabular.hashedId("site", "news", 1 << 20));
    }
}
