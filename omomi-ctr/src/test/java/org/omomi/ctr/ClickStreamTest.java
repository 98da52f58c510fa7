package org.omomi.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omomi.data.Batch;

/** Batches streamed from disk: every kept training row once an epoch, a shuffle that is a function of the seed and the epoch, exact resumption. */
class ClickStreamTest {

    @TempDir
    Path dir;

    private ClickLog log;
    private Split split;
    private FeatureLearner.Learned learned;

    @BeforeEach
    void log() throws IOException {
        // Each row's id column is its own row number, so a batch says which rows it holds.
        StringBuilder sb = new StringBuilder("click,row,x\n");
        for (int i = 0; i < 1000; i++) {
            sb.append(i % 3 == 0 ? 1 : 0).append(',').append("r").append(i).append(',').append(i % 17).append('\n');
        }
        Path f = dir.resolve("log.csv");
        Files.writeString(f, sb.toString());
        log = ClickLog.of(f, LogFormat.CSV);
        split = new Split(9, 0.2, 0.5);
        learned = FeatureLearner.learn(log, FeatureOptions.defaults(LogFormat.CSV).withMinCount(1), split, Progress.NONE);
    }

    private ClickStream stream(int block, long seed) {
        return new ClickStream(log, learned.features(), split, learned.keptTrainRows(), 32, block, seed);
    }

    /** The rows (by their number) of each batch of an epoch from batch {@code first}. */
    private List<List<Integer>> rows(ClickStream s, int epoch, int first) {
        ClickFeatures f = learned.features();
        List<String> vocabulary = f.categorical().get(0).vocabulary();
        List<List<Integer>> out = new ArrayList<>();
        for (Iterator<Batch> it = s.epoch(epoch, first); it.hasNext(); ) {
            int[] ids = it.next().inputs().ids(ClickFeatures.IDS).toArray();
            List<Integer> b = new ArrayList<>();
            for (int id : ids) {
                b.add(Integer.parseInt(vocabulary.get(id).substring(1)));
            }
            out.add(b);
        }
        return out;
    }

    @ParameterizedTest(name = "shuffle block {0} rows")
    @ValueSource(ints = {64, 100, 1 << 18})
    void everyKeptTrainingRowOnceAnEpochAndNoHeldOutRow(int block) {
        ClickStream s = stream(block, 4);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<List<Integer>> batches = rows(s, epoch, 0);
            assertEquals(s.batches(), batches.size());
            Set<Integer> seen = new HashSet<>();
            for (int b = 0; b < batches.size(); b++) {
                if (b < batches.size() - 1) {
                    assertEquals(32, batches.get(b).size(), "only the last batch may be smaller");
                }
                for (int r : batches.get(b)) {
                    assertTrue(seen.add(r), "row " + r + " twice");
                    int line = r + 2;
                    assertFalse(split.heldOut(line), "held-out row " + r);
                    assertTrue(split.kept(line, r % 3 == 0 ? 1 : 0), "dropped negative " + r);
                }
            }
            assertEquals(learned.keptTrainRows(), seen.size());
        }
        assertTrue(learned.keptTrainRows() < 800 && learned.keptTrainRows() > 400, "negatives halved: " + learned.keptTrainRows());
    }

    @ParameterizedTest(name = "shuffle block {0} rows")
    @ValueSource(ints = {64, 1 << 18})
    void anEpochIsAFunctionOfTheSeedAndTheEpochAloneAndResumesAtAnyBatch(int block) {
        ClickStream s = stream(block, 4);
        List<List<Integer>> e1 = rows(s, 1, 0);
        assertEquals(e1, rows(stream(block, 4), 1, 0), "a fresh stream gives the same epoch");
        assertNotEquals(e1, rows(s, 2, 0), "another epoch, another order");
        assertNotEquals(e1, rows(stream(block, 5), 1, 0), "another seed, another order");
        for (int first : new int[] {1, 2, 3, 7, s.batches() - 1}) {
            assertEquals(e1.subList(first, e1.size()), rows(s, 1, first), "from batch " + first);
        }
    }

    @Test
    void blocksShuffleWithinThemselvesAndAWholeLogInOneBlockIsShuffledThrough() {
        List<List<Integer>> small = rows(stream(64, 4), 0, 0);
        // Block b holds the b-th 64 kept rows in file order: the first two batches come from the first block.
        List<Integer> firstBlock = new ArrayList<>(small.get(0));
        firstBlock.addAll(small.get(1));
        List<Integer> sorted = new ArrayList<>(firstBlock);
        sorted.sort(null);
        assertNotEquals(sorted, firstBlock, "shuffled within the block");
        List<Integer> flat = new ArrayList<>();
        rows(stream(64, 4), 0, 0).forEach(flat::addAll);
        assertTrue(sorted.get(sorted.size() - 1) < flat.stream().sorted().toList().get(64), "nothing from a later block");
        List<Integer> whole = new ArrayList<>();
        rows(stream(1 << 18, 4), 0, 0).get(0).forEach(whole::add);
        assertTrue(whole.stream().anyMatch(r -> r > 600), "one block: the first batch draws from the whole log");
    }

    @Test
    void aLogThatChangedUnderTheRunIsCaught() throws IOException {
        ClickStream s = new ClickStream(log, learned.features(), split, learned.keptTrainRows() + 1, 32, 64, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rows(s, 0, 0));
        assertTrue(e.getMessage().contains("the log changed"), e.getMessage());
    }
}
