package io.tessera.quality.dedupe;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzy duplicate detection acting on the profiles in the store: the same blocking and
 * Fellegi-Sunter scoring as {@code tessera dedupe} over the profiles' CRM traits
 * ({@link ProfileRecords}); a pair at or above the auto-merge threshold is merged, a pair between
 * the thresholds goes to the {@link DedupeReviewQueue}, where an admin merges or rejects it.
 *
 * <p>A merge is an {@code alias} event appended to the log ({@link ProfileMergeEvents}), so the
 * profile engine performs and records it by its ordinary rules, a rebuild repeats it, and an admin
 * can reverse it like any merge. An auto-merge pair goes to the queue instead (with a note) when
 * the two carry different userIds and the engine may not merge those, when an admin separated
 * them by reversing their merge, or when no identifier can name one of them. A pair already
 * decided is not asked again.
 *
 * <p>Thread-safe: runs and decisions are serialized on this object (the profiles they read may
 * change meanwhile; the engine re-checks its rules when it applies the alias).
 */
public final class ProfileDedupe {

    /** What a run did with one pair. */
    public enum Outcome { MERGED, QUEUED, ALREADY_DECIDED, ALREADY_QUEUED, REPORTED }

    public record Action(String pairId, MatchPair pair, Outcome outcome, String note) {}

    public record Run(int profiles, long candidatePairs, List<Action> actions) {
        public Run {
            actions = List.copyOf(actions);
        }
    }

    /** An admin's decision on a queued pair: done (with the merge event's messageId when merged), or refused. */
    public sealed interface Decision {
        record Done(ReviewPair pair, Optional<String> messageId) implements Decision {}

        /** @param code {@code not_found} or {@code conflict} */
        record Refused(String code, String message) implements Decision {}
    }

    private final ProfileStore profiles;
    private final EventLog log;
    private final DedupeReviewQueue queue;
    private final InstantSource clock;
    private final boolean mergeDifferentUserIds;

    public ProfileDedupe(ProfileStore profiles, EventLog log, DedupeReviewQueue queue, InstantSource clock, boolean mergeDifferentUserIds) {
        this.profiles = profiles;
        this.log = log;
        this.queue = queue;
        this.clock = clock;
        this.mergeDifferentUserIds = mergeDifferentUserIds;
    }

    public DedupeReviewQueue queue() {
        return queue;
    }

    /**
     * Scores every profile pair the blocking keys propose. With {@code apply}, merges (durably
     * appended when this returns) and queues; without, only reports.
     */
    public synchronized Run run(DedupeSettings settings, boolean apply) {
        List<Profile> all = new ArrayList<>();
        String after = "";
        for (List<String> ids = profiles.ids(after, 1000); !ids.isEmpty(); ids = profiles.ids(after, 1000)) {
            ids.forEach(id -> profiles.get(id).ifPresent(all::add));
            after = ids.getLast();
        }
        DedupeResult result = new Deduplicator(settings).run(ProfileRecords.table(all));
        Map<String, Profile> byId = new HashMap<>();
        all.forEach(p -> byId.put(p.id(), p));
        Set<List<String>> separated = separatedPairs();
        List<Action> actions = new ArrayList<>();
        List<EventLog.KeyedEvent> merges = new ArrayList<>();
        for (MatchPair m : result.pairs()) {
            String id = ReviewPair.idOf(m.idA(), m.idB());
            if (!apply) {
                actions.add(new Action(id, m, Outcome.REPORTED, ""));
                continue;
            }
            Optional<ReviewPair> known = queue.get(id);
            if (known.isPresent()) {
                boolean pending = known.get().status() == ReviewPair.Status.PENDING;
                actions.add(new Action(id, m, pending ? Outcome.ALREADY_QUEUED : Outcome.ALREADY_DECIDED, known.get().note()));
                continue;
            }
            Profile a = byId.get(m.idA());
            Profile b = byId.get(m.idB());
            String blocker = "";
            Optional<Event> alias = Optional.empty();
            if (m.decision() == MatchPair.Decision.AUTO_MERGE) {
                blocker = blocker(a, b, separated);
                if (blocker.isEmpty()) {
                    alias = ProfileMergeEvents.alias(a, b, id, m.score(), clock.instant());
                    blocker = alias.isEmpty() ? "no_identifier" : "";
                }
            }
            if (alias.isPresent()) {
                merges.add(keyed(alias.get()));
                queue.offer(new ReviewPair(id, m.idA(), m.idB(), m.score(), ReviewPair.Status.MERGED, "auto-merge",
                        clock.instant(), Optional.of(clock.instant())));
                actions.add(new Action(id, m, Outcome.MERGED, ""));
            } else {
                queue.offer(new ReviewPair(id, m.idA(), m.idB(), m.score(), ReviewPair.Status.PENDING, blocker, clock.instant(), Optional.empty()));
                actions.add(new Action(id, m, Outcome.QUEUED, blocker));
            }
        }
        if (!merges.isEmpty()) {
            log.append(merges).join();
        }
        return new Run(all.size(), result.candidatePairs(), actions);
    }

