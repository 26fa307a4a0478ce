package io.tessera.store.sqlite;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.function.IntConsumer;

/**
 * Profile ids numbered as slots of the caller's parallel primitive arrays, a slot reused after its
 * profile is removed: an open-addressing map from id to slot, so a profile costs no object of its
 * own ({@link NetChanges}, {@link SqliteWindowTimerStore}). Not thread-safe: the owner guards it.
 */
final class ProfileSlots {
    static final int NONE = -1;
    private final Object2IntOpenHashMap<String> slotOf = new Object2IntOpenHashMap<>();
    private String[] profile = new String[64];
    private final IntArrayList free = new IntArrayList();
    private int used;

    ProfileSlots() {
        slotOf.defaultReturnValue(NONE);
    }

    /** The profile's slot, or {@link #NONE}. */
    int find(String profileId) {
        return slotOf.getInt(profileId);
    }

    /**
     * A slot for a profile that has none; {@code grow} is given the new capacity first when the
     * caller's arrays (as long as {@link #capacity()}) must grow.
     */
    int add(String profileId, IntConsumer grow) {
        int s;
        if (!free.isEmpty()) {
            s = free.popInt();
        } else {
            if (used == profile.length) {
                int n = used * 2;
                profile = java.util.Arrays.copyOf(profile, n);
                grow.accept(n);
            }
            s = used++;
        }
        profile[s] = profileId;
        slotOf.put(profileId, s);
        return s;
    }

    /** Frees the profile's slot; returns it, or {@link #NONE} when it had none. */
    int remove(String profileId) {
        int s = slotOf.removeInt(profileId);
        if (s != NONE) {
            profile[s] = null;
            free.add(s);
        }
        return s;
    }

    /** The profile in a slot in use. */
    String profile(int slot) {
        return profile[slot];
    }

    /** The length the caller's arrays have. */
    int capacity() {
        return profile.length;
    }

    boolean isEmpty() {
        return slotOf.isEmpty();
    }

    int size() {
        return slotOf.size();
    }
}
