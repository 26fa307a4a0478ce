package io.tessera.server;

import io.tessera.event.EventLog;
import io.tessera.log.sqlite.SqliteEventLog;
import io.tessera.profile.ProfileRebuild;
import io.tessera.server.importer.EventImport;
import io.tessera.store.sqlite.SqliteProfileStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code tessera} command line: {@code serve}, {@code demo}, {@code import}, {@code rebuild}. */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "Tessera 0.1.0",
        description = "Self-hosted engine for real-time email personalization.",
        subcommands = {Main.Serve.class, Main.Demo.class, Main.Import.class, Main.Rebuild.class,
                io.tessera.server.cli.DedupeCommand.class,
                io.tessera.server.cli.RenderCommand.class, io.tessera.server.cli.TemplatesCommand.class,
                io.tessera.server.cli.KeysCommand.class,
                io.tessera.server.cli.BouncesCommand.class, io.tessera.server.export.ExportCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Options every command takes. */
    static final class Common {
        @Option(names = "--config", description = "configuration file (tessera.yaml)")
        Optional<Path> config;
        @Option(names = "--data-dir", description = "data directory (default ./tessera-data)")
        Optional<Path> dataDir;
        @Option(names = "--port", description = "HTTP port (default 8080)")
        Optional<Integer> port;

        TesseraConfig config() {
            TesseraConfig c = ConfigLoader.forCommand(config, dataDir);
            if (port.isPresent()) {
                c = c.withPort(port.get());
            }
            return c;
        }
    }

    /** Runs until SIGTERM/SIGINT, then shuts down gracefully. */
    static void serveUntilStopped(Tessera tessera) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tessera.close();
            stopped.countDown();
        }, "tessera-shutdown"));
        stopped.await();
    }

    @Command(name = "serve", description = "Run the engine (HTTP API on --port).")
    static final class Serve implements Callable<Integer> {
        @Mixin Common common = new Common();

        @Override
        public Integer call() throws Exception {
            Tessera tessera;
            try {
                tessera = new Tessera(common.config()).start();
            } catch (io.tessera.server.cluster.ClusterUnavailableException e) {
                System.err.println("tessera serve: " + e.getMessage());
                return 2;
            }
            System.out.println("Tessera is listening on http://localhost:" + tessera.port() + "/  (data: "
                    + tessera.config().dataDir().toAbsolutePath() + ")");
            serveUntilStopped(tessera);
            return 0;
        }
    }

    @Command(name = "demo", description = "Serve, load the bundled sample data and print where to look.")
    static final class Demo implements Callable<Integer> {
        @Mixin Common common = new Common();

        @Override
        public Integer call() throws Exception {
            TesseraConfig c = common.config();
            if (common.dataDir.isEmpty() && c.setting("data.dir").isEmpty()) {
                c = c.withDataDir(Path.of("tessera-demo-data"));
            }
            Tessera tessera = new Tessera(c).start();
            DemoData.load(tessera, System.out);
            String base = "http://localhost:" + tessera.port();
            System.out.println();
            System.out.println("Tessera demo is running on " + base + "/");
            System.out.println("  stats:    curl -H 'Authorization: Bearer <admin token>' " + base + "/api/v1/stats");
            System.out.println("  profile:  curl -H 'Authorization: Bearer <admin token>' " + base + "/api/v1/profiles/" + DemoData.SAMPLE_USER);
            System.out.println("  metrics:  " + base + "/metrics");
            System.out.println("  (the admin token is in " + tessera.config().dataDir().resolve(SecretsFile.FILE) + ")");
            serveUntilStopped(tessera);
            return 0;
        }
    }

    @Command(name = "import", description = "Load events or profiles from CSV or JSON Lines through the ingestion rules.")
    static final class Import implements Callable<Integer> {
        @Mixin Common common = new Common();
        @Parameters(paramLabel = "FILE", description = "a .csv, .jsonl/.ndjson or .json file, or (with --source) a directory of them")
        Path file;
        @Option(names = "--source", description = "incremental: the import source's name; only rows at or after its stored watermark are taken")
        Optional<String> source;
        @Option(names = "--watermark", defaultValue = "timestamp", description = "with --source: the column (or JSON Pointer) holding each row's watermark value (default timestamp)")
        String watermark;
        @Option(names = "--columns", split = ",", description = "a file without a header: the name of each column (- skips one), e.g. -,userId,timestamp,quantity,revenue")
        List<String> columns = List.of();
        @Option(names = "--delimiter", defaultValue = ",", description = "with --columns: whitespace, tab or a character (default ,)")
        String delimiter;
        @Option(names = "--event", description = "with --columns: the event name of every row, e.g. \"Order Completed\"")
        Optional<String> event;
        @Option(names = "--timestamp-format", description = "with --columns: the timestamp column's pattern, e.g. yyyyMMdd (dates are midnight UTC)")
        Optional<String> timestampFormat;

        @Override
        public Integer call() throws Exception {
            Optional<EventImport.Mapping> mapping = columns.isEmpty() ? Optional.empty()
                    : Optional.of(new EventImport.Mapping(columns, delimiter, event, timestampFormat));
            try (Tessera tessera = new Tessera(common.config()).startProcessing()) {
                EventImport importer = new EventImport(tessera.ingestor(), tessera.quarantine());
                EventImport.Summary s;
                if (source.isPresent()) {
                    var run = new io.tessera.server.importer.IncrementalImport(importer, tessera.stores().importWatermarks())
                            .run(new io.tessera.server.importer.IncrementalImport.Source(source.get(), watermark), file, mapping, System.err);
                    s = run.rows();
                    System.out.println("watermark of " + source.get() + ": " + run.from().orElse("(none)") + " -> " + run.to().orElse("(none)")
                            + " (" + s.skipped() + " rows before it skipped)");
                } else {
                    s = importer.run(file, mapping, System.err);
                }
                tessera.awaitProfilesCurrent(Duration.ofMinutes(30));
                System.out.println("imported " + file + ": " + s.accepted() + " accepted (" + s.duplicates()
                        + " already present), " + s.quarantined() + " quarantined, " + tessera.profiles().count() + " profiles");
                return s.quarantined() == 0 ? 0 : 2;
            }
        }
    }

    @Command(name = "rebuild", description = "Delete all profile state and replay the event log into fresh profiles.")
    static final class Rebuild implements Callable<Integer> {
        @Mixin Common common = new Common();

        @Override
        public Integer call() throws Exception {
            TesseraConfig c = common.config();
            try (EventLog log = new SqliteEventLog(c.dataDir().resolve("events.db"));
                 SqliteProfileStore store = new SqliteProfileStore(c.dataDir().resolve("tessera.db"))) {
                long started = System.nanoTime();
                ProfileRebuild.Result r = new ProfileRebuild(log, store, InstantSource.system()).run(Duration.ofHours(6));
                System.out.printf("rebuilt %d profiles from %d events in %.1f s%n", r.profiles(), r.eventsApplied(),
                        (System.nanoTime() - started) / 1e9);
            }
            return 0;
        }
    }
}
