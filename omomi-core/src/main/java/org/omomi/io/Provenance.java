package org.omomi.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a saved model came from, kept beside it as {@code provenance.json} (as Tribuo keeps
 * provenance with every model): the omomi and Java versions, when, the seed, a SHA-256 of each
 * data file, and the options it was trained with.
 *
 * @param data    data file → SHA-256 of its bytes (hex)
 * @param options the run's configuration as JSON (e.g. config.json's content)
 */
public record Provenance(String omomi, String javaVersion, String created, long seed, Map<String, String> data,
                         Map<String, Object> options) {

    public static final String FORMAT = "omomi.provenance/1";

    public Provenance {
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Provenance of a model trained now, from these data files, seed and options. */
    public static Provenance now(long seed, Iterable<Path> dataFiles, Map<String, Object> options) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Path f : dataFiles) {
            hashes.put(f.toAbsolutePath().toString(), sha256(f));
        }
        return new Provenance(version(), System.getProperty("java.version"), Instant.now().toString(), seed, hashes, options);
    }

    /** This build's omomi version. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "(unknown)";
        }
        return p.getProperty("version", "(development)");
    }

    /** SHA-256 of a file's bytes, in hex, read in one pass. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("omomi", omomi);
        m.put("java", javaVersion);
        m.put("created", created);
        m.put("seed", seed);
        m.put("data", new LinkedHashMap<String, Object>(data));
        m.put("options", new LinkedHashMap<>(options));
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Provenance fromJson(Map<String, Object> m) {
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("not an " + FORMAT + " record (format " + JsonFields.describe(m.get("format")) + ")");
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (m.get("data") instanceof Map<?, ?> d) {
            d.forEach((k, v) -> data.put(String.valueOf(k), String.valueOf(v)));
        }
        return new Provenance(String.valueOf(m.get("omomi")), String.valueOf(m.get("java")), String.valueOf(m.get("created")),
                m.get("seed") instanceof Number n ? n.longValue() : 0, data,
                m.get("options") instanceof Map ? (Map<String, Object>) m.get("options") : Map.of());
    }
}