    /** Merges a pending pair (through the log) or rejects it; refused, with nothing changed, when it cannot be. */
    public synchronized Decision decide(String pairId, ReviewPair.Status to) {
        Optional<ReviewPair> found = queue.get(pairId);
        if (found.isEmpty()) {
            return new Decision.Refused("not_found", "no review pair '" + pairId + "'");
        }
        ReviewPair pair = found.get();
        if (pair.status() != ReviewPair.Status.PENDING) {
            return new Decision.Refused("conflict", "pair " + pairId + " is already " + pair.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        Optional<String> messageId = Optional.empty();
        if (to == ReviewPair.Status.MERGED) {
            Optional<Profile> a = profiles.get(pair.profileA());
            Optional<Profile> b = profiles.get(pair.profileB());
            if (a.isEmpty() || b.isEmpty()) {
                return new Decision.Refused("conflict", "profile " + (a.isEmpty() ? pair.profileA() : pair.profileB())
                        + " no longer exists (merged since the pair was found); run the dedupe again");
            }
            String blocker = blocker(a.get(), b.get(), separatedPairs());
            if (!blocker.isEmpty()) {
                return new Decision.Refused("conflict", "the profiles cannot be merged: " + blocker);
            }
            Optional<Event> alias = ProfileMergeEvents.alias(a.get(), b.get(), pairId, pair.score(), clock.instant());
            if (alias.isEmpty()) {
                return new Decision.Refused("conflict", "the profiles cannot be merged: no_identifier (no userId or anonymousId names one of them)");
            }
            log.append(List.of(keyed(alias.get()))).join();
            messageId = Optional.of(alias.get().messageId());
        }
        queue.decide(pairId, to, clock.instant());
        return new Decision.Done(queue.get(pairId).orElseThrow(), messageId);
    }

    /** Why the engine would not merge the two ("" if it would). */
    private String blocker(Profile a, Profile b, Set<List<String>> separated) {
        Set<String> userIds = new HashSet<>(a.identities().getOrDefault(IdentityKind.USER_ID, List.of()));
        userIds.addAll(b.identities().getOrDefault(IdentityKind.USER_ID, List.of()));
        if (userIds.size() > 1 && !mergeDifferentUserIds) {
            return "different_user_ids";
        }
        return separated.contains(sorted(a.id(), b.id())) ? "separated" : "";
    }

    private Set<List<String>> separatedPairs() {
        Set<List<String>> out = new HashSet<>();
        profiles.separations().forEach(s -> out.add(sorted(s.from(), s.into())));
        return out;
    }

    private static List<String> sorted(String a, String b) {
        return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
    }

    private static EventLog.KeyedEvent keyed(Event e) {
        return new EventLog.KeyedEvent(e.userId().or(e::anonymousId).orElseThrow(), e);
    }
}
