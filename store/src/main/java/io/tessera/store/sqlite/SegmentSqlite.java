package io.tessera.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One JDBC connection to the SQLite file for a segment store, in WAL mode, with the store's
 * schema created if missing. Callers serialize use of the connection (each store is synchronized).
 */
final class SegmentSqlite {
    private SegmentSqlite() {}

    /** How long a write waits for another connection's write lock before it fails, by default. */
    static final java.time.Duration BUSY_TIMEOUT = java.time.Duration.ofSeconds(10);

    static Connection open(Path dbFile, String... ddl) {
        return open(dbFile, BUSY_TIMEOUT, ddl);
    }

    static Connection open(Path dbFile, java.time.Duration busyTimeout, String... ddl) {
        try {
            // No generated-keys query after each insert: nothing reads them, and it was a third of
            // the cost of writing a membership change (SegmentBench, JFR).
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath() + "?jdbc.get_generated_keys=false"
                    // BEGIN IMMEDIATE: a transaction takes the write lock up front, so it waits
                    // (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT when another
                    // connection to the file (the profile store) committed after it began reading.
                    + "&transaction_mode=IMMEDIATE");
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=" + busyTimeout.toMillis());
                // Membership, log and timer indexes are written at random profile ids: with the
                // default 2,000-page cache every write re-read B-tree pages through the OS, and the
                // cost per change grew with the table (SegmentBench: 25 -> 50 µs at 600k rows).
                s.execute("PRAGMA cache_size=-262144");
                s.execute("PRAGMA mmap_size=1073741824");
                for (String d : ddl) {
                    s.execute(d);
                }
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + dbFile, e);
        }
    }

    /**
     * Turns off SQLite's automatic checkpoint on a segment writer's connection: its commits then
     * only append to the WAL, and a {@link WalCheckpoints} thread copies the pages into the database.
     */
    static Connection withoutAutoCheckpoint(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            return c;
        } catch (SQLException e) {
            throw failure("turn off automatic checkpoints", e);
        }
    }

    /** Work on the connection that may fail with SQLException. */
    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} as one transaction on {@code c}: committed, or rolled back and rethrown unchecked. */
    static void inTransaction(Connection c, String what, SqlWork work) {
        try {
            c.setAutoCommit(false);
            work.run();
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw failure(what, e);
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                throw failure("autocommit", e);
            }
        }
    }

    /** A JSON array of strings, for {@code IN (SELECT value FROM json_each(?))}: one statement for any page size. */
    static String jsonArray(java.util.Collection<String> values) {
        StringBuilder b = new StringBuilder(values.size() * 16).append('[');
        for (String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            string(b, v);
        }
        return b.append(']').toString();
    }

    /**
     * A JSON array of rows (each an array of strings and integers), for writing many rows with one
     * statement: {@code INSERT ... SELECT value ->> 0, value ->> 1 FROM json_each(?)}. One bound
     * parameter and one step per batch instead of a JNI round trip per column and row (the per-row
     * JDBC cost was most of the engine's write time in SegmentBench).
     */
    static String jsonRows(java.util.Collection<Object[]> rows) {
        StringBuilder b = new StringBuilder(rows.size() * 64).append('[');
        for (Object[] row : rows) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('[');
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                if (row[i] instanceof String str) {
                    string(b, str);
                } else {
                    b.append(((Number) row[i]).longValue());
                }
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    private static void string(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /**
     * Writes rows with multi-row {@code INSERT ... VALUES (?, ...), (?, ...) [suffix]} statements of
     * up to {@link #ROWS} rows, each prepared once per size and kept in {@code statements}. Measured
     * (a probe of 300,000 membership-log rows in batches of 2,000): 1.6 µs of CPU a row, against
     * 4.5 µs for the same rows as a JSON array read with {@code json_each} ({@link #jsonRows}),
     * which parses every row's text once per column.
     */
    static void insertRows(Connection c, java.util.Map<Integer, java.sql.PreparedStatement> statements, String head,
                           String suffix, int columns, java.util.List<Object[]> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS) {
            int n = Math.min(ROWS, rows.size() - from);
            java.sql.PreparedStatement st = statements.get(n);
            if (st == null) {
                StringBuilder b = new StringBuilder(head).append(" VALUES ");
                String one = "(" + "?,".repeat(columns - 1) + "?)";
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(one);
                }
                st = c.prepareStatement(b.append(' ').append(suffix).toString());
                statements.put(n, st);
            }
            int k = 1;
            for (int i = from; i < from + n; i++) {
                for (Object v : rows.get(i)) {
                    if (v == null) {
                        st.setNull(k++, java.sql.Types.INTEGER);
                    } else if (v instanceof String str) {
                        st.setString(k++, str);
                    } else {
                        st.setLong(k++, ((Number) v).longValue());
                    }
                }
            }
            st.executeUpdate();
            releaseParameters(st);
        }
    }

    /**
     * Lets go of a kept statement's parameter values: sqlite-jdbc holds them until they are set
     * again, so a statement kept for later held the rows it last wrote (strings, boxed numbers).
     * Those lived until the statement's next use, seconds later for a rarely used size, so each
     * young collection copied them and scanned the old statements pointing at them: "Found Roots"
     * in the G1 log grew to 300,000 a collection (SegmentBench, docs/BENCHMARKS.md "Segments,
     * session 10").
     */
    static void releaseParameters(java.sql.PreparedStatement st) throws SQLException {
        st.clearParameters();
    }

    /** Rows per multi-row statement (SQLite allows 32,766 parameters). */
    static final int ROWS = 500;

    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("SQLite " + what + " failed", e);
    }
}
