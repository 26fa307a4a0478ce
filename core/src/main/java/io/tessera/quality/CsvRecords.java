package io.tessera.quality;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

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
        try {
            BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
            List<Row> rows = new ArrayList<>();
            int lineNo = 0;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int start = lineNo;
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
                rows.add(new Row(start, cells));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
