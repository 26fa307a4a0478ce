package io.tessera.profile;

import io.tessera.profile.ProfileStore.Separation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pairs of profile ids an admin said are different people (by reversing their merge): the
 * engine never merges them again, whichever identifier they come to share. The rule holds between
 * the two ids; a profile that absorbs one of them later is not bound by it. Immutable.
 */
record Separations(Set<List<String>> pairs) {

    Separations {
        pairs = Set.copyOf(pairs);
    }

    static Separations of(List<Separation> separations) {
        Set<List<String>> pairs = new HashSet<>();
        separations.forEach(s -> pairs.add(key(s.from(), s.into())));
        return new Separations(pairs);
    }

    Separations with(Separation s) {
        Set<List<String>> more = new HashSet<>(pairs);
        more.add(key(s.from(), s.into()));
        return new Separations(more);
    }

    boolean separated(String a, String b) {
        return !pairs.isEmpty() && pairs.contains(key(a, b));
    }

    private static List<String> key(String a, String b) {
        return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
    }
}
