package io.tessera.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for tests, found or started once per JVM, handing out one fresh schema per test.
 *
 * <p>Where the server comes from, in this order:
 * <ol>
 *   <li>{@code TESSERA_PG_URL} (a JDBC URL; {@code TESSERA_PG_USER} / {@code TESSERA_PG_PASSWORD}
 *       optional): a server someone else runs (a CI service). It must answer.</li>
 *   <li>Otherwise the PostgreSQL binaries ({@code TESSERA_PG_BIN}, {@code /usr/lib/postgresql/<newest>/bin},
 *       or {@code initdb} on the PATH): a private cluster is initialised and started on a free
 *       loopback port, trust authentication, no fsync, {@code wal_level=logical} (replication
 *       connections are trusted from loopback too), and stopped (and deleted) when the JVM exits.
 *       Not root: the cluster lives in {@code target/postgres-<pid>}. Root (CI containers):
 *       {@code initdb} refuses root, so the cluster is created in a temporary directory owned by the
 *       {@code postgres} user and every command runs through {@code runuser -u postgres}.</li>
 *   <li>Neither: every test that asks is <em>skipped</em> with the reason, so {@code ./mvnw verify}
 *       passes on a machine that has only a JDK, unless {@code TESSERA_REQUIRE_POSTGRES=1}
 *       ({@code .ci/run} sets it), where the same tests <em>fail</em>.</li>
 * </ol>
 *
 * <p>Threading: the server is resolved once, under the class lock; {@link #freshSchema} may be
 * called from any thread.
 */
public final class TestPostgres {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static Server server;

    private TestPostgres() {}

    /** A PostgreSQL server reachable with {@code url}, {@code user} and {@code password}. */
    public record Server(String url, String user, String password) {}

    /**
     * A new empty schema, dropped on {@link #close}. {@link #url} points the connection's
     * {@code search_path} at it, so code under test needs no schema name.
     */
    public record Schema(Server server, String name) implements AutoCloseable {
        public String url() {
            return server.url() + (server.url().contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        public String user() {
            return server.user();
        }

        public String password() {
            return server.password();
        }

        @Override
        public void close() {
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A fresh schema on the test server. Skips the calling test if there is no PostgreSQL here, or
     * fails it when {@code TESSERA_REQUIRE_POSTGRES=1}.
     */
    public static Schema freshSchema() {
        Server s = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = connect(s); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema on " + s.url() + ": " + e.getMessage(), e);
        }
        return new Schema(s, name);
    }

    /** The test server (see the class comment); skips or fails the caller when there is none. */
    public static synchronized Server server() {
        if (server == null) {
            Availability found = find();
            switch (found) {
                case Availability.Found f -> server = f.server();
                case Availability.Missing m -> {
                    if ("1".equals(System.getenv("TESSERA_REQUIRE_POSTGRES"))) {
                        Assertions.fail("PostgreSQL is required (TESSERA_REQUIRE_POSTGRES=1) but " + m.reason());
                    }
                    Assumptions.abort("PostgreSQL tests skipped: " + m.reason()
                            + " (install PostgreSQL, or set TESSERA_PG_URL to a JDBC URL)");
                }
            }
        }
        return server;
    }

    private sealed interface Availability {
        record Found(Server server) implements Availability {}

        record Missing(String reason) implements Availability {}
    }

    private static Availability find() {
        String url = System.getenv("TESSERA_PG_URL");
        if (url != null && !url.isBlank()) {
            Server given = new Server(url, env("TESSERA_PG_USER"), env("TESSERA_PG_PASSWORD"));
            try (Connection c = connect(given)) {
                return new Availability.Found(given);
            } catch (SQLException e) {
                throw new IllegalStateException("TESSERA_PG_URL=" + url + " does not answer: " + e.getMessage(), e);
            }
        }
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            return new Availability.Missing("no PostgreSQL binaries found (TESSERA_PG_BIN, /usr/lib/postgresql/*/bin, PATH)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !userExists("postgres")) {
            return new Availability.Missing("running as root, and initdb refuses root, but there is no 'postgres' user to run it as");
        }
        return new Availability.Found(PrivateCluster.start(bin.get(), root));
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "" : v;
    }

    static Connection connect(Server s) throws SQLException {
        return s.user().isEmpty() ? DriverManager.getConnection(s.url()) : DriverManager.getConnection(s.url(), s.user(), s.password());
    }

    private static Optional<Path> binaries() {
        String given = System.getenv("TESSERA_PG_BIN");
        if (given != null && !given.isBlank()) {
            // only there: also how to prove the skip on a machine that has PostgreSQL elsewhere
            return Optional.of(Path.of(given)).filter(b -> Files.isExecutable(b.resolve("initdb")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                        .map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(p -> !p.isEmpty()).map(Path::of)
                .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                .findFirst();
    }

    private static boolean userExists(String user) {
        try {
            return new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** initdb + pg_ctl start on a free port; a shutdown hook stops the cluster and deletes it. */
    private static final class PrivateCluster {
        private static final String USER = "tessera";

        static Server start(Path bin, boolean root) {
            try {
                Path dir;
                if (root) {
                    // the postgres user must reach the directory: /tmp, not a path under /root
                    dir = Files.createTempDirectory("tessera-pg-");
                    UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                    Files.setOwner(dir, postgres);
                } else {
                    dir = Path.of("target", "postgres-" + ProcessHandle.current().pid()).toAbsolutePath();
                    Files.createDirectories(dir);
                }
                Path data = dir.resolve("data");
                int port = freePort();
                run(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                        "-E", "UTF8", "--locale=C", "--no-sync");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, root, dir, data), "test-postgres-stop"));
                run(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                        "-w", "-t", "60", "-o", String.join(" ", "-p", Integer.toString(port),
                                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                                "-c", "max_connections=200", "-c", "shared_buffers=64MB",
                                // logical decoding for the change-data-capture tests (pgoutput, no extension)
                                "-c", "wal_level=logical", "-c", "max_replication_slots=20", "-c", "max_wal_senders=20"),
                        "start");
                return new Server("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a private PostgreSQL cluster from " + bin, e);
            }
        }

        private static void stop(Path bin, boolean root, Path dir, Path data) {
            try {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    run(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
                }
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("test PostgreSQL in " + dir + " not cleaned up: " + e.getMessage());
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        private static void run(boolean root, String... command) throws IOException {
            List<String> cmd = new ArrayList<>();
            if (root) {
                cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            cmd.addAll(List.of(command));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException(String.join(" ", cmd) + " failed:\n" + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + String.join(" ", cmd), e);
            }
        }
    }
}
