package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading interactions and item catalogues from tiny handwritten files in the layouts people have
 * (a CSV with a header, MovieLens 100K's u.data and u.item, ml-latest's ratings.csv and
 * movies.csv), and the errors for what is wrong: file and line.
 */
class InteractionFileTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = InteractionFileTest.class.getResourceAsStream(name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void movieLens100kUdataIsTabSeparatedWithoutAHeader() throws IOException {
        Path p = resource("u.data");
        assertEquals(InteractionFile.Layout.ML_100K, InteractionFile.detect(p));
        Interactions x = InteractionFile.read(p, InteractionFile.Layout.ML_100K);
        assertEquals(7, x.size());
        assertEquals(List.of("22", "186", "196", "244"), x.users().ids(), "numeric ids in numeric order");
        assertEquals(List.of("51", "242", "302", "377"), x.items().ids());
        assertTrue(x.explicit() && x.hasTimestamps());
        int u196 = x.users().index("196");
        int[] rows = x.byUser()[u196];
        assertEquals(2, rows.length);
        assertEquals("242", x.items().id(x.item(rows[0])), "time order: 881250949 before 881251010");
        assertEquals(3f, x.rating(rows[0]));
        assertEquals(881251010L, x.time(rows[1]));
    }

    @Test
    void movieLensLatestRatingsCsvIsTheCsvLayout() throws IOException {
        Path p = resource("ratings.csv");
        assertEquals(InteractionFile.Layout.CSV, InteractionFile.detect(p));
        Interactions x = InteractionFile.read(p, InteractionFile.Layout.parse("ml-latest", p));
        assertEquals(7, x.size());
        assertEquals(List.of("1", "2", "10"), x.users().ids());
        assertEquals(3.5f, x.rating(x.byUser()[x.users().index("2")][0]));
        assertEquals(List.of("1", "3", "6"), x.items().ids());
    }

    @Test
    void implicitCsvWithoutRatingsOrTimestampsMergesRepeatedPairs() throws IOException {
        Interactions x = InteractionFile.read(resource("implicit.csv"), InteractionFile.Layout.CSV);
        assertEquals(5, x.size(), "alice,book twice is one interaction");
        assertEquals(1, x.duplicatesDropped());
        assertFalse(x.explicit());
        assertFalse(x.hasTimestamps());
        assertEquals(List.of("alice", "bob", "carol"), x.users().ids(), "non-numeric ids in string order");
        assertArrayEquals(new int[] {2, 2, 1}, new int[] {x.byUser()[0].length, x.byUser()[1].length, x.byUser()[2].length});
    }

    @Test
    void aRepeatedPairKeepsItsLatestInteraction() throws IOException {
        Interactions x = InteractionFile.read(file("r.csv", "user,item,rating,timestamp\n1,5,2,100\n1,5,4,300\n1,5,3,200\n"),
                InteractionFile.Layout.CSV);
        assertEquals(1, x.size());
        assertEquals(4f, x.rating(0));
        assertEquals(300L, x.time(0));
    }

    @Test
    void catalogsOfTitlesAndGenres() throws IOException {
        ItemCatalog movies = ItemCatalog.read(resource("movies.csv"));
        assertEquals("Film Three, The (1995)", movies.title("3"));
        assertEquals(List.of("Action", "Crime", "Thriller"), movies.genres("6"));
        assertEquals("99", movies.title("99"), "an item without an entry shows as its id");
        ItemCatalog uitem = ItemCatalog.read(resource("u.item"));
        assertEquals("Film Fifty-One (1994)", uitem.title("51"));
        assertEquals(List.of("Drama", "Romance", "War"), uitem.genres("51"));
        assertEquals(List.of("Comedy"), uitem.genres("242"));
        String csv = movies.csv(List.of("6", "1"));
        assertTrue(csv.startsWith("item,title,genres\n6,Film Six (1995),Action|Crime|Thriller\n"), csv);
    }

    @Test
    void malformedLinesNameTheFileAndTheLine() throws IOException {
        Path tabs = file("u.data", "1\t2\t3\t100\n1\t3\t4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.read(tabs, InteractionFile.Layout.ML_100K));
        assertEquals(tabs + " line 2: 3 tab-separated fields; ml-100k's u.data has 4 (user, item, rating, timestamp)", e.getMessage());

        Path rating = file("a.csv", "user,item,rating\n1,2,4\n1,3,four\n");
        e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.read(rating, InteractionFile.Layout.CSV));
        assertEquals(rating + " line 3: rating 'four' is not a number", e.getMessage());

        Path time = file("t.csv", "user,item,rating,timestamp\n1,2,4,2020-01-01\n");
        e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.read(time, InteractionFile.Layout.CSV));
        assertTrue(e.getMessage().startsWith(time + " line 2: timestamp '2020-01-01' is not a whole number"), e.getMessage());

        Path width = file("w.csv", "user,item\n1,2\n3\n");
        e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.read(width, InteractionFile.Layout.CSV));
        assertTrue(e.getMessage().startsWith(width + " line 3: 1 fields, but the header has 2"), e.getMessage());

        Path header = file("h.csv", "customer,product\n1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.read(header, InteractionFile.Layout.CSV));
        assertTrue(e.getMessage().startsWith(header + " line 1: no column 'user' or 'userId' or 'user_id'"), e.getMessage());

        Path empty = file("e.csv", "user,item\n1,\n");
        e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.read(empty, InteractionFile.Layout.CSV));
        assertEquals(empty + " line 2: the item id is empty", e.getMessage());

        Path flags = file("u.item", "1|T|d||u|0|0|0|0|0|0|0|0|2|0|0|0|0|0|0|0|0|0|0\n");
        e = assertThrows(IllegalArgumentException.class, () -> ItemCatalog.read(flags));
        assertEquals(flags + " line 1: genre flag 9 is '2', not 0 or 1", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> InteractionFile.Layout.parse("ml-20m", tabs));
        assertTrue(e.getMessage().contains("unknown interaction format 'ml-20m'"), e.getMessage());
    }

    @Test
    void unknownIdsSayWhatTheDataHas() throws IOException {
        Interactions x = InteractionFile.read(resource("ratings.csv"), InteractionFile.Layout.CSV);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.users().index("42"));
        assertEquals("unknown user '42': the data has 3 users (1, 2, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.items().index("x"));
        assertEquals("unknown item 'x': the data has 3 items (1, 3, 6)", e.getMessage());
    }
}
