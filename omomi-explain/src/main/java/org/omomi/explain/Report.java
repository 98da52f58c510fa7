package org.omomi.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.omomi.explain.plot.Png;
import org.omomi.io.AtomicFile;

/**
 * A self-contained HTML report: text, tables and figures, every figure embedded as a PNG data URI
 * (so {@code index.html} opens from disk, mailed or copied alone) and also saved as a PNG file
 * beside it. Files are written atomically.
 */
public final class Report {

    private final Path dir;
    private final StringBuilder body = new StringBuilder();
    private final String title;
    private final String lang;

    /** A report that will be written to {@code dir/index.html}, its PNG files beside it. */
    public Report(Path dir, String title) throws IOException {
        this(dir, title, "en");
    }

    /** The same, for a page in the given language ("en", "ja"). */
    public Report(Path dir, String title, String lang) throws IOException {
        this.dir = dir;
        this.title = title;
        this.lang = lang;
        Files.createDirectories(dir);
    }

    public Path dir() {
        return dir;
    }

    public Report heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public Report paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table; the first row is the header. Cells are text. */
    public Report table(List<List<String>> rows) {
        body.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String tag = r == 0 ? "th" : "td";
            body.append("<tr>");
            for (String cell : rows.get(r)) {
                body.append('<').append(tag).append('>').append(escape(cell)).append("</").append(tag).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** Saves the figure as dir/FILE and embeds it with its title and caption. */
    public Report figure(Figure f) throws IOException {
        return figure(f, f.title(), f.caption());
    }

    /** The same with a title and caption of the caller's (another language, say). */
    public Report figure(Figure f, String title, String caption) throws IOException {
        Png.write(f.image(), dir.resolve(f.file()));
        String data = Base64.getEncoder().encodeToString(Png.bytes(f.image()));
        body.append("<figure><img alt=\"").append(escape(title)).append("\" src=\"data:image/png;base64,").append(data)
                .append("\" width=\"").append(f.image().getWidth()).append("\"><figcaption><b>").append(escape(title))
                .append("</b> — ").append(escape(caption)).append(" <span class=\"file\">(").append(escape(f.file()))
                .append(")</span></figcaption></figure>\n");
        return this;
    }

    /** A statement checked on the numbers: a green tick or a red cross, and the evidence. */
    public Report claim(String text, boolean holds, String evidence) {
        body.append("<div class=\"claim ").append(holds ? "ok" : "no").append("\"><span class=\"mark\">").append(holds ? "✓" : "✗")
                .append("</span> ").append(escape(text)).append(" <span class=\"evidence\">").append(escape(evidence)).append("</span></div>\n");
        return this;
    }

    /** A smaller heading inside a section. */
    public Report subheading(String text) {
        body.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    /** Writes index.html; returns its path. */
    public Path write() throws IOException {
        String html = "<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>\n"
                + "body{font-family:'DejaVu Sans',Helvetica,Arial,'Noto Sans CJK JP','IPAexGothic','IPAGothic',sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
                + "h1{font-size:1.6em;border-bottom:2px solid #444}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}\n"
                + "table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
                + "th{background:#f2f2f2}td{font-variant-numeric:tabular-nums}\n"
                + "figure{margin:1.2em 0}img{max-width:100%;height:auto;border:1px solid #ddd}figcaption{font-size:.9em;color:#444;margin-top:.3em}"
                + ".file{color:#888}h3{font-size:1.05em;margin-top:1.4em}"
                + ".claim{margin:.6em 0;padding:.45em .7em;border-radius:4px;font-size:.95em}.claim.ok{background:#eaf6ec;border-left:4px solid #2e7d32}"
                + ".claim.no{background:#fdecea;border-left:4px solid #c62828}.mark{font-weight:bold}.evidence{color:#555;font-size:.9em}\n</style></head><body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
        Path index = dir.resolve("index.html");
        AtomicFile.writeString(index, html);
        return index;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
