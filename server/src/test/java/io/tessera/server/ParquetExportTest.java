package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
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

        assertThat(files(lake)).allMatch(p -> p.matches("(raw|processed)/dt=2026-11-0[12]/part-\\d{20}-\\d{20}\\.parquet"))
                .hasSize(4);
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

        Path since = dir.resolve("since");
        assertThat(new CommandLine(new Main()).execute("export", "parquet", "--to", since.toString(), "--since", "2026-11-02",
                "--data-dir", data.toString())).isZero();
        assertThat(byMessageId(since.resolve("raw"))).containsOnlyKeys("m3", "m4");
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
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
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
