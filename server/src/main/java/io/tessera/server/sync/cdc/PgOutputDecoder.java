package io.tessera.server.sync.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the messages of PostgreSQL's built-in logical decoding plugin {@code pgoutput}, protocol
 * version 1 (PostgreSQL docs, "Logical Replication Message Formats"): Begin, Commit, Relation and
 * the row changes Insert / Update / Delete; every other message (Origin, Type, Truncate, …) is
 * {@link Message.Other}. Column values arrive in text form; integer, numeric and boolean columns
 * are turned into numbers and booleans by their type OID.
 *
 * <p>Stateful — a change names its table by the relation id of an earlier Relation message — and
 * single-threaded: one decoder per replication stream.
 */
final class PgOutputDecoder {
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private final Map<Integer, Relation> relations = new HashMap<>();

    /** A table as the stream describes it. */
    record Relation(int id, String namespace, String name, List<String> columns, List<Integer> types) {}

    /** A decoded message. */
    sealed interface Message {
        record Begin(long finalLsn, Instant commitTime, int xid) implements Message {}

        record Commit(long commitLsn, long endLsn, Instant commitTime) implements Message {}

        /**
         * An insert, update or delete of one row: {@code values} are the new row (insert, update) or
         * the old key / old row (delete); a column left out was not sent (an unchanged TOASTed value),
         * a present empty Optional is SQL NULL.
         */
        record Change(Kind kind, Relation relation, Map<String, Optional<Object>> values) implements Message {}

        record Other(char tag) implements Message {}
    }

    enum Kind { INSERT, UPDATE, DELETE }

    Message decode(ByteBuffer b) {
        char tag = (char) b.get();
        return switch (tag) {
            case 'B' -> new Message.Begin(b.getLong(), time(b.getLong()), b.getInt());
            case 'C' -> {
                b.get(); // flags, unused
                yield new Message.Commit(b.getLong(), b.getLong(), time(b.getLong()));
            }
            case 'R' -> {
                Relation r = relation(b);
                relations.put(r.id(), r);
                yield new Message.Other(tag);
            }
            case 'I' -> {
                Relation r = known(b.getInt());
                expect(b, 'N');
                yield new Message.Change(Kind.INSERT, r, tuple(b, r));
            }
            case 'U' -> {
                Relation r = known(b.getInt());
                char part = (char) b.get();
                if (part == 'K' || part == 'O') {
                    tuple(b, r); // the old key or row: the new row below is what counts
                    part = (char) b.get();
                }
                if (part != 'N') {
                    throw new IllegalStateException("pgoutput update without a new tuple: " + part);
                }
                yield new Message.Change(Kind.UPDATE, r, tuple(b, r));
            }
            case 'D' -> {
                Relation r = known(b.getInt());
                b.get(); // 'K' (key columns) or 'O' (the whole old row, REPLICA IDENTITY FULL)
                yield new Message.Change(Kind.DELETE, r, tuple(b, r));
            }
            default -> new Message.Other(tag);
        };
    }

    private Relation relation(ByteBuffer b) {
        int id = b.getInt();
        String namespace = string(b);
        String name = string(b);
        b.get(); // replica identity setting
        int n = b.getShort();
        List<String> columns = new ArrayList<>(n);
        List<Integer> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            b.get(); // flags: part of the key
            columns.add(string(b));
            types.add(b.getInt());
            b.getInt(); // type modifier
        }
        return new Relation(id, namespace, name, List.copyOf(columns), List.copyOf(types));
    }

    private Map<String, Optional<Object>> tuple(ByteBuffer b, Relation r) {
        int n = b.getShort();
        Map<String, Optional<Object>> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            char kind = (char) b.get();
            String column = i < r.columns().size() ? r.columns().get(i) : "col" + i;
            switch (kind) {
                case 'n' -> values.put(column, Optional.empty());
                case 'u' -> { } // unchanged TOASTed value: not sent, left out
                case 't', 'b' -> {
                    byte[] bytes = new byte[b.getInt()];
                    b.get(bytes);
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    values.put(column, Optional.of(typed(text, i < r.types().size() ? r.types().get(i) : 0)));
                }
                default -> throw new IllegalStateException("pgoutput tuple column kind " + kind);
            }
        }
        return values;
    }

    /** int2/int4/int8 as longs, numeric/float4/float8 as decimals, bool as a boolean, the rest as text. */
    private static Object typed(String text, int oid) {
        try {
            return switch (oid) {
                case 20, 21, 23 -> Long.parseLong(text);
                case 700, 701, 1700 -> new java.math.BigDecimal(text);
                case 16 -> "t".equals(text);
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text; // NaN, Infinity
        }
    }

    private Relation known(int id) {
        Relation r = relations.get(id);
        if (r == null) {
            throw new IllegalStateException("pgoutput change for relation " + id + " before its Relation message");
        }
        return r;
    }

    private static void expect(ByteBuffer b, char tag) {
        char got = (char) b.get();
        if (got != tag) {
            throw new IllegalStateException("pgoutput: expected " + tag + ", got " + got);
        }
    }

    private static String string(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // scan to the terminating NUL
        }
        byte[] bytes = new byte[b.position() - start - 1];
        b.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Instant time(long microsSince2000) {
        return PG_EPOCH.plus(microsSince2000, java.time.temporal.ChronoUnit.MICROS);
    }
}
