package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.profile.Identity;
import io.tessera.server.export.ParquetCodecs;
import io.tessera.testkit.KafkaBroker;
import io.tessera.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tessera export parquet}: the files are read back with parquet-java's low-level file reader
 * (footer schema, row groups, record assembly — not the writer's code path) and compared with the
 * events that were sent.
 */
class ParquetExportTest {
    @TempDir
    Path dir;

    @Test
    void rawAndProcessedEventsAreExportedAsParquetPartitionedByDayAndReadBackEqual() throws Exception {
        Path data = dir.resolve("data");
        List<Map<String, Object>> sent = List.of(
                Map.of("type", "identify", "userId", "u1", "anonymousId", "a1", "traits", Map.of("email", "ann@example.com"),
                        "timestamp", "2026-11-01T08:00:00.123456Z", "messageId", "m1"),
                Map.of("type", "track", "userId", "u1", "event", "Product Viewed", "properties", Map.of("sku", "SKU-1", "price", 89),
                        "timestamp", "2026-11-01T23:59:59Z", "messageId", "m2"),
                Map.of("type", "track", "anonymousId", "a1", "event", "Cart Viewed", "timestamp", "2026-11-02T00:00:00Z", "messageId", "m3"),
                Map.of("type", "track", "userId", "u2", "event", "Order Completed", "properties", Map.of("revenue", 12.5),
                        "timestamp", "2026-11-02T10:30:00Z", "messageId", "m4"));
        try (RunningTessera t = new RunningTessera(data)) {
            assertThat(t.post("/v1/batch", Map.of("batch", sent)).statusCode()).isEqualTo(200);
            t.awaitProfiles();
        }
        Path lake = dir.resolve("lake");
        assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", lake.toString(), "--data-dir", data.toString())).isZero();

        assertThat(files(lake)).allMatch(p -> p.matches("(raw|processed)/dt=2026-11-0[12]/part-p000-\\d{20}-\\d{20}\\.parquet"))
                .hasSize(4);
        assertThat(codecs(lake)).as("Snappy by default").containsOnly(CompressionCodecName.SNAPPY);
        Map<String, Group> raw = byMessageId(lake.resolve("raw"));
        assertThat(raw).containsOnlyKeys("m1", "m2", "m3", "m4");
        for (Map<String, Object> e : sent) {
            Group g = raw.get((String) e.get("messageId"));
            assertThat(g.getString("type", 0)).isEqualToIgnoringCase((String) e.get("type"));
            assertThat(g.getLong("timestamp", 0)).isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse((String) e.get("timestamp"))));
            assertThat(g.getFieldRepetitionCount("user_id")).isEqualTo(e.containsKey("userId") ? 1 : 0);
            assertThat(g.getString("json", 0)).contains((String) e.get("messageId"));
        }
        assertThat(raw.get("m2").getString("name", 0)).isEqualTo("Product Viewed");
        assertThat(dayOf(lake.resolve("raw"), "m2")).isEqualTo("dt=2026-11-01");
        assertThat(dayOf(lake.resolve("raw"), "m3")).isEqualTo("dt=2026-11-02");

        Map<String, Group> processed = byMessageId(lake.resolve("processed"));
        String ann = processed.get("m1").getString("profile_id", 0);
        assertThat(processed.get("m3").getString("profile_id", 0)).as("the anonymous event resolves to Ann's profile").isEqualTo(ann);
        assertThat(processed.get("m4").getString("profile_id", 0)).isNotEqualTo(ann);
        assertThat(processed.get("m2").getString("properties", 0)).contains("\"sku\":\"SKU-1\"");

        List<String> before = files(lake);
        assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", lake.toString(), "--data-dir", data.toString())).isZero();
        assertThat(files(lake)).as("exporting the same log again rewrites the same files").isEqualTo(before);

        Path zstd = dir.resolve("zstd");
        assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", zstd.toString(), "--compression", "zstd",
                "--data-dir", data.toString())).isZero();
        assertThat(codecs(zstd)).containsOnly(CompressionCodecName.ZSTD);
        assertThat(byMessageId(zstd.resolve("raw")).keySet()).isEqualTo(raw.keySet());
        assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", zstd.toString(), "--compression", "lz77",
                "--data-dir", data.toString())).as("an unknown codec is refused").isEqualTo(2);

        Path since = dir.resolve("since");
        assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", since.toString(), "--since", "2026-11-02",
                "--data-dir", data.toString())).isZero();
        assertThat(byMessageId(since.resolve("raw"))).containsOnlyKeys("m3", "m4");
    }

    @Test
    void aClusterIsExportedFromEveryPartitionOfItsKafkaTopic() throws Exception {
        try (TestPostgres.Schema pg = TestPostgres.freshSchema()) {
            Map<String, String> cluster = new LinkedHashMap<>();
            cluster.put("mode", "cluster");
            cluster.put("kafka.bootstrap-servers", KafkaBroker.shared().bootstrapServers());
            cluster.put("kafka.topics.events", "export-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            cluster.put("kafka.partitions", "4");
            cluster.put("postgres.url", pg.url());
            cluster.put("postgres.user", pg.user());
            cluster.put("postgres.password", pg.password());
            List<Map<String, Object>> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(Map.of("type", "track", "userId", "user-" + i, "event", "Product Viewed", "messageId", "k" + i,
                        "timestamp", "2026-11-0" + (1 + i % 3) + "T12:00:00Z"));
            }
            try (RunningTessera node = new RunningTessera(dir.resolve("cluster-node"), cluster)) {
                assertThat(node.post("/v1/batch", Map.of("batch", sent)).statusCode()).isEqualTo(200);
                node.awaitProfiles();
                Path yaml = dir.resolve("tessera.yaml");
                Files.writeString(yaml, cluster.entrySet().stream().map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                        .collect(Collectors.joining("\n")));
                Path lake = dir.resolve("cluster-lake");

                assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", lake.toString(), "--config", yaml.toString(),
                        "--data-dir", dir.resolve("unused").toString())).isZero();

                assertThat(files(lake)).allMatch(p -> p.matches("(raw|processed)/dt=2026-11-0[123]/part-p00[0-3]-\\d{20}-\\d{20}\\.parquet"));
                assertThat(files(lake).stream().map(p -> p.replaceAll(".*part-(p\\d+)-.*", "$1")).distinct().count())
                        .as("40 users spread over the 4 partitions").isGreaterThan(1);
                Map<String, Group> processed = byMessageId(lake.resolve("processed"));
                assertThat(processed).hasSize(40);
                assertThat(processed.get("k7").getString("profile_id", 0)).as("resolved through PostgreSQL")
                        .isEqualTo(node.tessera.profiles().resolve(Identity.userId("user-7")).orElseThrow());
                assertThat(dayOf(lake.resolve("raw"), "k7")).isEqualTo("dt=2026-11-02");
            }
        }
    }

    /** Read options with the codecs: parquet-java's default codec factory needs a Hadoop runtime. */
    private static ParquetReadOptions options() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(new ParquetCodecs()).build();
    }

    /** The compression codec of every column chunk of every file, from the footers. */
    private static Set<CompressionCodecName> codecs(Path root) throws IOException {
        Set<CompressionCodecName> codecs = new HashSet<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(p), options())) {
                    r.getFooter().getBlocks().forEach(b -> b.getColumns().forEach(c -> codecs.add(c.getCodec())));
                }
            }
        }
        return codecs;
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String dayOf(Path dataset, String messageId) throws IOException {
        try (Stream<Path> all = Files.walk(dataset)) {
            for (Path p : all.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                for (Group g : rows(p)) {
                    if (g.getString("message_id", 0).equals(messageId)) {
                        return p.getParent().getFileName().toString();
                    }
                }
            }
        }
        return "";
    }

    private static Map<String, Group> byMessageId(Path dataset) throws IOException {
        Map<String, Group> out = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(dataset)) {
            for (Path p : all.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                for (Group g : rows(p)) {
                    out.put(g.getString("message_id", 0), g);
                }
            }
        }
        return out;
    }

    private static List<Group> rows(Path file) throws IOException {
        List<Group> rows = new ArrayList<>();
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options())) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            for (PageReadStore pages = r.readNextRowGroup(); pages != null; pages = r.readNextRowGroup()) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(records.read());
                }
            }
        }
        return rows;
    }
}
