package io.tessera.testkit;

import java.util.Random;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives a property test its seed and names it when the test fails, so the failing history can be
 * replayed: {@code -Dtessera.seed=N} fixes the seed, otherwise a fresh one is drawn per instance.
 *
 * <pre>{@code @RegisterExtension final SeedOnFailure seeds = new SeedOnFailure();
 * ... new EventGenerator(seeds.seed()) ...}</pre>
 */
public final class SeedOnFailure implements TestExecutionExceptionHandler {
    private final long seed = Long.getLong("tessera.seed", new Random().nextLong());

    public long seed() {
        return seed;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        AssertionError named = new AssertionError(
                "failed with seed " + seed + " (rerun with -Dtessera.seed=" + seed + "): " + failure.getMessage(), failure);
        throw named;
    }
}
