package org.omomi.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.Csv;
import org.omomi.io.Json;

class SchemaTest {

    @TempDir
    Path dir;

    private Csv.Table csv(String text) throws Exception {
        Path f = dir.resolve("customers.csv");
        Files.writeString(f, text);
        return Csv.read(f);
    }

    @Test
    void idNumericAndCategoricalColumns() throws Exception {
        Csv.Table t = csv("CustomerID,age,plan,spend\nx1,30,basic,10\nx2,NA,pro,20\nx3,50,basic,\n");
        Schema s = Schema.fit(t, null, Set.of(), Set.of());
        assertEquals("CustomerID", s.idColumn());
        assertEquals(List.of("age", "plan=basic", "plan=pro", "spend"), s.features());
        assertArrayEquals(new boolean[] {false, true, true, false}, s.indicators());
        Customers c = s.encode(t);
        assertEquals(List.of("x1", "x2", "x3"), c.ids());
        // Missing numbers become the column's mean: age (30 + 50) / 2, spend (10 + 20) / 2.
        assertArrayEquals(new float[] {30, 1, 0, 10, 40, 0, 1, 20, 50, 1, 0, 15}, c.values().toArray(), 0f);
        Schema back = Schema.fromJson(castMap(Json.parse(Json.write(s.toJson()))));
        assertArrayEquals(c.values().toArray(), back.encode(t).values().toArray(), 0f, "the saved schema reads the same");
        // A category seen only later is all zeros.
        Csv.Table later = csv("CustomerID,age,plan,spend\ny,40,gold,5\n");
        assertArrayEquals(new float[] {40, 0, 0, 5}, back.encode(later).values().toArray(), 0f);
    }

    @Test
    void withoutAnIdCustomersAreRowNumbers() throws Exception {
        Csv.Table t = csv("age,spend\n30,1\n40,2\n");
        Schema s = Schema.fit(t, null, Set.of(), Set.of("age"));
        assertNull(s.idColumn());
        assertEquals(List.of("age=30", "age=40", "spend"), s.features());
        assertEquals(List.of("1", "2"), s.encode(t).ids());
    }

    @Test
    void aNonNumericValueNamesTheFileAndLine() throws Exception {
        Csv.Table t = csv("id,age,spend\na,30,1\nb,forty,2\nc,50,3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schema.fit(t, null, Set.of(), Set.of()));
        assertEquals(dir.resolve("customers.csv") + " line 3, column 'age': 'forty' is not a number (the column is numeric)", e.getMessage());
        Schema s = Schema.fit(csv("id,age\na,30\n"), null, Set.of(), Set.of());
        Csv.Table fresh = csv("id,age\nz,old\n");
        e = assertThrows(IllegalArgumentException.class, () -> s.encode(fresh));
        assertEquals(dir.resolve("customers.csv") + " line 2, column 'age': 'old' is not a number (the column is numeric)", e.getMessage());
    }

    @Test
    void duplicateIdsAndMissingColumnsAreErrors() throws Exception {
        Csv.Table t = csv("id,age\na,1\nb,2\na,3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schema.fit(t, null, Set.of(), Set.of()));
        assertEquals(dir.resolve("customers.csv") + " line 4, column 'id': id 'a' also appears on line 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schema.fit(t, "nope", Set.of(), Set.of()));
        Schema s = Schema.fit(csv("id,age\na,1\n"), null, Set.of(), Set.of());
        assertThrows(IllegalArgumentException.class, () -> s.encode(csv("id,height\na,1\n")));
    }

    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> castMap(Object o) {
        return (java.util.Map<String, Object>) o;
    }
}
