package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.importer.EventImport;
import io.tessera.server.importer.IncrementalImport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file or directory imported again and again takes only what is at or after its source's watermark. */
class IncrementalImportTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

    private static IncrementalImport incremental(RunningTessera t) {
        return new IncrementalImport(new EventImport(t.tessera.ingestor(), t.tessera.quarantine()), t.tessera.stores().importWatermarks());
    }

    @Test
    void reimportingAGrowingCsvTakesOnlyNewRowsAndKeepsBoundaryTiesOnce() throws Exception {
        Path csv = dir.resolve("orders.csv");
        Files.writeString(csv, """
                userId,event,orderId,updated_at
                u1,Order Completed,o1,2026-11-01T09:00:00Z
                u2,Order Completed,o2,2026-11-01T10:00:00Z
                u1,Order Completed,o3,2026-11-01T11:00:00Z
                u2,Order Completed,o4,2026-11-01T11:00:00Z
                """);
        IncrementalImport.Source source = new IncrementalImport.Source("shop-orders", "updated_at");
        try (RunningTessera t = new RunningTessera(dir.resolve("data"))) {
            IncrementalImport.Summary first = incremental(t).run(source, csv, Optional.empty(), progress);
            assertThat(first.rows().accepted()).isEqualTo(4);
            assertThat(first.from()).isEmpty();
            assertThat(first.to()).contains("2026-11-01T11:00:00Z");

            // the export grows: another order at the boundary time, a newer one, and a late one before it
            Files.writeString(csv, """
                    u1,Order Completed,o5,2026-11-01T11:00:00Z
                    u2,Order Completed,o6,2026-11-01T12:30:00Z
                    u1,Order Completed,o7,2026-11-01T10:30:00Z
                    """, StandardOpenOption.APPEND);
            IncrementalImport.Summary second = incremental(t).run(source, csv, Optional.empty(), progress);

            assertThat(second.rows().skipped()).as("rows before the watermark").isEqualTo(3);
            assertThat(second.rows().duplicates()).as("the boundary rows taken again").isEqualTo(2);
            assertThat(second.rows().accepted() - second.rows().duplicates()).as("new: o5 at the boundary and o6 after it").isEqualTo(2);
            assertThat(second.to()).contains("2026-11-01T12:30:00Z");
            assertThat(t.tessera.stores().importWatermarks().get("shop-orders")).contains("2026-11-01T12:30:00Z");
            assertThat(t.tessera.log().size()).isEqualTo(6);

            IncrementalImport.Summary third = incremental(t).run(source, csv, Optional.empty(), progress);
            assertThat(third.rows().duplicates()).as("o6, now the boundary").isEqualTo(1);
            assertThat(third.rows().accepted() - third.rows().duplicates()).isZero();
            assertThat(third.rows().skipped()).isEqualTo(6);
            assertThat(t.tessera.log().size()).isEqualTo(6);
        }
        assertThat(progressBytes.toString(StandardCharsets.UTF_8)).contains("orders.csv: 7 rows read, 6 skipped");
    }

    @Test
    void aDirectoryOfJsonLinesFilesIsTakenInNameOrderWithANumericWatermarkThatSurvivesARestart() throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        Files.writeString(drop.resolve("2026-11-01.jsonl"), """
                {"userId":"c1","traits":{"email":"c1@example.com","plan":"free"},"context":{"seq":1}}
                {"userId":"c2","traits":{"email":"c2@example.com","plan":"free"},"context":{"seq":2}}
                """);
        IncrementalImport.Source source = new IncrementalImport.Source("crm-export", "/context/seq");
        Path data = dir.resolve("data");
        try (RunningTessera t = new RunningTessera(data)) {
            assertThat(incremental(t).run(source, drop, Optional.empty(), progress).to()).contains("2");
        }
        Files.writeString(drop.resolve("2026-11-02.jsonl"), """
                {"userId":"c1","traits":{"plan":"pro"},"context":{"seq":10},"timestamp":"2026-11-02T08:00:00Z"}
                """);
        Files.writeString(drop.resolve("notes.txt"), "not an import file");
        try (RunningTessera t = new RunningTessera(data)) {
            IncrementalImport.Summary again = incremental(t).run(source, drop, Optional.empty(), progress);
            assertThat(again.from()).contains("2");
            assertThat(again.to()).as("10 > 2 as numbers, though not as text").contains("10");
            assertThat(again.rows().accepted() - again.rows().duplicates()).isEqualTo(1);
            assertThat(again.rows().duplicates()).as("seq 2, the boundary").isEqualTo(1);
            assertThat(again.rows().skipped()).isEqualTo(1);
            t.awaitProfiles();
            assertThat(t.getJson("/api/v1/profiles/c1").toString()).contains("pro");
        }
    }
}
