package io.tessera.content;

import io.tessera.profile.Profile;
import java.time.Instant;

/**
 * A compiled content rule: does this variant apply to this recipient now? Implementations are
 * immutable and thread-safe. {@link SegmentContentConditions} compiles the same CEL conditions
 * segments use.
 */
@FunctionalInterface
public interface ContentCondition {

    boolean holds(Profile profile, Instant now);

    /** Compiles condition text; an invalid condition is a value, not an exception. */
    interface Compiler {
        ConditionVerdict compile(String condition);
    }

    sealed interface ConditionVerdict {
        record Compiled(ContentCondition condition) implements ConditionVerdict {}

        record Invalid(String message) implements ConditionVerdict {}
    }
}
