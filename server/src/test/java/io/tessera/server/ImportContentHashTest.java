package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.quality.ContentHash;
import io.tessera.server.importer.EventImport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imported rows without ids get the one content-hash id, so the log's messageId dedupe stores each row once. */
class ImportContentHashTest {
    @TempDir
    Path dir;

    @Test
    void importingTheSameCsvTwiceStoresEachRowOnceUnderItsContentHash() throws Exception {
        Path csv = dir.resolve("orders.csv");
        Files.writeString(csv, "userId,event,orderId\nu1,Order Completed,o1\nu1,Order Completed,o1\nu2,Order Completed,o2\n");
        try (RunningTessera t = new RunningTessera(dir.resolve("data"))) {
            PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
            EventImport.Summary first = new EventImport(t.tessera.ingestor(), t.tessera.quarantine()).run(csv, quiet);
            EventImport.Summary second = new EventImport(t.tessera.ingestor(), t.tessera.quarantine()).run(csv, quiet);

            assertThat(first.rows()).isEqualTo(3);
            assertThat(first.duplicates()).isEqualTo(1);
            assertThat(second.duplicates()).isEqualTo(3);
            assertThat(t.tessera.log().size()).isEqualTo(2);
            t.awaitProfiles();
            String expectedId = ContentHash.messageId("import", List.of("userId", "event", "orderId", "u1", "Order Completed", "o1"));
            @SuppressWarnings("unchecked") List<Map<String, Object>> timeline =
                    (List<Map<String, Object>>) t.getJson("/api/v1/profiles/u1").get("timeline");
            assertThat(timeline).hasSize(1);
            assertThat(timeline.getFirst().toString()).contains(expectedId);
        }
    }
}
