package org.omomi.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.omomi.io.JsonFields;

/**
 * A CSV file with a header row (RFC 4180: comma-separated, fields may be double-quoted, quotes
 * inside doubled, line breaks inside quotes allowed; UTF-8, with or without a byte-order mark).
 * Every row must have as many fields as the header; errors name the file and the line. Blank
 * lines are skipped. {@link #read} holds a whole file in memory; {@link #stream} reads one row at a
 * time, for files of any size; both parse with the same code.
 */
public final class Csv {

    /** The header, the rows, and the line on which each row starts (for error messages). */
    public record Table(Path file, List<String> header, List<String[]> rows, int[] lines) {

        /** The index of a column, or an error listing the columns there are. */
        public int column(String name) {
            return Csv.column(file, header, name);
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

    /** One row of a {@link Reader}: its fields, as many as the header's, and the line it starts on. */
    public record Row(String[] fields, int line) {}

    /**
     * A CSV file read one row at a time, in one pass: memory holds the current row and two fixed
     * buffers (96 KiB), whatever the file's size. The dialect, the checks and the error messages
     * are those of {@link #read}, which parses with the same code; an error is raised when the
     * reader reaches it, so the rows before it have already been returned. Close it
     * (try-with-resources) to release the file.
     */
    public static final class Reader implements AutoCloseable {

        private final Parser parser;
        private final List<String> header;

        private Reader(Parser parser) throws IOException {
            this.parser = parser;
            String[] first = parser.next();
            if (first == null) {
                throw new IllegalArgumentException(parser.file + ": empty; expected a header row");
            }
            this.header = checkHeader(parser.file, first);
        }

        /** The file being read. */
        public Path file() {
            return parser.file;
        }

        /** The column names, from the file's first row. */
        public List<String> header() {
            return header;
        }

        /** The index of a column, or an error listing the columns there are (as {@link Table#column}). */
        public int column(String name) {
            return Csv.column(parser.file, header, name);
        }

        /** The next row, or null after the last. Blank lines are skipped. */
        public Row next() throws IOException {
            String[] r = parser.next();
            if (r == null) {
                return null;
            }
            checkWidth(parser.file, header, r, parser.recordStart);
            return new Row(r, parser.recordStart);
        }

        @Override
        public void close() throws IOException {
            parser.in.close();
        }
    }

    private Csv() {}

    /** Reads a whole file into memory; for files larger than memory use {@link #stream}. */
    public static Table read(Path file) throws IOException {
        String text;
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder()))) {
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
        // The whole text is parsed before any row is checked, so a syntax error anywhere is
        // reported before a wrong number of fields.
        Parser parser = new Parser(file, new StringReader(text));
        List<String[]> records = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (String[] r = parser.next(); r != null; r = parser.next()) {
            records.add(r);
            starts.add(parser.recordStart);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty; expected a header row");
        }
        List<String> header = checkHeader(file, records.get(0));
        List<String[]> rows = new ArrayList<>();
        int[] lines = new int[records.size() - 1];
        for (int i = 1; i < records.size(); i++) {
            String[] r = records.get(i);
            checkWidth(file, header, r, starts.get(i));
            rows.add(r);
            lines[i - 1] = starts.get(i);
        }
        return new Table(file, header, rows, lines);
    }

    /**
     * Opens a file to be read one row at a time, its header read and checked; the same dialect
     * and errors as {@link #read}, except that text that is not UTF-8 is reported with its line.
     */
    public static Reader stream(Path file) throws IOException {
        java.io.Reader in = new Utf8Reader(Files.newInputStream(file));
        try {
            return new Reader(new Parser(file, in));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    }

    private static List<String> checkHeader(Path file, String[] names) {
        List<String> header = List.of(names);
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (h.isBlank()) {
                throw new IllegalArgumentException(file + " line 1: a column has no name");
            }
            if (!seen.add(h)) {
                throw new IllegalArgumentException(file + " line 1: column '" + JsonFields.printable(h) + "' appears twice");
            }
        }
        return header;
    }

    private static void checkWidth(Path file, List<String> header, String[] row, int line) {
        if (row.length != header.size()) {
            throw new IllegalArgumentException(file + " line " + line + ": " + row.length + " fields, but the header has "
                    + header.size());
        }
    }

