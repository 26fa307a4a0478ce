package io.tessera.quality.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private static final List<String> COLUMNS = List.of("first_name", "last_name", "dob", "zip", "email");

    private static RecordTable people(List<List<String>> rows) {
        return RecordTable.of(COLUMNS, rows.stream().map(r -> r.getFirst()).toList(),
                rows.stream().map(r -> r.subList(1, r.size())).toList());
    }

    @Test
    void guessesFieldKindsFromCrmColumnNames() {
        assertThat(FieldKind.guess("First Name")).isEqualTo(FieldKind.GIVEN_NAME);
        assertThat(FieldKind.guess("surname")).isEqualTo(FieldKind.SURNAME);
        assertThat(FieldKind.guess("date_of_birth")).isEqualTo(FieldKind.DATE);
        assertThat(FieldKind.guess("ZIP")).isEqualTo(FieldKind.POSTCODE);
        assertThat(FieldKind.guess("soc_sec_id")).isEqualTo(FieldKind.IDENTIFIER);
        assertThat(FieldKind.guess("Mobile Phone")).isEqualTo(FieldKind.PHONE);
        assertThat(FieldKind.guess("street_number")).isEqualTo(FieldKind.CODE);
        assertThat(FieldKind.guess("suburb")).isEqualTo(FieldKind.TEXT);
    }

    @Test
    void comparesDatesByTyposTranspositionsAndSwappedDayMonth() {
        RecordTable t = RecordTable.of(List.of("dob"), List.of("a", "b", "c", "d", "e"),
                List.of(List.of("1981-04-12"), List.of("19810412"), List.of("19810421"), List.of("19811204"), List.of("")));
        ComparedField dob = new ComparedField(t, 0, FieldKind.DATE);
        assertThat(dob.level(0, 1)).as("same date, other format").isEqualTo(3);
        assertThat(dob.level(1, 2)).as("transposed digits").isEqualTo(2);
        assertThat(dob.level(1, 3)).as("day and month swapped").isEqualTo(1);
        assertThat(dob.level(1, 4)).as("missing is no evidence").isEqualTo(-1);
    }

    @Test
    void mergesTyposOfOnePersonAndNeverComparesRecordsSharingNoBlockingKey() {
        RecordTable t = people(List.of(
                List.of("1", "Katherine", "Smith", "1980-03-14", "2600", "kate@example.com"),
                List.of("2", "Kathrine", "Smyth", "1980-03-14", "2600", ""),
                List.of("3", "Oliver", "Nguyen", "1975-11-02", "3000", "oliver@example.org"),
                List.of("4", "Mia", "Rossi", "1990-01-01", "4000", "mia@example.net"),
                List.of("5", "Jack", "Brown", "1969-07-20", "5000", "jack@example.com")));
        DedupeResult r = new Deduplicator(DedupeSettings.defaults()).run(t);

        assertThat(r.candidatePairs()).as("only 1-2 share a key (dob, zip)").isEqualTo(1);
        assertThat(r.pairs()).extracting(MatchPair::idA, MatchPair::idB).containsExactly(org.assertj.core.groups.Tuple.tuple("1", "2"));
    }

    @Test
    void usesAConfiguredModelInsteadOfEstimatingOne() {
        RecordTable t = people(List.of(
                List.of("1", "Ann", "Lee", "1980-03-14", "2600", ""),
                List.of("2", "Bob", "Lee", "1980-03-14", "2600", "")));
        double[][] m = {{0.1, 0.1, 0.1, 0.7}, {0.1, 0.1, 0.1, 0.7}, {0.1, 0.1, 0.1, 0.7}, {0.1, 0.1, 0.8}, {0.1, 0.1, 0.8}};
        double[][] u = {{0.97, 0.01, 0.01, 0.01}, {0.97, 0.01, 0.01, 0.01}, {0.97, 0.01, 0.01, 0.01}, {0.9, 0.05, 0.05}, {0.9, 0.05, 0.05}};
        FellegiSunterModel configured = new FellegiSunterModel(COLUMNS, 0.01, m, u);
        DedupeResult r = new Deduplicator(DedupeSettings.defaults().withModel(configured).withThresholds(0.99, 0.5)).run(t);

        double expectedWeight = configured.weight(0, 0) + configured.weight(1, 3) + configured.weight(2, 3) + configured.weight(3, 2);
        assertThat(r.model()).isSameAs(configured);
        assertThat(r.pairs()).singleElement().satisfies(p -> {
            assertThat(p.score()).isCloseTo(1 / (1 + 99 * Math.pow(2, -expectedWeight)), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.decision()).isEqualTo(MatchPair.Decision.REVIEW);
        });
    }

    @Test
    void reportsCsvRowsItCannotUseWithTheirLineNumbers() {
        RecordTable.Result r = RecordTable.fromCsv(new StringReader("id,name\n1,Ann\n,Bob\n3,Cy,extra\n"), "id");
        assertThat(r.table()).isEmpty();
        assertThat(r.problems()).extracting(RecordTable.CsvProblem::line).containsExactly(3, 4);
    }

    @Test
    void rejectsAKindForAColumnTheTableDoesNotHave() {
        RecordTable t = people(List.of(List.of("1", "Ann", "Lee", "", "", "")));
        assertThatThrownBy(() -> new Deduplicator(DedupeSettings.defaults().withKinds(Map.of("phone", FieldKind.PHONE))).run(t))
                .hasMessageContaining("'phone'");
    }
}
