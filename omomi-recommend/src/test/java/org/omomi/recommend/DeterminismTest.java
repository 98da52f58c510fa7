package org.omomi.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.omomi.kernel.Parallel;

/** Same seed, same data, one thread: bit-identical weights, for every model kind; another seed differs. */
class DeterminismTest {

    @ParameterizedTest
    @EnumSource(ModelKind.class)
    void theSameSeedTrainsTheSameWeightsBitForBit(ModelKind kind) throws Exception {
        Parallel.setThreads(1);
        Synthetic.Options o = Synthetic.Options.of(120, 80, 2).withPerUser(15);
        Generated.Setup s = Generated.of(kind.rating() ? o.withRatings(0.5) : o, 0);
        Training.Options t = Training.Options.defaults(kind).withEpochs(2).withBatchSize(64).withDim(8);
        Factors a = Training.train(s.data(), s.split(), t, null).factors();
        Factors b = Training.train(s.data(), s.split(), t, null).factors();
        Factors c = Training.train(s.data(), s.split(), t.withSeed(2), null).factors();
        assertArrayEquals(a.items(), b.items());
        assertArrayEquals(a.users(), b.users());
        assertArrayEquals(a.itemBias(), b.itemBias());
        assertFalse(Arrays.equals(a.items(), c.items()), "another seed, other weights");
        assertArrayEquals(Synthetic.generate(o).interactions().itemCounts(), Synthetic.generate(o).interactions().itemCounts(),
                "generated data is a function of its options");
    }
}
