package io.tessera.server.export;

import io.tessera.event.EventLog;
import io.tessera.server.ConfigLoader;
import io.tessera.server.Stores;
import io.tessera.server.TesseraConfig;
import io.tessera.server.cluster.ClusterUnavailableException;
import io.tessera.server.cluster.Deployment;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera export parquet --to DIR [--since DATE] [--compression CODEC]}: on the embedded data
 * directory, or — with {@code mode: cluster} in the configuration — on the cluster's Kafka topic and
 * PostgreSQL, while the nodes run.
 */
@Command(name = "export", description = "Export the event log for a warehouse or data lake.",
        subcommands = ExportCommand.Parquet.class)
public final class ExportCommand {

    @Command(name = "parquet", description = "Raw and processed events as Parquet files partitioned by day (DIR/raw/dt=YYYY-MM-DD/part-….parquet).")
    static final class Parquet implements Callable<Integer> {
        @Option(names = "--to", required = true, description = "the target directory (an object-store-style layout is written below it)")
        Path to;
        @Option(names = "--since", description = "only events on or after this day (UTC), e.g. 2026-11-01")
        Optional<LocalDate> since;
        @Option(names = "--compression", defaultValue = "snappy", description = "page compression: snappy (default), zstd, gzip or none")
        String compression;
        @Option(names = "--data-dir", description = "data directory (default: data-dir of the configuration, ./tessera-data)")
        Optional<Path> dataDir;
        @Option(names = "--config", description = "configuration file (default ./tessera.yaml if present); mode: cluster exports from Kafka")
        Optional<Path> config;

        @Override
        public Integer call() throws Exception {
            CompressionCodecName codec = codec(compression);
            if (codec == null) {
                System.err.println("tessera export parquet: unknown --compression '" + compression + "' (snappy, zstd, gzip or none)");
                return 2;
            }
            TesseraConfig c = ConfigLoader.forCommand(config, dataDir);
            Path dir = c.dataDir();
            Deployment deployment = Deployment.of(c::setting);
            try (EventLog log = deployment.openLog(dir); Stores stores = Stores.open(deployment, dir)) {
                ParquetExport.Summary s = new ParquetExport(log, stores.profiles(), codec).run(to, since, System.err);
                System.out.println("exported " + s.events() + " events into " + s.files().size() + " files under " + to);
            } catch (ClusterUnavailableException e) {
                System.err.println("tessera export parquet: " + e.getMessage());
                return 2;
            }
            return 0;
        }

        private static CompressionCodecName codec(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "snappy" -> CompressionCodecName.SNAPPY;
                case "zstd" -> CompressionCodecName.ZSTD;
                case "gzip" -> CompressionCodecName.GZIP;
                case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
                default -> null;
            };
        }
    }
}
