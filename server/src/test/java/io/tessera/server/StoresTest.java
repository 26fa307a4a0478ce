package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.event.Event;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore.HistoryEntry;
import io.tessera.profile.ProfileStore.ProfileCommit;
import io.tessera.server.cluster.ClusterUnavailableException;
import io.tessera.server.cluster.Deployment;
import io.tessera.testkit.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store set the composition root builds: SQLite in embedded mode, one shared PostgreSQL in cluster mode. */
class StoresTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    private static Deployment deployment(Map<String, String> settings) {
        return Deployment.of(key -> Optional.ofNullable(settings.get(key)));
    }

    private static Deployment cluster(TestPostgres.Schema pg) {
        return deployment(Map.of("mode", "cluster", "kafka.bootstrap-servers", "127.0.0.1:9", "postgres.url", pg.url(),
                "postgres.user", pg.user(), "postgres.password", pg.password()));
    }

    private static List<Object> everyPort(Stores s) {
        return List.of(s.profiles(), s.quarantine(), s.trackingPlans(), s.dictionary(), s.qualitySettings(), s.memberships(),
                s.windowTimers(), s.segmentDefinitions(), s.templates(), s.campaigns(), s.sendLedger(), s.outbox(),
                s.suppressions(), s.hookSources(), s.pulls(), s.dedupeReviews(), s.triggerQueue());
    }

    private static ProfileCommit oneProfile(String id, String userId) {
        Event e = Event.track("m-" + id, userId, "Signed Up", Map.of(), T0);
        Profile p = new Profile(id, Map.of(), Map.of(), Map.of(), List.of(e), 0);
        return new ProfileCommit(List.of(p), List.of(), Map.of(Identity.userId(userId), id), List.of(new HistoryEntry(id, 0, e)),
                List.of(), Map.of(0, 0L));
    }

    @Test
    void embeddedModeKeepsEveryStoreInTheDataDirectory() {
        try (Stores stores = Stores.open(deployment(Map.of()), dir)) {
            assertThat(stores.shared()).isFalse();
            assertThat(everyPort(stores)).allSatisfy(s -> assertThat(s.getClass().getSimpleName()).startsWith("Sqlite"));
            stores.profiles().commit(oneProfile("p_1", "ann"));
            assertThat(stores.profiles()).isSameAs(stores.profiles());
        }
        assertThat(Files.exists(dir.resolve("tessera.db"))).isTrue();
    }

    @Test
    void clusterModeBacksEveryPortWithOneSharedPostgresDatabase() {
        try (TestPostgres.Schema pg = TestPostgres.freshSchema()) {
            try (Stores node1 = Stores.open(cluster(pg), dir.resolve("n1")); Stores node2 = Stores.open(cluster(pg), dir.resolve("n2"))) {
                assertThat(node1.shared()).isTrue();
                assertThat(everyPort(node1)).allSatisfy(s -> assertThat(s.getClass().getSimpleName()).startsWith("Postgres"));

                node1.profiles().commit(oneProfile("p_1", "ann"));

                assertThat(node2.profiles().resolve(Identity.userId("ann"))).contains("p_1");
                assertThat(node2.profiles().history("p_1")).hasSize(1);
                node2.check();
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).as("no SQLite file in cluster mode").noneMatch(p -> Files.exists(p.resolve("tessera.db")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void unreachablePostgresStopsTheStartNamingTheUrlAndTheSetting() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Deployment d = deployment(Map.of("mode", "cluster", "kafka.bootstrap-servers", "127.0.0.1:9",
                "postgres.url", "jdbc:postgresql://127.0.0.1:" + closed + "/tessera"));

        assertThatThrownBy(() -> Stores.open(d, dir))
                .isInstanceOf(ClusterUnavailableException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + closed)
                .hasMessageContaining("postgres.url");
    }
}
