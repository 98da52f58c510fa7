package org.omomi.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CSV file with a header row (RFC 4180: comma-separated, fields may be double-quoted, quotes
 * inside doubled, line breaks inside quotes allowed; UTF-8, with or without a byte-order mark).
 * Every row must have as many fields as the header; errors name the file and the line.
 */
public final class Csv {

    /** The header, the rows, and the line on which each row starts (for error messages). */
    public record Table(Path file, List<String> header, List<String[]> rows, int[] lines) {

        /** The index of a column, or an error listing the columns there are. */
        public int column(String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException(file + ": no column '" + name + "'; the columns are " + header);
            }
            return i;
        }

        /** The rows at these positions, as a table of their own. */
        public Table select(int[] positions) {
            List<String[]> r = new ArrayList<>(positions.length);
            int[] l = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                r.add(rows.get(positions[i]));
                l[i] = lines[positions[i]];
            }
            return new Table(file, header, r, l);
        }
    }

    private Csv() {}

    public static Table read(Path file) throws IOException {
        String text;
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1 << 16];
            int n;
            while ((n = r.read(buf)) > 0) {
                sb.append(buf, 0, n);
            }
            text = sb.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String[]> records = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        parse(file, text, records, starts);
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty; expected a header row");
        }
        List<String> header = List.of(records.get(0));
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (h.isBlank()) {
                throw new IllegalArgumentException(file + " line 1: a column has no name");
            }
            if (!seen.add(h)) {
                throw new IllegalArgumentException(file + " line 1: column '" + h + "' appears twice");
            }
        }
        List<String[]> rows = new ArrayList<>();
        int[] lines = new int[records.size() - 1];
        for (int i = 1; i < records.size(); i++) {
            String[] r = records.get(i);
            if (r.length != header.size()) {
                throw new IllegalArgumentException(file + " line " + starts.get(i) + ": " + r.length + " fields, but the header has "
                        + header.size());
            }
            rows.add(r);
            lines[i - 1] = starts.get(i);
        }
        return new Table(file, header, rows, lines);
    }

    private static void parse(Path file, String text, List<String[]> records, List<Integer> starts) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordStart = 1;
        boolean quoted = false;
        boolean fieldStarted = false;
        boolean closedQuote = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    closedQuote = true;
                    i++;
                    continue;
                }
                if (c == '\n') {
                    line++;
                }
                field.append(c);
                i++;
                continue;
            }
            if (c == '"' && field.length() == 0 && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
                i++;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
                closedQuote = false;
                i++;
            } else if (c == '\r' || c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
                closedQuote = false;
                if (!(fields.size() == 1 && fields.get(0).isEmpty())) { // skip blank lines
                    records.add(fields.toArray(new String[0]));
                    starts.add(recordStart);
                }
                fields.clear();
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                i++;
                line++;
                recordStart = line;
            } else {
                if (closedQuote) {
                    throw new IllegalArgumentException(file + " line " + line + ": text after a closing quote");
                }
                field.append(c);
                fieldStarted = true;
                i++;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + " line " + recordStart + ": a quoted field is never closed");
        }
        if (field.length() > 0 || !fields.isEmpty() || fieldStarted) {
            fields.add(field.toString());
            records.add(fields.toArray(new String[0]));
            starts.add(recordStart);
        }
    }

    /** Writes a table as CSV text, quoting fields that need it. */
    public static String format(List<String> header, List<String[]> rows) {
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header.toArray(new String[0]));
        for (String[] r : rows) {
            appendRow(sb, r);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields[i];
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        sb.append('\n');
    }

    /** Missing-value markers: an empty field, NA, N/A, NaN, null, or ?, in any case. */
    public static boolean isMissing(String field) {
        String f = field.strip();
        return f.isEmpty() || Arrays.asList("na", "n/a", "nan", "null", "?").contains(f.toLowerCase(java.util.Locale.ROOT));
    }
}
