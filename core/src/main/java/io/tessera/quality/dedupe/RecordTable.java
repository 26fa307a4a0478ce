package io.tessera.quality.dedupe;

import io.tessera.quality.CsvRecords;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records to deduplicate: one id column and named value columns, values trimmed. Immutable.
 * Built from CSV text ({@link #fromCsv}) or from values (profiles in the store).
 */
public final class RecordTable {
    private final List<String> columns;
    private final String[] ids;
    private final String[][] values;

    private RecordTable(List<String> columns, String[] ids, String[][] values) {
        this.columns = List.copyOf(columns);
        this.ids = ids;
        this.values = values;
    }

    /** A table from ids and rows of values (each row has one value per column; "" for missing). */
    public static RecordTable of(List<String> columns, List<String> ids, List<List<String>> rows) {
        if (ids.size() != rows.size()) {
            throw new IllegalArgumentException("ids and rows differ in size");
        }
        String[][] v = new String[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            List<String> row = rows.get(i);
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + i + " has " + row.size() + " values for " + columns.size() + " columns");
            }
            v[i] = row.stream().map(String::strip).toArray(String[]::new);
        }
        return new RecordTable(columns, ids.toArray(String[]::new), v);
    }

    /** Why CSV text could not be read as records. */
    public record CsvProblem(int line, String message) {}

    /**
     * Reads CSV text with a header row; {@code idColumn} names the id column (matched after
     * trimming). Rows with fewer cells are padded with ""; a missing id column or an empty id is a
     * problem, not an exception.
     */
    public static Result fromCsv(Reader csv, String idColumn) {
        List<CsvRecords.Row> rows = CsvRecords.read(csv);
        if (rows.isEmpty()) {
            return new Result(Optional.empty(), List.of(new CsvProblem(1, "the file is empty (a header row is needed)")));
        }
        List<String> header = rows.getFirst().cells().stream().map(String::strip).toList();
        int idAt = header.indexOf(idColumn.strip());
        if (idAt < 0) {
            return new Result(Optional.empty(), List.of(new CsvProblem(rows.getFirst().line(),
                    "no column named '" + idColumn + "' in the header " + header)));
        }
        List<String> columns = new ArrayList<>(header);
        columns.remove(idAt);
        List<CsvProblem> problems = new ArrayList<>();
        List<String> ids = new ArrayList<>(rows.size());
        List<String[]> values = new ArrayList<>(rows.size());
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            List<String> cells = row.cells();
            if (cells.size() > header.size()) {
                problems.add(new CsvProblem(row.line(), "has " + cells.size() + " cells, the header has " + header.size()));
                continue;
            }
            String id = idAt < cells.size() ? cells.get(idAt).strip() : "";
            if (id.isEmpty()) {
                problems.add(new CsvProblem(row.line(), "empty id in column '" + idColumn + "'"));
                continue;
            }
            String[] v = new String[columns.size()];
            for (int c = 0, k = 0; c < header.size(); c++) {
                if (c != idAt) {
                    v[k++] = c < cells.size() ? cells.get(c).strip() : "";
                }
            }
            ids.add(id);
            values.add(v);
        }
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), problems);
        }
        return new Result(Optional.of(new RecordTable(columns, ids.toArray(String[]::new), values.toArray(String[][]::new))), List.of());
    }

    /** A table, or the problems that prevented one. */
    public record Result(Optional<RecordTable> table, List<CsvProblem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    /** This table followed by {@code other}'s rows (same columns in the same order). */
    public RecordTable concat(RecordTable other) {
        if (!columns.equals(other.columns)) {
            throw new IllegalArgumentException("columns differ: " + columns + " vs " + other.columns);
        }
        String[] i = new String[ids.length + other.ids.length];
        System.arraycopy(ids, 0, i, 0, ids.length);
        System.arraycopy(other.ids, 0, i, ids.length, other.ids.length);
        String[][] v = new String[i.length][];
        System.arraycopy(values, 0, v, 0, values.length);
        System.arraycopy(other.values, 0, v, values.length, other.values.length);
        return new RecordTable(columns, i, v);
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return ids.length;
    }

    public String id(int row) {
        return ids[row];
    }

    public String value(int row, int column) {
        return values[row][column];
    }
}
