package io.tessera.server.export;

import io.tessera.event.EventLog;
import io.tessera.log.sqlite.SqliteEventLog;
import io.tessera.store.sqlite.SqliteProfileStore;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tessera export parquet --to DIR [--since DATE]}: offline, on the embedded data directory. */
@Command(name = "export", description = "Export the event log for a warehouse or data lake.",
        subcommands = ExportCommand.Parquet.class)
public final class ExportCommand {

    @Command(name = "parquet", description = "Raw and processed events as Parquet files partitioned by day (DIR/raw/dt=YYYY-MM-DD/part-….parquet).")
    static final class Parquet implements Callable<Integer> {
        @Option(names = "--to", required = true, description = "the target directory (an object-store-style layout is written below it)")
        Path to;
        @Option(names = "--since", description = "only events on or after this day (UTC), e.g. 2026-11-01")
        Optional<LocalDate> since;
        @Option(names = "--data-dir", defaultValue = "tessera-data", description = "data directory (default ./tessera-data)")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            try (EventLog log = new SqliteEventLog(dataDir.resolve("events.db"));
                 SqliteProfileStore profiles = new SqliteProfileStore(dataDir.resolve("tessera.db"))) {
                ParquetExport.Summary s = new ParquetExport(log, profiles).run(to, since, System.err);
                System.out.println("exported " + s.events() + " events into " + s.files().size() + " files under " + to);
            }
            return 0;
        }
    }
}
