package io.tessera.delivery.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllocationTest {

    static final Campaign AB = Campaign.simple("spring", "all", "t", "news@shop.example").withHoldout(10)
            .withVariants(List.of(new Campaign.Variant("A", 1, Optional.empty(), Optional.empty()),
                    new Campaign.Variant("B", 3, Optional.of("Last chance, {{firstName}}"), Optional.empty())));

    @Test
    void sameCampaignAndProfileAlwaysGetTheSameArm() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Allocation.arm(AB, "p" + i)).isEqualTo(Allocation.arm(AB, "p" + i));
        }
    }

    @Test
    void armsGetTheirShareWithinSamplingError() {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        Map<String, Integer> counts = new HashMap<>();
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            counts.merge(Allocation.arm(AB, "p_" + Long.toHexString(r.nextLong())), 1, Integer::sum);
        }
        // holdout 10%, then A:B = 1:3 of the remaining 90%; 5 standard errors of slack
        assertThat(counts.get(Allocation.HOLDOUT) / (double) n).as("seed %d", seed).isCloseTo(0.10, org.assertj.core.data.Offset.offset(0.0075));
        assertThat(counts.get("A") / (double) n).as("seed %d", seed).isCloseTo(0.225, org.assertj.core.data.Offset.offset(0.011));
        assertThat(counts.get("B") / (double) n).as("seed %d", seed).isCloseTo(0.675, org.assertj.core.data.Offset.offset(0.012));
    }

    @Test
    void changingTheHoldoutShareDoesNotReshuffleVariants() {
        Campaign moreHoldout = AB.withHoldout(30);
        int moved = 0;
        for (int i = 0; i < 5000; i++) {
            String before = Allocation.arm(AB, "p" + i);
            String after = Allocation.arm(moreHoldout, "p" + i);
            if (!before.equals(Allocation.HOLDOUT) && !after.equals(Allocation.HOLDOUT) && !before.equals(after)) {
                moved++;
            }
        }
        assertThat(moved).isZero();
    }

    @Test
    void noHoldoutMeansEveryoneGetsAVariant() {
        Campaign none = AB.withHoldout(0);
        for (int i = 0; i < 2000; i++) {
            assertThat(Allocation.arm(none, "p" + i)).isIn("A", "B");
        }
    }
}