    private static int column(Path file, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(file + ": no column '" + JsonFields.printable(name) + "'; the columns are "
                    + JsonFields.printable(String.valueOf(header)));
        }
        return i;
    }

    /**
     * The one CSV parser behind {@link #read} and {@link #stream}: returns one record at a time
     * from a character stream, through a buffer of its own so that it can look one character
     * ahead (a doubled quote, CR LF).
     */
    private static final class Parser {

        final Path file;
        final java.io.Reader in;
        private final char[] buf = new char[1 << 15];
        private int pos;
        private int len;
        private boolean started;
        private int line = 1;
        /** The line on which the record last returned by {@link #next} starts. */
        int recordStart;
        private final List<String> fields = new ArrayList<>();
        private final StringBuilder field = new StringBuilder();

        Parser(Path file, java.io.Reader in) {
            this.file = file;
            this.in = in;
        }

        /** The next record's fields, or null at the end; blank lines are skipped. */
        String[] next() throws IOException {
            fields.clear();
            field.setLength(0);
            int start = line;
            boolean quoted = false;
            boolean fieldStarted = false;
            boolean closedQuote = false;
            for (int ch = read(); ch >= 0; ch = read()) {
                char c = (char) ch;
                if (quoted) {
                    if (c == '"') {
                        if (peek() == '"') {
                            field.append('"');
                            read();
                            continue;
                        }
                        quoted = false;
                        closedQuote = true;
                        continue;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                    continue;
                }
                if (c == '"' && field.length() == 0 && !fieldStarted) {
                    quoted = true;
                    fieldStarted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStarted = false;
                    closedQuote = false;
                } else if (c == '\r' || c == '\n') {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStarted = false;
                    closedQuote = false;
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    line++;
                    if (!(fields.size() == 1 && fields.get(0).isEmpty())) { // skip blank lines
                        recordStart = start;
                        return fields.toArray(new String[0]);
                    }
                    fields.clear();
                    start = line;
                } else {
                    if (closedQuote) {
                        throw new IllegalArgumentException(file + " line " + line + ": text after a closing quote");
                    }
                    field.append(c);
                    fieldStarted = true;
                }
            }
            if (quoted) {
                throw new IllegalArgumentException(file + " line " + start + ": a quoted field is never closed");
            }
            if (field.length() > 0 || !fields.isEmpty() || fieldStarted) {
                fields.add(field.toString());
                recordStart = start;
                return fields.toArray(new String[0]);
            }
            return null;
        }

        private int read() throws IOException {
            int c = peek();
            if (c >= 0) {
                pos++;
            }
            return c;
        }

        /** The next character without consuming it, or −1 at the end. A byte-order mark at the start is skipped. */
        private int peek() throws IOException {
            if (pos == len) {
                try {
                    len = in.read(buf);
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException(file + " line " + line + ": not UTF-8 text");
                }
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return -1;
                }
                if (!started) {
                    started = true;
                    if (buf[0] == '\uFEFF') {
                        pos = 1;
                        return peek();
                    }
                }
            }
            return buf[pos];
        }
    }

    /**
     * UTF-8 text from a byte stream. Unlike {@link java.io.InputStreamReader}, which drops the
     * characters decoded before a malformed byte when it throws, it returns them first and
     * throws on the next read, so the parser can name the line the bad byte is on.
     */
    private static final class Utf8Reader extends java.io.Reader {

        private final InputStream in;
        private final CharsetDecoder decoder = decoder();
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 15).flip();
        private boolean eof;
        private boolean done;
        private CoderResult pending;

        Utf8Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (pending != null) {
                CoderResult p = pending;
                pending = null;
                p.throwException();
            }
            if (done) {
                return -1;
            }
            CharBuffer out = CharBuffer.wrap(cbuf, off, len);
            while (true) {
                CoderResult cr = decoder.decode(bytes, out, eof);
                if (cr.isError()) {
                    // Step over the bad bytes, so a caller that goes on after the error (skipping bad
                    // rows) reads on rather than meeting the same bytes for ever.
                    bytes.position(bytes.position() + cr.length());
                    if (out.position() == off) {
                        cr.throwException();
                    }
                    pending = cr;
                    break;
                }
                if (cr.isOverflow() || out.position() > off) {
                    break;
                }
                if (eof) {
                    decoder.flush(out);
                    done = true;
                    break;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            int count = out.position() - off;
            return count == 0 && done ? -1 : count;
        }

        @Override
        public void close() throws IOException {
            in.close();
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
        int n = f.length();
        if (n == 0) {
            return true;
        }
        if (n > 4) { // every marker is short: most fields are decided here, without lower-casing them (this runs per cell)
            return false;
        }
        return MISSING.contains(f.toLowerCase(java.util.Locale.ROOT));
    }

    private static final java.util.Set<String> MISSING = java.util.Set.of("na", "n/a", "nan", "null", "?");
}
