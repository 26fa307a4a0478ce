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
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code tessera export parquet --to DIR [--since DATE] [--compression CODEC]}: the event log as
 * Parquet files in an object-store-style layout, partitioned by the day (UTC) of each event's time:
 *
 * <pre>
 * DIR/raw/dt=2026-11-01/part-p000-00000000000000000000-00000000000000001233.parquet
 * DIR/processed/dt=2026-11-01/part-p000-…parquet
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
 * <p>Works on any {@link EventLog}: the embedded SQLite log (one partition) or a cluster's Kafka
 * topic (every partition, read by a consumer group of its own, {@code <group>.ParquetExportReader},
 * so the processing nodes' positions are untouched). It reads each partition up to the newest event
 * present when it began ({@link EventLog#lastOffsets}) and streams: rows are kept per (partition,
 * day) and written out every {@value #ROWS_PER_FILE} rows, so memory does not grow with the log. A
 * part file is named by its partition and the log offsets it covers, which depend only on the log,
 * so exporting the same log again rewrites the same files; each file is written beside its place
 * and renamed into it, so a reader never sees half a file. Pages are compressed with
 * {@link ParquetCodecs} (Snappy by default). Files are written on the log's delivery thread.
 */
public final class ParquetExport {
    static final int ROWS_PER_FILE = 100_000;

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
    private static final ParquetCodecs CODECS = new ParquetCodecs();

    private final EventLog log;
    private final ProfileStore profiles;
    private final CompressionCodecName codec;

    public ParquetExport(EventLog log, ProfileStore profiles, CompressionCodecName codec) {
        if (!ParquetCodecs.supports(codec)) {
            throw new IllegalArgumentException("unsupported Parquet codec " + codec + " (snappy, zstd, gzip or none)");
        }
        this.log = log;
        this.profiles = profiles;
        this.codec = codec;
    }

    /** What a run wrote: events exported, and the files. */
    public record Summary(long events, List<Path> files) {}

    public Summary run(Path to, Optional<LocalDate> since, PrintStream progress) throws IOException, InterruptedException {
        Map<Integer, Long> last = new TreeMap<>(log.lastOffsets());
        last.values().removeIf(offset -> offset < 0);
        ParquetExportReader reader = new ParquetExportReader(to, since, last);
        if (!last.isEmpty()) {
            long total = log.size();
            try (EventLog.Subscription ignored = log.subscribe(reader)) {
                while (!reader.done.await(5, TimeUnit.SECONDS)) {
                    progress.printf("\r%,d of %,d events read", reader.read(), total);
                }
            }
            progress.printf("\r%,d events read%n", reader.read());
        }
        return reader.summary();
    }

    /**
     * Reads every partition up to its last offset at the start, buffering rows per (partition, day)
     * and writing a part file per {@value #ROWS_PER_FILE} rows and at the end. Called by the log's
     * delivery thread(s); its state is guarded by its own monitor. The class name names the
     * consumer group on Kafka.
     */
    private final class ParquetExportReader implements EventBatchHandler {
        private final Path to;
        private final Optional<LocalDate> since;
        private final Map<Integer, Long> last;
        private final Map<Integer, Map<LocalDate, List<LoggedEvent>>> buffers = new HashMap<>();
        private final List<Path> files = new ArrayList<>();
        private final CountDownLatch done = new CountDownLatch(1);
        private long read;
        private long exported;
        private IOException failure;

        ParquetExportReader(Path to, Optional<LocalDate> since, Map<Integer, Long> last) {
            this.to = to;
            this.since = since;
            this.last = new HashMap<>(last);
        }

        @Override
        public long resumeAfter(int partition) {
            return -1;
        }

        @Override
        public synchronized void onBatch(int partition, List<LoggedEvent> batch) {
            Long end = last.get(partition);
            if (end == null || failure != null) {
                return;
            }
            try {
                for (LoggedEvent e : batch) {
                    if (e.offset() > end) {
                        break;
                    }
                    read++;
                    LocalDate day = LocalDate.ofInstant(e.event().timestamp(), ZoneOffset.UTC);
                    if (since.isPresent() && day.isBefore(since.get())) {
                        continue;
                    }
                    List<LoggedEvent> rows = buffers.computeIfAbsent(partition, p -> new TreeMap<>()).computeIfAbsent(day, d -> new ArrayList<>());
                    rows.add(e);
                    if (rows.size() == ROWS_PER_FILE) {
                        flush(partition, day, rows);
                    }
                }
                if (batch.getLast().offset() >= end) {
                    for (Map.Entry<LocalDate, List<LoggedEvent>> day : buffers.getOrDefault(partition, Map.of()).entrySet()) {
                        flush(partition, day.getKey(), day.getValue());
                    }
                    buffers.remove(partition);
                    last.remove(partition);
                }
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException("writing Parquet failed: " + e.getMessage(), e);
            }
            if (last.isEmpty() || failure != null) {
                done.countDown();
            }
        }

        private void flush(int partition, LocalDate day, List<LoggedEvent> rows) throws IOException {
            if (rows.isEmpty()) {
                return;
            }
            String part = "part-p%03d-%020d-%020d.parquet".formatted(partition, rows.getFirst().offset(), rows.getLast().offset());
            files.add(write(to.resolve("raw").resolve("dt=" + day).resolve(part), RAW, rows, ParquetExport.this::raw));
            files.add(write(to.resolve("processed").resolve("dt=" + day).resolve(part), PROCESSED, rows, ParquetExport.this::processed));
            exported += rows.size();
            rows.clear();
        }

        synchronized long read() {
            return read;
        }

        synchronized Summary summary() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return new Summary(exported, files.stream().sorted().toList());
        }
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
                .withCodecFactory(CODECS).withCompressionCodec(codec).build()) {
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
