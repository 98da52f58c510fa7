package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Criteo's layout and CSV logs: fields, labels, missing values, and malformed rows named by file and line. */
class LogReadersTest {

    @TempDir
    Path dir;

    private static String criteoRow(String label, String i3, int fields) {
        List<String> f = new ArrayList<>();
        if (label != null) {
            f.add(label);
        }
        for (int i = 1; i <= 13; i++) {
            f.add(i == 3 ? i3 : i == 5 ? "" : Integer.toString(i * 7 - 30));
        }
        for (int i = 1; i <= 26; i++) {
            f.add(i == 4 ? "" : String.format("%08x", i * 0x9e3779b9L & 0xffffffffL));
        }
        while (f.size() > fields) {
            f.remove(f.size() - 1);
        }
        return String.join("\t", f);
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static List<LogRow> all(LogReader r) throws IOException {
        List<LogRow> out = new ArrayList<>();
        for (LogRow row = r.next(); row != null; row = r.next()) {
            out.add(row);
        }
        return out;
    }

    @Test
    void criteoRowsGiveTheLabelThirteenIntegersAndTwentySixCategories() throws IOException {
        Path p = file("day.tsv", criteoRow("1", "42", 40) + "\n" + criteoRow("0", "-2", 40) + "\r\n\n" + criteoRow("0", "", 40));
        try (LogReader r = ClickLog.of(p, LogFormat.CRITEO).open()) {
            List<LogRow> rows = all(r);
            assertEquals(3, rows.size(), "the blank line is skipped");
            assertEquals(LogFormat.criteoFields(), r.fields());
            assertEquals(1f, rows.get(0).label());
            assertEquals("42", rows.get(0).values()[2]);
            assertEquals("", rows.get(0).values()[4], "an empty field is missing");
            assertEquals("-2", rows.get(1).values()[2]);
            assertEquals("", rows.get(0).values()[13 + 3]);
            assertEquals(String.format("%08x", 0x9e3779b9L), rows.get(0).values()[13]);
            assertEquals(List.of(1, 2, 4), List.of(rows.get(0).line(), rows.get(1).line(), rows.get(2).line()));
        }
    }

    @Test
    void malformedCriteoRowsAreNamedByFileAndLine() throws IOException {
        Path wrongWidth = file("a.tsv", criteoRow("1", "3", 40) + "\n" + criteoRow("1", "3", 38) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all(ClickLog.of(wrongWidth, LogFormat.CRITEO).open()));
        assertEquals(wrongWidth + " line 2: 38 tab-separated fields, expected 40 (label, 13 integers, 26 categories)", e.getMessage());
        Path notInteger = file("b.tsv", criteoRow("0", "3.5", 40) + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> all(ClickLog.of(notInteger, LogFormat.CRITEO).open()));
        assertEquals(notInteger + " line 1: I3 must be an integer or empty, got '3.5'", e.getMessage());
        Path badLabel = file("c.tsv", criteoRow("yes", "3", 40) + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> all(ClickLog.of(badLabel, LogFormat.CRITEO).open()));
        assertEquals(badLabel + " line 1: the label must be 0 or 1, got 'yes'", e.getMessage());
    }

    @Test
    void skippingBadRowsCountsThemAndKeepsTheRest() throws IOException {
        Path p = file("d.tsv", criteoRow("1", "3", 40) + "\n" + criteoRow("0", "x", 40) + "\n" + criteoRow("1", "3", 39) + "\n"
                + criteoRow("0", "9", 40) + "\n");
        try (LogReader r = ClickLog.of(p, LogFormat.CRITEO).skippingBadRows(true).open()) {
            List<LogRow> rows = all(r);
            assertEquals(List.of(1, 4), rows.stream().map(LogRow::line).toList());
            assertEquals(2, r.skipped());
            assertEquals(p + " line 2: I3 must be an integer or empty, got 'x'", r.firstSkipped());
        }
    }

    @Test
    void forPredictionACriteoLogMayLackItsLabel() throws IOException {
        Path p = file("e.tsv", criteoRow(null, "5", 39) + "\n" + criteoRow(null, "6", 39) + "\n");
        try (LogReader r = ClickLog.of(p, LogFormat.CRITEO).openFor(LogFormat.criteoFields())) {
            List<LogRow> rows = all(r);
            assertEquals(2, rows.size());
            assertTrue(Float.isNaN(rows.get(0).label()));
            assertEquals("5", rows.get(0).values()[2]);
        }
        Path mixed = file("f.tsv", criteoRow(null, "5", 39) + "\n" + criteoRow("1", "6", 40) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> all(ClickLog.of(mixed, LogFormat.CRITEO).openFor(LogFormat.criteoFields())));
        assertEquals(mixed + " line 2: 40 tab-separated fields, expected 39 (13 integers, 26 categories)", e.getMessage());
    }

    @Test
    void csvLogsNameTheirLabelTheirTruthAndTheirMalformedRows() throws IOException {
        Path p = file("g.csv", "click,site,true_probability,age\n1,a,0.25,30\n0,b,0.5,40\n");
        try (LogReader r = ClickLog.of(p, LogFormat.CSV).open()) {
            assertEquals(List.of("site", "age"), r.fields(), "true_probability is the truth, never a feature");
            LogRow first = r.next();
            assertEquals(1f, first.label());
            assertEquals(0.25, first.truth());
            assertEquals(2, first.line());
        }
        Path noLabel = file("h.csv", "clicked,site\n1,a\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClickLog.of(noLabel, LogFormat.CSV).open());
        assertTrue(e.getMessage().startsWith(noLabel + ": no label column 'click'"), e.getMessage());
        Path width = file("i.csv", "click,site\n1,a\n0,b,extra\n");
        e = assertThrows(IllegalArgumentException.class, () -> all(ClickLog.of(width, LogFormat.CSV).open()));
        assertEquals(width + " line 3: 3 fields, but the header has 2", e.getMessage());
        Path label = file("j.csv", "click,site\n2,a\n");
        e = assertThrows(IllegalArgumentException.class, () -> all(ClickLog.of(label, LogFormat.CSV).open()));
        assertEquals(label + " line 2: the label 'click' must be 0 or 1, got '2'", e.getMessage());
        try (LogReader r = ClickLog.of(width, LogFormat.CSV).skippingBadRows(true).open()) {
            assertEquals(1, all(r).size());
            assertEquals(1, r.skipped());
        }
    }

    @Test
    void aNumberColumnWithAWordInItIsAMalformedRowOfTheFirstPass() throws IOException {
        StringBuilder sb = new StringBuilder("click,age\n");
        for (int i = 0; i < 50; i++) {
            sb.append(i % 2).append(',').append(20 + i).append('\n');
        }
        sb.append("1,old\n");
        Path p = file("k.csv", sb.toString());
        Split all = new Split(1, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureLearner.learn(ClickLog.of(p, LogFormat.CSV), FeatureOptions.defaults(LogFormat.CSV), all, Progress.NONE));
        assertEquals(p + " line 52: 'age' must be a number, got 'old'", e.getMessage());
        FeatureLearner.Learned l = FeatureLearner.learn(ClickLog.of(p, LogFormat.CSV).skippingBadRows(true),
                FeatureOptions.defaults(LogFormat.CSV), all, Progress.NONE);
        assertEquals(50, l.trainRows());
        assertEquals(1, l.skipped());
        assertFalse(l.features().numericNames().isEmpty());
    }
}
