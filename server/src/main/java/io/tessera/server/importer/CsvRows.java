package io.tessera.server.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads RFC 4180 CSV rows (quoted fields, doubled quotes, line breaks inside quotes). Single-threaded. */
final class CsvRows {
    private final BufferedReader in;

    CsvRows(BufferedReader in) {
        this.in = in;
    }

    Optional<List<String>> next() throws IOException {
        String line = in.readLine();
        while (line != null && line.isEmpty()) {
            line = in.readLine();
        }
        if (line == null) {
            return Optional.empty();
        }
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
            cell.append('\n');
            line = more;
        }
        cells.add(cell.toString());
        return Optional.of(cells);
    }
}
