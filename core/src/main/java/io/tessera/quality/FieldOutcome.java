package io.tessera.quality;

import java.util.List;

/** What a field rule made of one value: a (normalized) value with any warnings, or a reason it is invalid. */
public sealed interface FieldOutcome {

    /** The value to keep (possibly rewritten) and non-blocking warnings as (code, message). */
    record Valid(Object value, List<Warning> warnings) implements FieldOutcome {
        public Valid {
            warnings = List.copyOf(warnings);
        }

        public static Valid of(Object value) {
            return new Valid(value, List.of());
        }
    }

    /** The value breaks the rule: a machine-readable code and a message naming the problem. */
    record Invalid(String code, String message) implements FieldOutcome {}

    /** A note on a value that was kept. */
    record Warning(String code, String message) {}
}
