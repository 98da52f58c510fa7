package org.omomi.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page's files, from this jar only: a fixed list of names, each read once from the class path
 * (the dashboard's own resources and uPlot's WebJar). No other name is served, so nothing on disk
 * and no folder listing can be reached through {@code /static/}.
 */
final class StaticFiles {

    /** uPlot's version; its WebJar is a dependency of this module. */
    static final String UPLOT = "1.6.30";

    record File(byte[] bytes, String contentType) {}

    private static final String OWN = "/org/omomi/dashboard/static/";
    private static final String WEBJAR = "/META-INF/resources/webjars/uplot/" + UPLOT + "/dist/";

    private static final Map<String, File> FILES = Map.ofEntries(
            own("index.html"), own("run.html"), own("compare.html"), own("common.js"), own("index.js"), own("run.js"),
            own("compare.js"), own("views.js"), own("style.css"), own("icon.svg"),
            Map.entry("uPlot.iife.min.js", load(WEBJAR + "uPlot.iife.min.js")),
            Map.entry("uPlot.min.css", load(WEBJAR + "uPlot.min.css")));

    private StaticFiles() {}

    /** The file of that name, or null. */
    static File get(String name) {
        return name == null ? null : FILES.get(name);
    }

    private static Map.Entry<String, File> own(String name) {
        return Map.entry(name, load(OWN + name));
    }

    private static File load(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's jar lacks " + resource);
            }
            return new File(in.readAllBytes(), type(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }
}
