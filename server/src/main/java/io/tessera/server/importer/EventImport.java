package io.tessera.server.importer;

import io.tessera.ingest.IngestCodes;
import io.tessera.ingest.IngestReceipt;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.RequestVerdict;
import io.tessera.quality.QuarantineStore;
import io.tessera.quality.QuarantinedRecord;
import io.tessera.quality.Reason;
import io.tessera.quality.ContentHash;
import io.tessera.quality.CsvRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tessera import FILE}: CSV or JSON Lines of events or profiles, sent through the same
 * {@link Ingestor} as the HTTP API (same rules, same quarantine), in batches.
 *
 * <ul>
 *   <li><b>JSON Lines</b> ({@code .jsonl}, {@code .ndjson}, {@code .json}): one tracking-API call
 *       per line. A line without {@code type} is a track when it has {@code event}, else an identify
 *       (a profile row).</li>
 *   <li><b>CSV</b> with a header: with an {@code event} column each row is a track (other columns
 *       become properties), without one each row is a profile (an identify; other columns become
 *       traits). Columns {@code userId}, {@code anonymousId}, {@code messageId}, {@code timestamp},
 *       {@code type} keep their tracking-API meaning; numbers are read as numbers.</li>
 *   <li>A row without a messageId gets {@link ContentHash#messageId} of its content (a CSV row:
 *       the header and the cells; a JSON line: the line), so importing the same file twice stores
 *       each row once through the log's messageId dedupe — one content-hash scheme, one dedupe
 *       mechanism.</li>
 * </ul>
 */
