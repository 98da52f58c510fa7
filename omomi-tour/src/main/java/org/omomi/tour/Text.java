package org.omomi.tour;

/** A sentence in both languages of the tour. The Japanese uses the terms of GLOSSARY-ja.md. */
public record Text(String en, String ja) {

    /** The tour's languages. */
    public enum Lang {
        EN, JA;

        public static Lang named(String s) {
            return switch (s) {
                case "en" -> EN;
                case "ja" -> JA;
                default -> throw new IllegalArgumentException("--lang: '" + s + "' is neither en nor ja");
            };
        }

        public String code() {
            return this == EN ? "en" : "ja";
        }
    }

    public String in(Lang lang) {
        return lang == Lang.EN ? en : ja;
    }

    public static Text of(String en, String ja) {
        return new Text(en, ja);
    }
}
