package org.omomi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Csv#stream}: the same rows, lines and errors as {@link Csv#read}, one row at a time. */
class CsvStreamTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Every row of a streamed file, with its line, checked against the whole-file reader's. */
    private static List<Csv.Row> streamAll(Path file) throws IOException {
        List<Csv.Row> rows = new ArrayList<>();
        try (Csv.Reader r = Csv.stream(file)) {
            for (Csv.Row row = r.next(); row != null; row = r.next()) {
                rows.add(row);
            }
            assertNull(r.next(), "the end stays the end");
            Csv.Table t = Csv.read(file);
            assertEquals(t.header(), r.header());
            assertEquals(t.rows().size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(t.rows().get(i), rows.get(i).fields(), "row " + i);
                assertEquals(t.lines()[i], rows.get(i).line(), "line of row " + i);
            }
        }
        return rows;
    }

    static Stream<Arguments> trickyInputs() {
        return Stream.of(
                // text, expected fields of each row (| between fields, ; between rows), expected lines
                Arguments.of("a,b\n1,2\n", "1|2", new int[] {2}),
                Arguments.of("a,b\r\n1,2\r\n3,4", "1|2;3|4", new int[] {2, 3}),
                Arguments.of("\uFEFFa,b\n1,2\n", "1|2", new int[] {2}),
                Arguments.of("a,b\n\n\r\n1,2\n\n3,4\n\n", "1|2;3|4", new int[] {4, 6}),
                Arguments.of("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "x,y|say \"hi\"", new int[] {2}),
                Arguments.of("a,b\n\"two\nlines\",2\n\"three\r\nmore\nlines\",3\n4,5\n", "two\nlines|2;three\r\nmore\nlines|3;4|5",
                        new int[] {2, 4, 7}),
                Arguments.of("a,b\n,\n\"\",x\n", "|;|x", new int[] {2, 3}),
                Arguments.of("a,b\nx\"y,z\n", "x\"y|z", new int[] {2}),
                Arguments.of("a,b\r1,2\r3,4\r", "1|2;3|4", new int[] {2, 3}),
                Arguments.of("名前,値\n重み,１\n\"é, ü\",😀\n", "重み|１;é, ü|😀", new int[] {2, 3}),
                Arguments.of("a,b\nNA, ?\n", "NA| ?", new int[] {2}));
    }

    @ParameterizedTest
    @MethodSource("trickyInputs")
    void streamsTheRowsAndLinesReadFinds(String text, String expected, int[] lines) throws IOException {
        List<Csv.Row> rows = streamAll(write("t.csv", text));
        String[] want = expected.split(";", -1);
        assertEquals(want.length, rows.size());
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i].split("\\|", -1), rows.get(i).fields(), "row " + i);
            assertEquals(lines[i], rows.get(i).line(), "line of row " + i);
        }
    }

    @Test
    void missingValuesFollowTheSameRules() throws IOException {
        List<Csv.Row> rows = streamAll(write("m.csv", "a,b,c\nNA,,\" n/a \"\n?,NaN,null\n1,x,2\n"));
        boolean[][] want = {{true, true, true}, {true, true, true}, {false, false, false}};
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(want[i][j], Csv.isMissing(rows.get(i).fields()[j]), "row " + i + " field " + j);
            }
        }
    }

    /**
     * Seeded random files (quotes, commas, doubled quotes and line breaks inside fields, CR LF or
     * LF, blank lines, multi-byte characters), long enough to cross the reader's buffers: both
     * readers return exactly the fields written, on the lines they were written.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomFilesRoundTrip(long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] pieces = {"a", "42", "-7", "", " ", ",", "\"", "\n", "\r\n", "重み", "é", "😀", "x y", "NA"};
        int cols = 1 + rng.nextInt(5);
        StringBuilder text = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int line = 1;
        String[] header = new String[cols];
        for (int c = 0; c < cols; c++) {
            header[c] = "c" + c;
        }
        text.append(String.join(",", header)).append('\n');
        line++;
        for (int r = 0; r < 4000; r++) {
            if (rng.nextInt(20) == 0) {
                text.append(rng.nextBoolean() ? "\n" : "\r\n");
                line++;
            }
            String[] row = new String[cols];
            StringBuilder raw = new StringBuilder();
            int breaks = 0;
            for (int c = 0; c < cols; c++) {
                StringBuilder f = new StringBuilder();
                for (int k = rng.nextInt(4); k > 0; k--) {
                    f.append(pieces[rng.nextInt(pieces.length)]);
                }
                // A row of one empty field is a blank line, which CSV cannot tell apart: give it text.
                if (cols == 1 && f.length() == 0) {
                    f.append('z');
                }
                row[c] = f.toString();
                String s = row[c];
                boolean quote = s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || rng.nextInt(4) == 0;
                if (c > 0) {
                    raw.append(',');
                }
                raw.append(quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
                breaks += (int) s.chars().filter(ch -> ch == '\n').count();
            }
            rows.add(row);
            lines.add(line);
            text.append(raw).append(rng.nextBoolean() ? "\n" : "\r\n");
            line += 1 + breaks;
        }
        Path file = write("random.csv", text.toString());
        List<Csv.Row> got = streamAll(file);
        assertEquals(rows.size(), got.size());
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(rows.get(i), got.get(i).fields(), "row " + i);
            assertEquals(lines.get(i), got.get(i).line(), "line of row " + i);
        }
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("a,b\n1,2\n3\n", " line 3: 1 fields, but the header has 2"),
                Arguments.of("a,b\n1,2\n3,\"4\n5,6\n", " line 3: a quoted field is never closed"),
                Arguments.of("a,b\n1,2\n\"x\"y,2\n", " line 3: text after a closing quote"),
                Arguments.of("a,b\n\"multi\nline\"x,1\n", " line 3: text after a closing quote"),
                Arguments.of("a,a\n1,2\n", " line 1: column 'a' appears twice"),
                Arguments.of("a, \n1,2\n", " line 1: a column has no name"),
                Arguments.of("", ": empty; expected a header row"),
                Arguments.of("\n\r\n", ": empty; expected a header row"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void errorsAreReadsErrorsWithFileAndLine(String text, String message) throws IOException {
        Path file = write("bad.csv", text);
        IllegalArgumentException whole = assertThrows(IllegalArgumentException.class, () -> Csv.read(file));
        assertEquals(file + message, whole.getMessage());
        IllegalArgumentException streamed = assertThrows(IllegalArgumentException.class, () -> {
            try (Csv.Reader r = Csv.stream(file)) {
                while (r.next() != null) {
                    // read to the error
                }
            }
        });
        assertEquals(file + message, streamed.getMessage());
    }

    @Test
    void rowsBeforeAnErrorAreReturnedFirst() throws IOException {
        Path file = write("late.csv", "a,b\n1,2\n3,4\n5\n");
        try (Csv.Reader r = Csv.stream(file)) {
            assertArrayEquals(new String[] {"1", "2"}, r.next().fields());
            assertArrayEquals(new String[] {"3", "4"}, r.next().fields());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::next);
            assertEquals(file + " line 4: 1 fields, but the header has 2", e.getMessage());
        }
    }

    @Test
    void columnsAreFoundByName() throws IOException {
        Path file = write("c.csv", "id,value\n1,2\n");
        try (Csv.Reader r = Csv.stream(file)) {
            assertEquals(1, r.column("value"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.column("nope"));
            assertEquals(file + ": no column 'nope'; the columns are [id, value]", e.getMessage());
            assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class, () -> Csv.read(file).column("nope")).getMessage());
        }
    }

    /** A malformed byte far past the first buffer is reported on its own line, after the rows before it. */
    @Test
    void textThatIsNotUtf8IsReportedWithItsLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("id,note\n".getBytes(StandardCharsets.UTF_8));
        int rows = 20_000; // about 300 KB, several buffers
        for (int i = 0; i < rows; i++) {
            bytes.writeBytes((i + ",重み" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes("x,".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // a lead byte followed by a non-continuation byte
        bytes.write('(');
        bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("latin.csv");
        Files.write(file, bytes.toByteArray());

        IllegalArgumentException whole = assertThrows(IllegalArgumentException.class, () -> Csv.read(file));
        assertEquals(file + ": not UTF-8 text", whole.getMessage());
        try (Csv.Reader r = Csv.stream(file)) {
            for (int i = 0; i < rows; i++) {
                Csv.Row row = r.next();
                assertNotNull(row);
                assertEquals(String.valueOf(i), row.fields()[0]);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::next);
            assertEquals(file + " line " + (rows + 2) + ": not UTF-8 text", e.getMessage());
        }
    }

    /** A truncated multi-byte character at the very end is malformed too. */
    @Test
    void aTruncatedCharacterAtTheEndIsNotUtf8() throws IOException {
        Path file = dir.resolve("cut.csv");
        byte[] head = "a\n1\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xE9; // first two bytes of a three-byte character
        all[head.length + 1] = (byte) 0x87;
        Files.write(file, all);
        try (Csv.Reader r = Csv.stream(file)) {
            assertEquals(2, r.next().line());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::next);
            assertEquals(file + " line 3: not UTF-8 text", e.getMessage());
        }
    }
}
