package io.tessera.store;

import io.tessera.event.Event;
import io.tessera.event.EventCodec;
import io.tessera.event.EventType;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileCodec;
import io.tessera.profile.ProfileStore.ProfileHistory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the SQLite and PostgreSQL profile stores' {@code histories} (a backfill's bulk read of a
 * page of profiles) share around their own SQL: reading the page's profile rows and history rows,
 * decoding only the history rows that can be track events of the names asked for, and putting the
 * answer together in the order of the ids. Only how the id list is bound differs between them.
 */
public final class HistoryPage {
    private HistoryPage() {}

    /** Rows of {@code (id, body)} from the profiles table, by id. */
    public static Map<String, Profile> profiles(ResultSet rows, ProfileCodec codec) throws SQLException {
        Map<String, Profile> found = new HashMap<>();
        while (rows.next()) {
            found.put(rows.getString(1), codec.decode(rows.getString(2)));
        }
        return found;
    }

    /**
     * Rows of {@code (profile_id, body)} from the history table, in each profile's history order:
     * the track events named in {@code names}, by profile. A row whose bytes cannot hold one of the
     * names is not decoded ({@link EventCodec#mayBeTrackOf}).
     */
    public static Map<String, List<Event>> trackEvents(ResultSet rows, EventCodec codec, Set<String> names) throws SQLException {
        Predicate<byte[]> mayBe = codec.mayBeTrackOf(names);
        Map<String, List<Event>> histories = new HashMap<>();
        while (rows.next()) {
            byte[] body = rows.getBytes(2);
            if (mayBe.test(body)) {
                Event e = codec.decode(body);
                if (e.type() == EventType.TRACK && names.contains(e.name())) {
                    histories.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(e);
                }
            }
        }
        return histories;
    }

    /** The page in the order of {@code ids} (ids not found left out), each profile without its timeline. */
    public static List<ProfileHistory> inOrder(List<String> ids, Map<String, Profile> found, Map<String, List<Event>> histories) {
        List<ProfileHistory> out = new ArrayList<>(found.size());
        for (String id : ids) {
            Profile p = found.get(id);
            if (p != null) {
                out.add(new ProfileHistory(new Profile(p.id(), p.identities(), p.traits(), p.events(), List.of(), p.lastOffset()),
                        histories.getOrDefault(id, List.of())));
            }
        }
        return out;
    }
}
