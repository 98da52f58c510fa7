package org.omomi.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.omomi.kernel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code omomi} command: the only place in omomi that parses arguments. */
@Command(name = "omomi",
        mixinStandardHelpOptions = true,
        versionProvider = Omomi.Version.class,
        description = {"omomi (重み): train neural-network weights and make them visible."},
        subcommands = {TourCommand.class, ExperimentCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, InspectCommand.class, ExplainCommand.class,
            SegmentCommand.class, DemoCommand.class, InfoCommand.class,
            ExportCommand.class, ImportCommand.class,
            RecommendCommand.class, CtrCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
public final class Omomi implements Callable<Integer> {

    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N", scope = CommandLine.ScopeType.INHERIT,
            description = "Threads for the kernels (default: all cores; 1 gives bit-identical runs on any machine of the same kind).")
    void threads(int n) {
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + n);
        }
        Parallel.setThreads(n);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (OutOfMemoryError e) {
            System.err.println("omomi: " + outOfMemory());
            code = 1;
        }
        System.exit(code);
    }

    /** What to do when the heap ran out where no command saw it coming. */
    static String outOfMemory() {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory: this JVM may use " + max + " MiB of heap; give it more with OMOMI_JAVA_OPTS=-Xmx" + Math.max(2, 2 * ((max >> 10) + 1))
                + "g, or use less data at once (a smaller --batch-size; for 'ctr train', --shuffle-block and --holdout-max)";
    }

    /** Runs the command line and returns the exit code; errors are one line unless --verbose. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        Omomi root = new Omomi();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (root.verbose) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("omomi: " + oneLine(e));
            }
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("omomi: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 2;
        });
        return cli.execute(args);
    }

    /** An exception as one line that says what and where. */
    static String oneLine(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) { // thrown on another thread and wrapped, or caught as a cause
                return outOfMemory();
            }
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            return f.getFile() + ": no such file" + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "permission denied");
        }
        if (e instanceof java.nio.file.FileSystemException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be used");
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof java.io.IOException
                || e.getClass().getSimpleName().equals("Diverged") ? m.replace('\n', ' ') : e.getClass().getSimpleName() + ": " + m;
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Omomi.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"omomi " + p.getProperty("version", "(development)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
