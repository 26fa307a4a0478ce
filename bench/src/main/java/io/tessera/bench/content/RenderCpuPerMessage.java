package io.tessera.bench.content;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Thread CPU time per complete message of {@link RenderBenchmark} (same emails, same recipients,
 * same work), for each of its templates. Wall-clock throughput on the shared 2-core machine swings
 * 5x with other people's builds; CPU time per message does not, so this is the figure to compare
 * before/after a change.
 *
 * <p>Run: {@code java -cp bench/target/tessera-bench.jar io.tessera.bench.content.RenderCpuPerMessage [TEMPLATE…] [--compiled-only]}
 * (default: both templates, both engines, complete message and Liquid only).
 */
public final class RenderCpuPerMessage {

    private RenderCpuPerMessage() {
    }

    public static void main(String[] args) {
        boolean compiledOnly = List.of(args).contains("--compiled-only");
        List<String> templates = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
        for (String template : templates.isEmpty() ? List.of("weekly-picks", "price-watch") : templates) {
            RenderBenchmark b = new RenderBenchmark();
            b.template = template;
            b.setUp();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long[] sink = {0};
            measure(mx, template, "complete message, compiled Liquid", () -> sink[0] += b.complete(b.compiledEmail()).length);
            if (!compiledOnly) {
                measure(mx, template, "complete message, liqp (pooled)  ", () -> sink[0] += b.complete(b.liqpEmail()).length);
                measure(mx, template, "Liquid only,      compiled Liquid", () -> sink[0] += b.liquidOnly(b.compiledEmail()));
                measure(mx, template, "Liquid only,      liqp (pooled)  ", () -> sink[0] += b.liquidOnly(b.liqpEmail()));
            }
            System.out.println("(bytes produced: " + sink[0] + ")");
        }
    }

    private static void measure(ThreadMXBean mx, String template, String what, Runnable one) {
        for (int i = 0; i < 3000; i++) {
            one.run();
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            int n = 2000;
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                one.run();
            }
            best = Math.min(best, (mx.getCurrentThreadCpuTime() - c0) / 1000.0 / n);
        }
        System.out.printf("CPU per %s, %s: %.0f µs = %.0f per second per core%n", what, template, best, 1e6 / best);
    }
}
