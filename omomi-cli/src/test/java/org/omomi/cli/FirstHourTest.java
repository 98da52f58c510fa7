package org.omomi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omomi.data.Csv;
import org.omomi.io.Json;
import org.omomi.tensor.Rng;
import org.omomi.testing.Requires;

/**
 * A new user's first hour: the {@code ./omomi} commands README.md shows (its English half), run in
 * the order it shows them, each in its own JVM in one folder as a user would run them, each checked
 * for what the README says it gives — so the README and the behaviour cannot drift apart. The CSV commands run on a generated click log like the README's
 * (interest match drives the clicks); the Fashion-MNIST ones run where Debian's
 * {@code dataset-fashion-mnist} is installed (required under {@code CI=true}), shortened to one
 * epoch and, for the ResNet, to depth 8 and width 8 so the test takes a minute, not an hour.
 * {@code tour} (its own tests), {@code serve} and {@code --dashboard} (servers) are not run here.
 */
class FirstHourTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    /** Runs {@code omomi ARGS} as a user would: its own JVM, in this test's folder, so the README's relative paths land here. */
    private Run run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
                "-cp", System.getProperty("java.class.path"), Omomi.class.getName()));
        cmd.addAll(args);
        Path out = dir.resolve(".out");
        Path err = dir.resolve(".err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("omomi " + args + " did not finish in 15 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err).replaceAll("(?m)^WARNING: Using incubator modules.*\\R", ""));
    }

    /** Every {@code ./omomi …} command in a sh block of the README before its Japanese section, continuations joined. */
    static List<String> readmeCommands() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int ja = text.indexOf("\n## 日本語");
        if (ja > 0) {
            text = text.substring(0, ja);
        }
        List<String> commands = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                inBlock = !inBlock && line.startsWith("```sh");
                continue;
            }
            if (!inBlock) {
                continue;
            }
            String code = line.replaceAll("\\s+#.*$", "").strip();
            if (current == null && code.startsWith("printf '")) { // a file the next commands read, written as the shell would
                commands.add(code);
                continue;
            }
            if (current == null && !code.startsWith("./omomi ")) {
                continue;
            }
            boolean continues = code.endsWith("\\");
            if (continues) {
                code = code.substring(0, code.length() - 1).strip();
            }
            current = current == null ? new StringBuilder(code) : current.append(' ').append(code);
            if (!continues) {
                commands.add(current.toString());
                current = null;
            }
        }
        return commands;
    }

    /** The click log the README's commands read: the article's features plus a device; interest match matters most. */
    private static void writeClicks(Path file, Path unlabelled) throws IOException {
        Rng rng = new Rng(3);
        StringBuilder sb = new StringBuilder("age,interest_match,ad_frequency,device,clicked\n");
        StringBuilder fresh = new StringBuilder("age,interest_match,ad_frequency,device\n");
        for (int i = 0; i < 3000; i++) {
            double age = 18 + 52 * rng.nextDouble();
            double interest = rng.nextDouble();
            int freq = 1 + rng.nextInt(19);
            String device = rng.nextDouble() < 0.5 ? "mobile" : rng.nextDouble() < 0.6 ? "desktop" : "tablet";
            double z = -0.02 * (age - 40) + 3.0 * (interest - 0.5) - 0.05 * (freq - 10) + (device.equals("mobile") ? 0.3 : 0);
            int click = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            String row = String.format(Locale.ROOT, "%.1f,%.3f,%d,%s", age, interest, freq, device);
            sb.append(row).append(',').append(click).append('\n');
            if (i < 200) {
                fresh.append(row).append('\n');
            }
        }
        Files.writeString(file, sb.toString());
        Files.writeString(unlabelled, fresh.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReadmesCommandsWorkInOrderAndGiveWhatItSays() throws IOException, InterruptedException {
        List<String> commands = readmeCommands();
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("./omomi train --model logreg --data clicks.csv")), commands.toString());
        writeClicks(dir.resolve("clicks.csv"), dir.resolve("new.csv"));
        boolean images = Requires.strict() ? Requires.fashionMnist() != null : java.nio.file.Files.isDirectory(
                Path.of(System.getenv().getOrDefault("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")));
        int ran = 0;
        for (String command : commands) {
            if (command.startsWith("printf '")) {
                printf(command);
                continue;
            }
            List<String> args = new ArrayList<>(List.of(command.substring("./omomi ".length()).split("\\s+")));
            String verb = args.get(0);
            if (verb.equals("tour") || verb.equals("serve") || args.contains("--dashboard")) {
                continue;
            }
            boolean fashion = args.contains("fashion-mnist") || runsOn(args, "runs/mlp") || runsOn(args, "runs/cnn") || runsOn(args, "runs/resnet");
            if (fashion && !images) {
                continue;
            }
            if (verb.equals("train") && fashion) {
                set(args, "--epochs", "1");
                if (args.contains("resnet")) {
                    set(args, "--depth", "8");
                    set(args, "--width", "8");
                }
            }
            Run r = run(args);
            assertEquals(0, r.code(), command + " failed: " + r.err());
            ran++;
            check(verb, args, r);
        }
        assertTrue(ran >= 5, "ran " + ran + " of the README's commands");
    }

    /** {@code printf 'TEXT' > FILE} with the \\n escapes the README uses, in the test's folder. */
    private void printf(String command) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("printf '([^']*)' > (\\S+)").matcher(command);
        assertTrue(m.matches(), "a printf line the test cannot run: " + command);
        Files.writeString(dir.resolve(m.group(2)), m.group(1).replace("\\n", "\n"));
    }

    private static boolean runsOn(List<String> args, String run) {
        return args.stream().anyMatch(a -> a.equals(run));
    }

    private static void set(List<String> args, String option, String value) {
        int i = args.indexOf(option);
        if (i >= 0) {
            args.set(i + 1, value);
        } else {
            args.add(option);
            args.add(value);
        }
    }

    /** What the README promises each command gives. */
    @SuppressWarnings("unchecked")
    private void check(String verb, List<String> args, Run r) throws IOException {
        switch (verb) {
            case "train" -> {
                Path run = dir.resolve(args.get(args.indexOf("--out") + 1));
                for (String f : List.of("config.json", "model.json", "model.safetensors", "metrics.json", "history.jsonl", "provenance.json")) {
                    assertTrue(Files.isRegularFile(run.resolve(f)), "train writes " + f);
                }
                assertTrue(r.out().contains("run folder: " + args.get(args.indexOf("--out") + 1)), r.out());
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith("converged: ") || l.startsWith("not converged: ")), r.out());
                Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(run.resolve("metrics.json")));
                assertTrue(m.containsKey("converged") && m.containsKey("test_accuracy"), m.keySet().toString());
                if (args.contains("logreg")) {
                    assertEquals(Boolean.TRUE, m.get("converged"), "the README's logistic regression converges: " + m.get("convergence"));
                }
            }
            case "eval" -> {
                Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
                assertTrue(m.containsKey("examples") && m.containsKey("accuracy"), r.out());
            }
            case "predict" -> {
                Csv.Table scored = Csv.read(dir.resolve(args.get(args.indexOf("--output") + 1)));
                assertTrue(scored.header().contains("prediction") && scored.header().contains("probability"), scored.header().toString());
                assertEquals(200, scored.rows().size(), "one prediction per input row, in order");
            }
            case "inspect" -> {
                Path report = dir.resolve(args.get(1)).resolve("report").resolve("index.html");
                assertTrue(Files.isRegularFile(report), "inspect writes " + report);
            }
            case "explain" -> {
                Path out = dir.resolve(args.get(args.indexOf("--out") + 1));
                if (args.contains("all")) {
                    Map<String, Object> imp = (Map<String, Object>) ((Map<String, Object>) Json.parse(
                            Files.readString(out.resolve("importance.json")))).get("importance");
                    String top = imp.entrySet().stream().max((a, b) -> Double.compare((Double) a.getValue(), (Double) b.getValue()))
                            .orElseThrow().getKey();
                    assertEquals("interest_match", top, "the README's question answered right: which feature weighs most: " + imp);
                } else {
                    try (var files = Files.list(out)) {
                        assertFalse(files.noneMatch(f -> f.getFileName().toString().endsWith(".png")), "explain draws a picture");
                    }
                }
            }
            case "export" -> {
                Path onnx = dir.resolve(args.get(args.indexOf("--out") + 1));
                var m = org.omomi.onnx.proto.OnnxProto.Model.parseFrom(Files.readAllBytes(onnx));
                assertEquals(17, m.getOpsetImport(0).getVersion(), "an ONNX file of opset 17");
                assertEquals(List.of("logits", "probabilities"), m.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
            }
            case "import" -> {
                Path run = dir.resolve(args.get(args.indexOf("--out") + 1));
                assertTrue(org.omomi.io.SavedModel.isSavedModel(run), "import writes a run folder");
                org.omomi.io.SavedModel.open(run);
                assertEquals(Boolean.TRUE, ((Map<String, Object>) Json.parse(Files.readString(run.resolve("import.json")))).get("ok"));
                assertTrue(r.out().contains("0.weight") && r.out().contains("layer 0 (dense)"), "the report names each key's layer: " + r.out());
            }
            default -> { } // other commands: their exit code says enough here; their own tests check their output
        }
    }
}
