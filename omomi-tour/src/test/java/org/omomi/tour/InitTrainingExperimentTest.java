package org.omomi.tour;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InitTrainingExperimentTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.omomi.tour.TourTests#settings")
    void aDeepReluNetLearnsWithHeButNotWithStd001(Setting s) {
        Part p = TourTests.part(new InitTrainingExperiment(), s);
        Map<String, Object> loss = TourTests.map(p, "final_loss");
        Map<String, Object> acc = TourTests.map(p, "test_accuracy");
        double small = TourTests.number(loss, "std0.01");
        double he = TourTests.number(loss, "he");
        assertTrue(small > 2.2 && small < 2.4, "std 0.01 stays at ln 10: " + small);
        assertTrue(TourTests.number(p.numbers(), "lowest_smoothed_loss_std0.01") > 2.25, "std 0.01 never learns on the way");
        assertTrue(TourTests.number(acc, "std0.01") < 0.2, "std 0.01 guesses: " + acc.get("std0.01"));
        assertTrue(he < Math.log(10) / 2, "He learns: " + he);
        assertTrue(TourTests.number(acc, "he") > 0.5, "He's accuracy: " + acc.get("he"));
        assertTrue(TourTests.number(loss, "xavier") < small, "Xavier learns too: " + loss.get("xavier"));
        assertTrue(TourTests.claim(p, "std001_does_not_learn") && TourTests.claim(p, "he_learns"));
        TourTests.assertClaimsHold(p, s);
    }
}
