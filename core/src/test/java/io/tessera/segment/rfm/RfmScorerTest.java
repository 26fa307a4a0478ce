package io.tessera.segment.rfm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RfmScorerTest {
    private final RfmScorer scorer = new RfmScorer(java.util.Set.of("Order Completed"), "revenue");

    @Test
    void scoresByPopulationQuintilesWithBestAsFive() {
        List<RfmInput> people = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 10; i++) {
            people.add(new RfmInput("p" + i, t0.plusSeconds(86_400L * i), i + 1, 10.0 * (i + 1)));
        }
        Map<String, RfmScore> s = scorer.score(people);
        assertThat(s.get("p9")).isEqualTo(new RfmScore(5, 5, 5, RfmGroup.CHAMPIONS));
        assertThat(s.get("p0")).isEqualTo(new RfmScore(1, 1, 1, RfmGroup.HIBERNATING));
        assertThat(s.get("p4").r()).isEqualTo(3);
        assertThat(s.get("p9").asMap()).containsEntry("group", "Champions").containsEntry("score", "555");
    }

    @Test
    void equalValuesGetEqualScores() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, RfmScore> s = scorer.score(List.of(new RfmInput("a", t, 1, 5), new RfmInput("b", t, 1, 5), new RfmInput("c", t, 3, 9)));
        assertThat(s.get("a")).isEqualTo(s.get("b"));
    }

    @Test
    void namesTheUsualGroups() {
        assertThat(RfmGroup.of(5, 5)).isEqualTo(RfmGroup.CHAMPIONS);
        assertThat(RfmGroup.of(4, 4)).isEqualTo(RfmGroup.LOYAL);
        assertThat(RfmGroup.of(1, 4)).isEqualTo(RfmGroup.AT_RISK);
        assertThat(RfmGroup.of(1, 5)).isEqualTo(RfmGroup.CANT_LOSE_THEM);
        assertThat(RfmGroup.of(2, 1)).isEqualTo(RfmGroup.HIBERNATING);
        assertThat(RfmGroup.of(5, 1)).isEqualTo(RfmGroup.NEW_CUSTOMERS);
    }
}
