package io.tessera.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.segment.SaveVerdict;
import io.tessera.server.Tessera;
import io.tessera.server.TesseraConfig;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two running cluster nodes on one PostgreSQL database and one broker: a segment saved through
 * one is in force on the other within seconds (the {@code definitions} topic makes it re-read
 * the stored definitions), a new version replaces the old one there, and a deletion reaches it too.
 */
class DefinitionsTopicTest {
    @TempDir Path dir;

    @Test
    void aSegmentSavedChangedOrDeletedOnOneNodeIsInForceOnTheOther() throws Exception {
        try (TestPostgres.Schema pg = TestPostgres.freshSchema()) {
            Map<String, String> settings = new HashMap<>();
            String run = "defs-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            settings.put("MODE", "cluster");
            settings.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers());
            settings.put("KAFKA_TOPICS_EVENTS", run + "-events");
            settings.put("KAFKA_TOPICS_SEGMENT_CHANGES", run + "-segment-changes");
            settings.put("KAFKA_TOPICS_SEND_JOBS", run + "-send-jobs");
            settings.put("KAFKA_TOPICS_DEFINITIONS", run + "-definitions");
            settings.put("KAFKA_PARTITIONS", "2");
            settings.put("KAFKA_GROUP", run);
            settings.put("POSTGRES_URL", pg.url());
            settings.put("POSTGRES_USER", pg.user());
            settings.put("POSTGRES_PASSWORD", pg.password());
            settings.put("POSTGRES_POOL_SIZE", "3");
            try (Tessera a = new Tessera(config(dir.resolve("a"), settings)).start();
                 Tessera b = new Tessera(config(dir.resolve("b"), settings)).start()) {
                assertThat(a.segments().registry().save("buyers", "Buyers", "count(\"Order Completed\") > 0"))
                        .isInstanceOf(SaveVerdict.Saved.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> b.segments().registry().get("buyers").isPresent());

                assertThat(a.segments().registry().save("buyers", "Buyers", "count(\"Order Completed\") > 1"))
                        .isInstanceOf(SaveVerdict.Saved.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> b.segments().registry().get("buyers")
                        .map(d -> d.version() == 2 && d.condition().contains("> 1")).orElse(false));

                assertThat(a.segments().registry().delete("buyers")).isEmpty();
                await().atMost(Duration.ofSeconds(30)).until(() -> b.segments().registry().get("buyers").isEmpty());
            }
        }
    }

    private static TesseraConfig config(Path dataDir, Map<String, String> settings) {
        return new TesseraConfig("127.0.0.1", 0, dataDir, List.of("write-key"), Optional.of("admin"),
                TesseraConfig.Ingest.defaults(), settings);
    }
}
