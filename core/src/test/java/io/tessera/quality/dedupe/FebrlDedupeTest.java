package io.tessera.quality.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Measured quality on the real FEBRL data sets (../shared/data/febrl, read in place): the pairs
 * at or above the auto-merge threshold against the true duplicate pairs (issue 3 targets).
 */
class FebrlDedupeTest {
    private static final Path FEBRL = Path.of(System.getProperty("tessera.shared.data", "../shared/data"), "febrl");

    static RecordTable febrl(String... files) throws IOException {
        RecordTable table = null;
        for (String f : files) {
            try (Reader r = Files.newBufferedReader(FEBRL.resolve(f))) {
                RecordTable t = RecordTable.fromCsv(r, "rec_id").table().orElseThrow();
                table = table == null ? t : table.concat(t);
            }
        }
        return table;
    }

    static LinkageQuality quality(RecordTable table, DedupeResult result) {
        List<String> ids = IntStream.range(0, table.size()).mapToObj(table::id).toList();
        return LinkageQuality.of(result.autoMerge(), ids, LinkageQuality::febrlEntity);
    }

    private static LinkageQuality dedupe(String... files) throws IOException {
        RecordTable table = febrl(files);
        DedupeResult result = new Deduplicator(DedupeSettings.defaults()).run(table);
        LinkageQuality q = quality(table, result);
        System.out.println(String.join("+", files) + ": " + q + ", " + result.candidatePairs() + " candidate pairs");
        return q;
    }

    @Test
    void findsFebrl1DuplicatesWithF1AtLeast95() throws IOException {
        assertThat(dedupe("dataset1.csv").f1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void findsFebrl2DuplicatesWithF1AtLeast95() throws IOException {
        assertThat(dedupe("dataset2.csv").f1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void findsFebrl3DuplicatesWithF1AtLeast95() throws IOException {
        assertThat(dedupe("dataset3.csv").f1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void linksFebrl4UnionWithF1AtLeast90() throws IOException {
        assertThat(dedupe("dataset4a.csv", "dataset4b.csv").f1()).isGreaterThanOrEqualTo(0.90);
    }
}
