package io.tessera.server.importer;

import io.tessera.ingest.watermark.ImportWatermarkStore;
import io.tessera.ingest.watermark.Watermark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code tessera import --source NAME --watermark COLUMN PATH}: a file, or every {@code .csv},
 * {@code .jsonl}, {@code .ndjson} and {@code .json} file of a directory (by name), imported again and
 * again, taking only the rows at or after the source's stored watermark ({@link Watermark}). The
 * new watermark — the greatest value taken — is saved only after every file of the run is durable,
 * so a crash or an error repeats the run (its rows are duplicates by message id) and never skips
 * a row. Rows equal to the watermark are taken again and dropped as duplicates, so several rows
 * sharing the boundary value are neither lost nor doubled.
 *
 * <p>{@code COLUMN} is a CSV column or JSON field name (looked up on the call, then in its
 * {@code properties} / {@code traits}), or a JSON Pointer ({@code /context/updated_at}).
 * Single-threaded: one run at a time per source.
 */
public final class IncrementalImport {
    private final EventImport importer;
    private final ImportWatermarkStore watermarks;

    public IncrementalImport(EventImport importer, ImportWatermarkStore watermarks) {
        this.importer = importer;
        this.watermarks = watermarks;
    }

    /** One incremental source: the name its watermark is kept under and the column holding each row's value. */
    public record Source(String name, String column) {
        public Source {
            if (name.isBlank() || column.isBlank()) {
                throw new IllegalArgumentException("an incremental import needs a source name and a watermark column");
            }
        }
    }

    public Summary run(Source source, Path path, Optional<EventImport.Mapping> mapping, PrintStream progress) throws IOException {
        Optional<String> from = watermarks.get(source.name());
        Watermark watermark = new Watermark(from);
        List<Path> files = files(path);
        progress.printf("%s: %d file(s), watermark %s = %s%n", source.name(), files.size(), source.column(), from.orElse("(none)"));
        EventImport.Summary total = new EventImport.Summary(0, 0, 0, 0, 0);
        for (Path f : files) {
            total = total.plus(importer.run(f, mapping, row -> watermark.take(value(row, source.column())), progress));
        }
        watermark.highest().filter(h -> !h.equals(from.orElse(null))).ifPresent(h -> watermarks.save(source.name(), h));
        return new Summary(total, from, watermark.highest());
    }

    /** What a run did and where the watermark moved. */
    public record Summary(EventImport.Summary rows, Optional<String> from, Optional<String> to) {}

    /** The files of {@code path}: itself, or a directory's importable files by name. */
    static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> all = Files.list(path)) {
            return all.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(csv|jsonl|ndjson|json)"))
                    .sorted().toList();
        }
    }

    static Optional<String> value(Map<String, Object> row, String column) {
        Object v;
        if (column.startsWith("/")) {
            v = row;
            for (String part : column.substring(1).split("/")) {
                v = v instanceof Map<?, ?> m ? m.get(part.replace("~1", "/").replace("~0", "~")) : null;
            }
        } else {
            v = row.get(column);
            for (String nested : List.of("properties", "traits")) {
                if (v == null && row.get(nested) instanceof Map<?, ?> m) {
                    v = m.get(column);
                }
            }
        }
        return v instanceof String || v instanceof Number ? Optional.of(v.toString()) : Optional.empty();
    }
}
