package io.tessera.store;

import io.tessera.quality.dedupe.DedupeReviewQueue;
import io.tessera.quality.dedupe.ReviewPair;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link DedupeReviewQueue} over table {@code dedupe_review}, one row per pair id, for SQLite
 * and PostgreSQL alike (the two adapters give the database and their dialect's insert that keeps
 * an existing row): {@link #offer} inserts unless the pair is there, and {@link #decide} is an
 * {@code UPDATE … WHERE status = 'pending'}, so a decision is taken once even when two admins click
 * at the same time. Thread-safe.
 */
public abstract class SqlDedupeReviewQueue implements DedupeReviewQueue {
    protected static final String COLUMNS = "id, profile_a, profile_b, score, status, note, found_at, decided_at";

    private final JdbcDatabase db;
    private final String insertUnlessPresent;

    /** @param insertUnlessPresent the dialect's INSERT of {@link #COLUMNS} (8 parameters) that does nothing when the id exists */
    protected SqlDedupeReviewQueue(JdbcDatabase db, String insertUnlessPresent) {
        this.db = db;
        this.insertUnlessPresent = insertUnlessPresent;
    }

    @Override
    public boolean offer(ReviewPair p) {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(insertUnlessPresent)) {
                s.setString(1, p.id());
                s.setString(2, p.profileA());
                s.setString(3, p.profileB());
                s.setDouble(4, p.score());
                s.setString(5, name(p.status()));
                s.setString(6, p.note());
                s.setString(7, p.foundAt().toString());
                s.setString(8, p.decidedAt().map(Instant::toString).orElse(null));
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<ReviewPair> get(String id) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM dedupe_review WHERE id = ?")) {
                s.setString(1, id);
                return pairs(s).stream().findFirst();
            }
        });
    }

    @Override
    public List<ReviewPair> list(Optional<ReviewPair.Status> status, int limit) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM dedupe_review"
                    + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY score DESC, id LIMIT ?")) {
                int i = 1;
                if (status.isPresent()) {
                    s.setString(i++, name(status.get()));
                }
                s.setInt(i, limit);
                return pairs(s);
            }
        });
    }

    @Override
    public boolean decide(String id, ReviewPair.Status to, Instant at) {
        if (to == ReviewPair.Status.PENDING) {
            throw new IllegalArgumentException("a decision is MERGED or REJECTED");
        }
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE dedupe_review SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'")) {
                s.setString(1, name(to));
                s.setString(2, at.toString());
                s.setString(3, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    private static List<ReviewPair> pairs(PreparedStatement s) throws SQLException {
        List<ReviewPair> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String decided = rs.getString(8);
                out.add(new ReviewPair(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                        ReviewPair.Status.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)), rs.getString(6),
                        Instant.parse(rs.getString(7)), Optional.ofNullable(decided).map(Instant::parse)));
            }
        }
        return out;
    }

    private static String name(ReviewPair.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
