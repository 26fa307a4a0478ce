package io.tessera.bench.ingest;

import io.tessera.event.EventCodec;
import io.tessera.ingest.IngestLimits;
import io.tessera.ingest.RequestVerdict;
import io.tessera.ingest.TrackingApiParser;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * CPU cost of the ingest path without HTTP or disk, on one thread: parse a 100-event batch
 * ({@link BatchTemplate}) into events, and additionally encode each event to its stored form (what
 * the log does before its group commit). Prints events per second of this thread's CPU time
 * (robust against noisy neighbours on a shared machine) and per wall-clock second.
 *
 * <pre>java -cp tessera-bench.jar io.tessera.bench.ingest.ParseThroughput [SECONDS]</pre>
 */
public final class ParseThroughput {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        TrackingApiParser parser = new TrackingApiParser(IngestLimits.defaults(), InstantSource.system(), () -> UUID.randomUUID().toString());
        EventCodec codec = new EventCodec();
        BatchTemplate template = new BatchTemplate("parse");
        for (String mode : new String[] {"warmup", "parse", "parse+encode"}) {
            long events = 0;
            long sink = 0;
            long end = System.nanoTime() + (mode.equals("warmup") ? 3 : seconds) * 1_000_000_000L;
            long start = System.nanoTime();
            long cpuStart = CPU.getCurrentThreadCpuTime();
            while (System.nanoTime() < end) {
                RequestVerdict.Parsed p = (RequestVerdict.Parsed) parser.parse(Optional.empty(), template.next(), "bench");
                for (RequestVerdict.Item item : p.items()) {
                    if (mode.equals("parse+encode") && item instanceof RequestVerdict.Valid v) {
                        sink += codec.encode(v.event()).length;
                    }
                }
                events += p.items().size();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double cpuSecs = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            if (!mode.equals("warmup")) {
                System.out.printf(Locale.ROOT, "%s: %.0f events per CPU-second (%.0f events/s wall, %d bytes encoded)%n",
                        mode, events / cpuSecs, events / secs, sink);
            }
        }
    }
}
