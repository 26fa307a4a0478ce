package io.tessera.quality;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 4180 CSV text as rows of cells (quoted fields, doubled quotes, line breaks inside quotes),
 * for the user-maintained files the quality rules load: taxonomies and records to deduplicate.
 * Reads from a {@link Reader} the edge opens; blank lines are skipped. Stateless.
 */
public final class CsvRecords {
    private CsvRecords() {}

    /** One row and the 1-based line it starts on, for error messages. */
    public record Row(int line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /** Every non-blank row, header included. An I/O failure of the reader is an outage, thrown unchecked. */
    public static List<Row> read(Reader reader) {
        Cursor rows = new Cursor(reader);
        List<Row> out = new ArrayList<>();
        for (Optional<Row> row = rows.next(); row.isPresent(); row = rows.next()) {
            out.add(row.get());
        }
        return out;
    }

    /**
     * Rows one at a time, for files too large to hold (imports). Confined to one thread.
     * An I/O failure of the reader is an outage, thrown unchecked.
     */
    public static final class Cursor {
        private final BufferedReader in;
        private int lineNo;

        public Cursor(Reader reader) {
            this.in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        }

        /** The next non-blank row, or empty at the end of the text. */
        public Optional<Row> next() {
            try {
                String line = in.readLine();
                lineNo++;
                while (line != null && line.isBlank()) {
                    line = in.readLine();
                    lineNo++;
                }
                return line == null ? Optional.empty() : Optional.of(rowStartingWith(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Row rowStartingWith(String first) throws IOException {
            int start = lineNo;
            String line = first;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            while (true) {
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (quoted) {
                        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            cell.append('"');
                            i++;
                        } else if (c == '"') {
                            quoted = false;
                        } else {
                            cell.append(c);
                        }
                    } else if (c == '"') {
                        quoted = true;
                    } else if (c == ',') {
                        cells.add(cell.toString());
                        cell.setLength(0);
                    } else {
                        cell.append(c);
                    }
                }
                if (!quoted) {
                    break;
                }
                String more = in.readLine();
                if (more == null) {
                    break;
                }
                lineNo++;
                cell.append('\n');
                line = more;
            }
            cells.add(cell.toString());
            return new Row(start, cells);
        }
    }
}
