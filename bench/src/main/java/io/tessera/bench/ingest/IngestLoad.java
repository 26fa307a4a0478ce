package io.tessera.bench.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for the ingestion API: {@code connections} keep-alive HTTP/1.1 connections, each
 * posting {@code /v1/batch} requests of 100 realistic track/page/identify events (about 600 bytes
 * each, Segment's field layout) with unique messageIds, in a closed loop (max rate) or paced to a
 * target event rate. Prints acknowledged events/s and request latency percentiles.
 *
 * <p>Raw sockets and a byte template patched in place (fixed-width messageId digits) keep the
 * generator cheap, since it shares the 2 cores with the server it measures.
 *
 * <pre>java -cp tessera-bench.jar io.tessera.bench.ingest.IngestLoad HOST PORT WRITE_KEY CONNECTIONS SECONDS [EVENTS_PER_S] [RUN_ID]</pre>
 */
public final class IngestLoad {
    static final int EVENTS_PER_BATCH = 100;
    static final int ID_DIGITS = 12;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String writeKey = args[2];
        int connections = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        double targetEventsPerSecond = args.length > 5 ? Double.parseDouble(args[5]) : 0;
        String runId = args.length > 6 ? args[6] : Long.toString(System.nanoTime(), 36);

        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[connections];
        double perConnectionRequestsPerSecond = targetEventsPerSecond / EVENTS_PER_BATCH / connections;
        for (int c = 0; c < connections; c++) {
            long[] lat = new long[2_000_000];
            latencies.add(lat);
            int conn = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                try {
                    counts[conn] = run(host, port, writeKey, runId + "-" + conn, deadline, perConnectionRequestsPerSecond, lat, acked, failed);
                } catch (IOException e) {
                    System.err.println("connection " + conn + " failed: " + e);
                }
            }));
        }
        long started = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int n = Arrays.stream(counts).sum();
        long[] all = new long[n];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "events_per_s=%.0f requests=%d failed=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f connections=%d seconds=%.1f%n",
                acked.get() / elapsed, n, failed.get(), pct(all, 0.50), pct(all, 0.99), n == 0 ? 0 : all[n - 1] / 1e6, connections, elapsed);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static int run(String host, int port, String writeKey, String prefix, long deadline, double requestsPerSecond,
                           long[] lat, AtomicLong acked, AtomicLong failed) throws IOException {
        BatchTemplate template = new BatchTemplate(prefix);
        byte[] head = ("POST /v1/batch HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
                + "Authorization: Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "Content-Length: " + template.body().length + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long interval = requestsPerSecond > 0 ? (long) (1e9 / requestsPerSecond) : 0;
        long next = System.nanoTime();
        int n = 0;
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port));
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 16 * 1024);
            while (System.nanoTime() < deadline && n < lat.length) {
                if (interval > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    next += interval;
                }
                byte[] body = template.next();
                long t0 = System.nanoTime();
                out.write(head);
                out.write(body);
                out.flush();
                int status = readResponse(in);
                lat[n++] = System.nanoTime() - t0;
                if (status == 200) {
                    acked.addAndGet(EVENTS_PER_BATCH);
                } else {
                    failed.incrementAndGet();
                }
            }
        }
        return n;
    }

    /** Reads one HTTP/1.1 response (Content-Length or chunked) and returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return code;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
