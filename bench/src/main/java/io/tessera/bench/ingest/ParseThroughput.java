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
 * the log does before its group commit). Prints events/s per core for both.
 *
 * <pre>java -cp tessera-bench.jar io.tessera.bench.ingest.ParseThroughput [SECONDS]</pre>
 */
public final class ParseThroughput {
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
            if (!mode.equals("warmup")) {
                System.out.printf(Locale.ROOT, "%s: %.0f events/s on one thread (%d bytes encoded)%n", mode, events / secs, sink);
            }
        }
    }
}
