package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change-data-capture on a real PostgreSQL (logical replication, pgoutput): a CRM table's row
 * changes reach the profiles, and a restart resumes from the confirmed position without losing
 * the changes made while Tessera was down and without applying any change twice.
 */
class PostgresCdcTest {
    @TempDir
    Path dir;

    @Test
    void customerRowChangesReachProfilesAndARestartResumesWithoutLossOrDuplicates() throws Exception {
        try (TestPostgres.Schema crm = TestPostgres.freshSchema()) {
            String slot = "tessera_" + crm.name();
            sql(crm, "CREATE TABLE customers (id bigint PRIMARY KEY, email text, first_name text, plan text, score numeric)");
            Map<String, String> settings = Map.of("cdc.url", crm.url(), "cdc.user", crm.user(), "cdc.password", crm.password(),
                    "cdc.table", crm.name() + ".customers", "cdc.key-column", "id", "cdc.slot", slot, "cdc.publication", slot,
                    "cdc.traits", "email=email,first_name=firstName,plan=plan,score=score");
            Path data = dir.resolve("data");
            try {
                try (RunningTessera t = new RunningTessera(data, settings)) {
                    awaitStreaming(crm, slot);
                    sql(crm, "INSERT INTO customers VALUES (42, 'ann@example.com', 'Ann', 'free', 7.5)");
                    await().atMost(Duration.ofSeconds(30)).until(() -> t.tessera.log().size() == 1);
                    t.awaitProfiles();
                    assertThat(traits(t, "42")).contains("plan=free");
                    assertThat(traits(t, "42")).contains("firstName=Ann", "score=7.5");

                    sql(crm, "UPDATE customers SET plan = 'pro' WHERE id = 42");
                    await().atMost(Duration.ofSeconds(30)).until(() -> traits(t, "42").contains("plan=pro"));
                }
                // while Tessera is down, the CRM goes on: one transaction with an update and an insert
                sql(crm, "BEGIN; UPDATE customers SET plan = 'enterprise' WHERE id = 42;"
                        + " INSERT INTO customers VALUES (43, 'bob@example.com', 'Bob', 'free', NULL); COMMIT");
                try (RunningTessera t = new RunningTessera(data, settings)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> traits(t, "43").contains("firstName=Bob"));
                    assertThat(traits(t, "42")).contains("plan=enterprise");

                    sql(crm, "DELETE FROM customers WHERE id = 43");
                    await().atMost(Duration.ofSeconds(30)).until(() -> traits(t, "43").contains("crm_deleted=true"));
                    assertThat(t.tessera.log().size()).as("insert, update, update, insert, delete: each once").isEqualTo(5);
                    assertThat(t.tessera.cdc().orElseThrow().changes()).as("after the restart").isEqualTo(3);
                }
            } finally {
                sql(crm, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "';"
                        + " DROP PUBLICATION IF EXISTS " + slot);
            }
        }
    }

    private static String traits(RunningTessera t, String userId) {
        java.net.http.HttpResponse<String> r = t.get("/api/v1/profiles/" + userId);
        return r.statusCode() == 200 ? String.valueOf(RunningTessera.json(r.body()).get("traits")) : "";
    }

    /** The slot exists and Tessera's replication connection holds it: changes from now on are captured. */
    private static void awaitStreaming(TestPostgres.Schema crm, String slot) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = connect(crm); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    private static void sql(TestPostgres.Schema crm, String statements) throws SQLException {
        try (Connection c = connect(crm); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }

    private static Connection connect(TestPostgres.Schema crm) throws SQLException {
        return DriverManager.getConnection(crm.url(), crm.user(), crm.password());
    }
}
