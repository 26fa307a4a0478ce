package io.tessera.server.export;

import io.tessera.event.Event;
import io.tessera.event.EventBatchHandler;
import io.tessera.event.EventCodec;
import io.tessera.event.EventLog;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.Identity;
import io.tessera.profile.ProfileStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tessera export parquet --to DIR [--since DATE]}: the event log as Parquet files in an
 * object-store-style layout, partitioned by the day (UTC) of each event's time:
 *
 * <pre>
 * DIR/raw/dt=2026-11-01/part-00000000000000000000-00000000000000001233.parquet
 * DIR/processed/dt=2026-11-01/part-…parquet
 * </pre>
 *
 * <ul>
 *   <li><b>raw</b> ({@link #RAW}): every event as stored — log offset, ids, type, name, times, source
 *       and the whole stored JSON ({@link EventCodec}).</li>
 *   <li><b>processed</b> ({@link #PROCESSED}): the events as the profiles see them — with the
 *       profile id the identity graph resolves them to now (after merges), and properties / traits
 *       / context as JSON text.</li>
 * </ul>
 *
 * <p>A part file is named by the range of log offsets the run read, so exporting the same log again
 * rewrites the same files (idempotent); each file is written beside its place and renamed into it,
 * so a reader never sees half a file. Files are uncompressed (parquet-java's codecs need a Hadoop
 * runtime; see the parent pom). Reads the log through a subscription from the start and stops once
 * it has seen every event present when it began. Single-threaded apart from the log's delivery thread.
 */
public final class ParquetExport {
    static final MessageType RAW = MessageTypeParser.parseMessageType("""
            message raw_event {
              required int64 log_offset;
              required binary message_id (STRING);
              required binary type (STRING);
              optional binary name (STRING);
              optional binary user_id (STRING);
              optional binary anonymous_id (STRING);
              required int64 timestamp (TIMESTAMP(MICROS,true));
              required int64 received_at (TIMESTAMP(MICROS,true));
              required binary source (STRING);
              required binary json (STRING);
            }""");
    static final MessageType PROCESSED = MessageTypeParser.parseMessageType("""
            message processed_event {
              required int64 log_offset;
              required binary message_id (STRING);
              optional binary profile_id (STRING);
              required binary type (STRING);
              optional binary name (STRING);
              required int64 timestamp (TIMESTAMP(MICROS,true));
              required binary properties (STRING);
              required binary traits (STRING);
              required binary context (STRING);
            }""");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final EventCodec CODEC = new EventCodec();

    private final EventLog log;
    private final ProfileStore profiles;

    public ParquetExport(EventLog log, ProfileStore profiles) {
        this.log = log;
        this.profiles = profiles;
    }

    /** What a run wrote: events per dataset, and the files. */
    public record Summary(long events, List<Path> files) {}

    public Summary run(Path to, Optional<LocalDate> since, PrintStream progress) throws IOException, InterruptedException {
        long size = log.size();
        Map<String, List<LoggedEvent>> byDay = new TreeMap<>();
        if (size > 0) {
            read(size, since, byDay, progress);
        }
        List<Path> files = new java.util.ArrayList<>();
        long events = 0;
        for (Map.Entry<String, List<LoggedEvent>> day : byDay.entrySet()) {
            List<LoggedEvent> rows = day.getValue();
            String part = "part-%020d-%020d.parquet".formatted(rows.getFirst().offset(), rows.getLast().offset());
            files.add(write(to.resolve("raw").resolve("dt=" + day.getKey()).resolve(part), RAW, rows, this::raw));
            files.add(write(to.resolve("processed").resolve("dt=" + day.getKey()).resolve(part), PROCESSED, rows, this::processed));
            events += rows.size();
            progress.printf("dt=%s: %,d events%n", day.getKey(), rows.size());
        }
        return new Summary(events, files);
    }

    /** Every event up to the log size seen at the start, grouped by day, in log order. */
    private void read(long size, Optional<LocalDate> since, Map<String, List<LoggedEvent>> byDay, PrintStream progress)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        long[] seen = {0};
        try (EventLog.Subscription sub = log.subscribe(new EventBatchHandler() {
            @Override
            public long resumeAfter(int partition) {
                return -1;
            }

            @Override
            public void onBatch(int partition, List<LoggedEvent> batch) {
                synchronized (byDay) {
                    for (LoggedEvent e : batch) {
                        if (seen[0] >= size) {
                            break;
                        }
                        seen[0]++;
                        LocalDate day = LocalDate.ofInstant(e.event().timestamp(), ZoneOffset.UTC);
                        if (since.isEmpty() || !day.isBefore(since.get())) {
                            byDay.computeIfAbsent(day.toString(), d -> new java.util.ArrayList<>()).add(e);
                        }
                    }
                    if (seen[0] >= size) {
                        done.countDown();
                    }
                }
            }
        })) {
            while (!done.await(5, TimeUnit.SECONDS)) {
                synchronized (byDay) {
                    progress.printf("\r%,d of %,d events read", seen[0], size);
                }
            }
        }
        progress.printf("\r%,d events read%n", size);
    }

    private interface RowWriter {
        Group row(SimpleGroupFactory f, LoggedEvent e);
    }

    private Path write(Path file, MessageType schema, List<LoggedEvent> rows, RowWriter toRow) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
                .withConf(new PlainParquetConfiguration()).withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).build()) {
            for (LoggedEvent e : rows) {
                w.write(toRow.row(f, e));
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private Group raw(SimpleGroupFactory f, LoggedEvent le) {
        Event e = le.event();
        Group g = f.newGroup().append("log_offset", le.offset()).append("message_id", e.messageId()).append("type", e.type().name());
        optional(g, "name", Optional.of(e.name()).filter(n -> !n.isEmpty()));
        optional(g, "user_id", e.userId());
        optional(g, "anonymous_id", e.anonymousId());
        return g.append("timestamp", micros(e.timestamp())).append("received_at", micros(e.receivedAt()))
                .append("source", e.source()).append("json", new String(CODEC.encode(e), StandardCharsets.UTF_8));
    }

    private Group processed(SimpleGroupFactory f, LoggedEvent le) {
        Event e = le.event();
        Group g = f.newGroup().append("log_offset", le.offset()).append("message_id", e.messageId());
        Optional<String> profile = e.userId().flatMap(u -> profiles.resolve(Identity.userId(u)))
                .or(() -> e.anonymousId().flatMap(a -> profiles.resolve(Identity.anonymousId(a))));
        optional(g, "profile_id", profile);
        g.append("type", e.type().name());
        optional(g, "name", Optional.of(e.name()).filter(n -> !n.isEmpty()));
        return g.append("timestamp", micros(e.timestamp())).append("properties", JSON.writeValueAsString(e.properties()))
                .append("traits", JSON.writeValueAsString(e.traits())).append("context", JSON.writeValueAsString(e.context()));
    }

    private static void optional(Group g, String field, Optional<String> value) {
        value.ifPresent(v -> g.append(field, v));
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
