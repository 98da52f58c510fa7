package org.omomi.tour;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.omomi.explain.Figure;

/**
 * What one experiment found: text, pictures, tables and claims for the report, in both
 * languages, and every figure's numbers for tour.json. An experiment fills it as it computes.
 */
public final class Part {

    /** One piece of the report. */
    public sealed interface Block permits Paragraph, Picture, Table, Claim {}

    public record Paragraph(Text text) implements Block {}

    /** A figure; its title and caption in both languages (the Figure's own English text is not shown). */
    public record Picture(Figure figure, Text title, Text caption) implements Block {}

    /** A table: a header row and rows of cells, each cell in both languages (numbers are the same in both). */
    public record Table(List<Text> header, List<List<Text>> rows) implements Block {}

    /** A statement the experiment checks on its own numbers: whether it holds, and the numbers that say so. */
    public record Claim(Text text, boolean holds, String evidence) implements Block {}

    private final String name;
    private final Text title;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Object> numbers = new LinkedHashMap<>();

    public Part(String name, Text title) {
        this.name = name;
        this.title = title;
    }

    public Part say(String en, String ja) {
        blocks.add(new Paragraph(Text.of(en, ja)));
        return this;
    }

    public Part picture(Figure f, Text title, Text caption) {
        blocks.add(new Picture(f, title, caption));
        return this;
    }

    /** A table whose cells read the same in both languages (numbers, names). */
    public Part table(List<Text> header, List<List<String>> rows) {
        blocks.add(new Table(header, rows.stream().map(r -> r.stream().map(c -> Text.of(c, c)).toList()).toList()));
        return this;
    }

    /** A table with cells in both languages. */
    public Part textTable(List<Text> header, List<List<Text>> rows) {
        blocks.add(new Table(header, rows));
        return this;
    }

    /** Records a claim and its evidence; the claim is also stored under "claims" in the numbers. */
    @SuppressWarnings("unchecked")
    public Part claim(String key, String en, String ja, boolean holds, String evidence) {
        blocks.add(new Claim(Text.of(en, ja), holds, evidence));
        Map<String, Object> claims = (Map<String, Object>) numbers.computeIfAbsent("claims", k -> new LinkedHashMap<String, Object>());
        claims.put(key, holds);
        return this;
    }

    /** A number (or list, or map of numbers) for tour.json under this part's name. */
    public Part number(String key, Object value) {
        numbers.put(key, value);
        return this;
    }

    public String name() {
        return name;
    }

    public Text title() {
        return title;
    }

    public List<Block> blocks() {
        return blocks;
    }

    public Map<String, Object> numbers() {
        return numbers;
    }

    /** Whether every claim holds. */
    public boolean claimsHold() {
        return blocks.stream().noneMatch(b -> b instanceof Claim c && !c.holds());
    }
}