public final class EventImport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final int BATCH_EVENTS = 500;
    private static final int BATCH_BYTES = 400 * 1024;
    private static final String SOURCE = "import";

    private final Ingestor ingestor;
    private final QuarantineStore quarantine;

    public EventImport(Ingestor ingestor, QuarantineStore quarantine) {
        this.ingestor = ingestor;
        this.quarantine = quarantine;
    }

    /** What an import did; {@code skipped}: rows before an incremental import's watermark. */
    public record Summary(long rows, long accepted, long duplicates, long quarantined, long skipped) {
        Summary plus(Summary o) {
            return new Summary(rows + o.rows, accepted + o.accepted, duplicates + o.duplicates, quarantined + o.quarantined, skipped + o.skipped);
        }
    }

    /**
     * How to read a delimited file without a header (a data set's own format, like CDNOW's
     * whitespace-separated columns): the name of each column ({@code -} skips it; the names of the
     * CSV header mean the same here), the event every row is (when no column is {@code event}),
     * and the timestamp's pattern (a date-only pattern means midnight UTC).
     *
     * @param delimiter {@code whitespace} (runs of blanks, leading ones ignored), {@code tab} or a single character
     */
    public record Mapping(List<String> columns, String delimiter, Optional<String> event, Optional<String> timestampPattern) {
        public Mapping {
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("--columns needs at least one column name");
            }
        }

        String[] split(String line) {
            return switch (delimiter) {
                case "whitespace" -> line.strip().split("\\s+");
                case "tab" -> line.split("\t", -1);
                default -> line.split(java.util.regex.Pattern.quote(delimiter), -1);
            };
        }
    }

    public Summary run(Path file, PrintStream progress) throws IOException {
        return run(file, Optional.empty(), progress);
    }

    public Summary run(Path file, Optional<Mapping> mapping, PrintStream progress) throws IOException {
        return run(file, mapping, row -> true, progress);
    }

    /**
     * Imports the rows of {@code file} that {@code take} accepts (as tracking-API calls, before
     * defaults); the others are counted as skipped. The returned summary is durable: every batch
     * has been acknowledged by the log.
     */
    public Summary run(Path file, Optional<Mapping> mapping, java.util.function.Predicate<Map<String, Object>> take,
                       PrintStream progress) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Batcher b = new Batcher(progress, take);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (mapping.isPresent()) {
                readMapped(r, mapping.get(), file.getFileName().toString(), b);
            } else if (name.endsWith(".csv")) {
                readCsv(r, b);
            } else {
                readJsonLines(r, b);
            }
        }
        b.flush();
        progress.printf("\r%s: %,d rows read, %,d skipped%n", file.getFileName(), b.rows, b.skipped);
        return new Summary(b.rows, b.accepted, b.duplicates, b.quarantined, b.skipped);
    }

    private void readJsonLines(BufferedReader r, Batcher b) throws IOException {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<String, Object> m = JSON.readValue(line, MAP);
                b.add(withDefaults(m, List.of(line)));
            } catch (JacksonException e) {
                b.reject(line, new Reason(IngestCodes.MALFORMED_JSON, "", "malformed JSON: " + e.getOriginalMessage()));
            }
        }
    }

    private void readCsv(BufferedReader r, Batcher b) throws IOException {
        CsvRecords.Cursor rows = new CsvRecords.Cursor(r);
        Optional<CsvRecords.Row> header = rows.next();
        if (header.isEmpty()) {
            return;
        }
        List<String> columns = header.get().cells();
        boolean events = columns.contains("event");
        for (Optional<CsvRecords.Row> row = rows.next(); row.isPresent(); row = rows.next()) {
            List<String> cells = row.get().cells();
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> rest = new LinkedHashMap<>();
            for (int i = 0; i < columns.size() && i < cells.size(); i++) {
                String col = columns.get(i);
                String cell = cells.get(i);
                if (cell.isEmpty()) {
                    continue;
                }
                switch (col) {
                    case "userId", "anonymousId", "messageId", "timestamp", "type", "event" -> m.put(col, cell);
                    default -> rest.put(col, number(cell));
                }
            }
            m.put(events ? "properties" : "traits", rest);
            List<String> content = new ArrayList<>(columns);
            content.addAll(cells);
            b.add(withDefaults(m, content));
        }
    }

    private void readMapped(BufferedReader r, Mapping mapping, String fileName, Batcher b) throws IOException {
        java.time.format.DateTimeFormatter pattern = mapping.timestampPattern().map(java.time.format.DateTimeFormatter::ofPattern).orElse(null);
        boolean events = mapping.columns().contains("event") || mapping.event().isPresent();
        long lineNo = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = mapping.split(line);
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> rest = new LinkedHashMap<>();
            mapping.event().ifPresent(e -> m.put("event", e));
            for (int i = 0; i < mapping.columns().size() && i < cells.length; i++) {
                String col = mapping.columns().get(i);
                String cell = cells[i].strip();
                if (col.equals("-") || cell.isEmpty()) {
                    continue;
                }
                switch (col) {
                    case "timestamp" -> m.put(col, pattern == null ? cell : timestamp(cell, pattern));
                    case "userId", "anonymousId", "messageId", "type", "event" -> m.put(col, cell);
                    default -> rest.put(col, number(cell));
                }
            }
            m.put(events ? "properties" : "traits", rest);
            // The line number is part of the content: data sets repeat identical rows (two equal
            // orders on one day), and each is a row of its own; re-importing the file still dedupes.
            b.add(withDefaults(m, List.of(fileName, Long.toString(lineNo), line)));
        }
    }

    private static String timestamp(String cell, java.time.format.DateTimeFormatter pattern) {
        try {
            var parsed = pattern.parseBest(cell, java.time.ZonedDateTime::from, java.time.LocalDateTime::from, java.time.LocalDate::from);
            return switch (parsed) {
                case java.time.ZonedDateTime z -> z.toInstant().toString();
                case java.time.LocalDateTime t -> t.toInstant(java.time.ZoneOffset.UTC).toString();
                case java.time.LocalDate d -> d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString();
                default -> cell;
            };
        } catch (java.time.format.DateTimeParseException e) {
            return cell; // left as written: the ingestion rules quarantine it with their reason
        }
    }

    /** Fills type, and a messageId from the row's content (the one content-hash scheme, {@link ContentHash}). */
    private static Map<String, Object> withDefaults(Map<String, Object> m, List<String> content) {
        m.putIfAbsent("type", m.containsKey("event") ? "track" : "identify");
        m.putIfAbsent("messageId", ContentHash.messageId(SOURCE, content));
        return m;
    }

    private static Object number(String cell) {
        if (cell.matches("-?\\d{1,18}")) {
            return Long.parseLong(cell);
        }
        if (cell.matches("-?\\d+\\.\\d+")) {
            return Double.parseDouble(cell);
        }
        return cell;
    }

    /** Collects rows into tracking-API batches and sends them through the ingestor. Single-threaded. */
    private final class Batcher {
        private final PrintStream progress;
        private final List<Map<String, Object>> pending = new ArrayList<>();
        private int pendingBytes;
        private long rows;
        private long accepted;
        private long duplicates;
        private long quarantined;
        private long skipped;
        private final java.util.function.Predicate<Map<String, Object>> take;
        private final long started = System.nanoTime();

        Batcher(PrintStream progress, java.util.function.Predicate<Map<String, Object>> take) {
            this.progress = progress;
            this.take = take;
        }

        void add(Map<String, Object> event) {
            rows++;
            if (!take.test(event)) {
                skipped++;
                return;
            }
            pending.add(event);
            pendingBytes += 64 + event.toString().length();
            if (pending.size() >= BATCH_EVENTS || pendingBytes >= BATCH_BYTES) {
                flush();
            }
        }

        void reject(String raw, Reason reason) {
            rows++;
            quarantined++;
            quarantine.add(List.of(new QuarantinedRecord("", "import", raw, List.of(reason), Instant.now(), QuarantinedRecord.Status.QUARANTINED)));
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            byte[] body = JSON.writeValueAsBytes(Map.of("batch", pending));
            pending.clear();
            pendingBytes = 0;
            RequestVerdict v = ingestor.parse(Optional.empty(), body, "import");
            if (v instanceof RequestVerdict.Parsed p) {
                IngestReceipt receipt = ingestor.ingest(p, "import").join();
                accepted += receipt.accepted();
                duplicates += receipt.duplicates();
                quarantined += receipt.rejected().size();
            } else if (v instanceof RequestVerdict.Invalid invalid) {
                throw new IllegalStateException("import batch refused: " + invalid.reason().message());
            }
            double secs = (System.nanoTime() - started) / 1e9;
            progress.printf("\r%,d rows, %,d accepted, %,d quarantined (%,.0f rows/s)", rows, accepted, quarantined, rows / Math.max(secs, 1e-3));
        }
    }
}
