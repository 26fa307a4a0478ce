package io.tessera.bench.opentime;

import io.tessera.opentime.OpenTimeClaim;
import io.tessera.opentime.ResolvedFeed;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The feed endpoint's work without HTTP, step by step (bench/opentime.sh measures it over HTTP):
 * token verification, resolving the four-field feed from warm caches, writing the JSON.
 * Run: {@code java -jar bench/target/tessera-bench.jar opentime.FeedPathBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeedPathBenchmark {
    FeedFixture f;
    ResolvedFeed warm;

    @Setup
    public void setUp() {
        f = new FeedFixture();
        warm = f.resolver.resolve(f.declaration, "p_1");
    }

    @TearDown
    public void tearDown() {
        f.close();
    }

    @Benchmark
    public Optional<OpenTimeClaim> verifyToken() {
        return f.tokens.verify(f.token, OpenTimeClaim.Use.FEED);
    }

    @Benchmark
    public ResolvedFeed resolveWarm() {
        return f.resolver.resolve(f.declaration, "p_1");
    }

    @Benchmark
    public byte[] writeJson() {
        return FeedBody.of(warm.values());
    }
}
