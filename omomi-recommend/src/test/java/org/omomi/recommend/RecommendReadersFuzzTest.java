package org.omomi.recommend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.kernel.Parallel;
import org.omomi.testing.Fuzz;
import org.omomi.testing.Mutator;

/**
 * The recommender's readers under seeded mutation ({@link Fuzz}): interaction files in every
 * layout (csv, MovieLens ml-latest's ratings.csv, ml-100k's u.data), item catalogs (movies.csv,
 * u.item) and a run folder's own files. Each mutated file reads or is refused in one line naming
 * it; never another exception, a hang or an allocation beyond the input.
 */
class RecommendReadersFuzzTest {

    @TempDir
    static Path dir;

    static Path run;

    static final long CASES = Fuzz.cases(1000);

    static final List<String> WORDS = List.of("userId", "movieId", "rating", "timestamp", "user", "item", "title", "genres", "split",
            "train", "validation", "test", "\t", "|", "5", "0.5");

    @BeforeAll
    static void trainOne() throws Exception {
        Parallel.setThreads(1);
        Path data = dir.resolve("gen.csv");
        Synthetic.write(Synthetic.generate(Synthetic.Options.of(40, 30, 5).withPerUser(8)), data);
        Interactions x = InteractionFile.read(data, InteractionFile.Layout.CSV);
        ItemCatalog catalog = ItemCatalog.read(dir.resolve("gen.items.csv"));
        Split split = Split.leaveOneOut(x, 1, true, 1);
        run = dir.resolve("run");
        RecommendRun.train(x, catalog, split, Training.Options.defaults(ModelKind.BPR).withEpochs(1).withDim(4), true, run,
                List.of(data), Map.of("file", data.toString()));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"interactions.csv", "ratings.csv", "u.data", "movies.csv", "u.item"})
    void mutatedDataFilesReadOrAreRefusedInOneLine(String name) throws Exception {
        Path f = Files.createDirectories(dir.resolve("data-" + name)).resolve(name);
        List<byte[]> valid;
        Fuzz.Reader reader;
        switch (name) {
            case "interactions.csv":
                valid = List.of(utf8("user,item,rating,timestamp\nu1,i1,5,100\nu1,i2,3.5,101\n\"u,2\",i1,1,99\nu3,i3,4,102\n"),
                        utf8("user,item\na,x\nb,y\na,y\n"));
                reader = in -> InteractionFile.read(Fuzz.write(f, in), InteractionFile.Layout.CSV);
                break;
            case "ratings.csv":
                valid = List.of(utf8("userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n2,10,4.0,835355493\n"));
                reader = in -> InteractionFile.read(Fuzz.write(f, in), InteractionFile.Layout.parse("auto", f));
                break;
            case "u.data":
                valid = List.of(utf8("196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n196\t377\t5\t881250950\n"));
                reader = in -> InteractionFile.read(Fuzz.write(f, in), InteractionFile.Layout.parse("auto", f));
                break;
            case "movies.csv":
                valid = List.of(utf8("movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children\n2,\"Jumanji, The (1995)\",(no genres listed)\n"));
                reader = in -> ItemCatalog.read(Fuzz.write(f, in));
                break;
            default: // u.item
                valid = List.of(utf8("1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                        + "2|GoldenEye (1995)|01-Jan-1995||http://y|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0\n"));
                reader = in -> ItemCatalog.read(Fuzz.write(f, in));
                break;
        }
        Fuzz.run("recommend/" + name, valid, new Mutator(Fuzz.seed(21), WORDS), CASES, name, reader).assertClean().assertReachesBoth();
    }

    @ParameterizedTest(name = "run/{0}")
    @ValueSource(strings = {"recommend.json", "attention.json", "interactions.csv", "users.csv", "items.csv"})
    void mutatedRunFilesOpenOrAreRefusedInOneLine(String name) throws Exception {
        Path f = run.resolve(name);
        byte[] original = Files.readAllBytes(f);
        List<String> words = new java.util.ArrayList<>(WORDS);
        words.addAll(List.of("omomi.recommend/1", "options", "model", "bpr", "mf", "ncf", "dim", "epochs", "query", "half_life",
                "decay_per_half_life", "rating_slope", "protocol", "leave-one-out"));
        try {
            Fuzz.run("recommend/run/" + name, List.of(original), new Mutator(Fuzz.seed(21), words), CASES, run.toString(),
                    in -> RecommendRun.open(run.resolve(name).equals(f) ? runWith(f, in) : run)).assertClean().assertReachesBoth();
        } finally {
            Files.write(f, original);
        }
    }

    private static Path runWith(Path file, byte[] content) throws java.io.IOException {
        Fuzz.write(file, content);
        return run;
    }
}
