package org.omomi.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.omomi.kernel.Gemm;
import org.omomi.kernel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What this omomi runs on: Java, threads, and the matrix-multiplication backends. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show the Java runtime, thread count and GEMM backends omomi will use."})
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("java          %s (%s)%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
        out.printf("threads       %d (of %d cores)%n", Parallel.threads(), Runtime.getRuntime().availableProcessors());
        out.printf("gemm          %s%n", Gemm.backend().name());
        out.printf("available     %s%n", String.join(", ", Gemm.names()));
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        out.printf("vector api    %s%n", vector ? "on" : "off (start Java with --add-modules jdk.incubator.vector)");
        out.flush();
        return 0;
    }
}
