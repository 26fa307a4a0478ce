package io.tessera.bench.opentime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A constant-rate (open-loop) HTTP/1.1 load generator that measures latency from each request's
 * <em>intended</em> send time, like wrk2: request {@code i} is due at {@code start + i / rate};
 * connection {@code c} of {@code n} sends requests {@code c, c+n, c+2n, …} on one keep-alive
 * socket. When a response is slow, the next requests of that connection go out late, and their
 * latency still counts from when they were due, so a stall shows up in every request it delayed
 * (no coordinated omission). Every latency is kept (a {@code long[]} per connection, a few MB at
 * most) and the percentiles are exact, from the sorted whole.
 *
 * <p>Usage: {@code ConstantRateLoad URL RATE SECONDS CONNECTIONS [WARMUP_SECONDS]}; prints one line
 * {@code RESULT rate=… achieved=… p50=…ms p99=…ms p99.9=…ms max=…ms errors=…}. Requests due in the
 * warm-up are sent but not recorded. Each connection is one platform thread that owns its socket,
 * latencies and counters; they are merged after all threads have finished.
 */
public final class ConstantRateLoad {
    private final String host;
    private final int port;
    private final byte[] request;
    private final double rate;
    private final int connections;
    private final AtomicLong errors = new AtomicLong();

    ConstantRateLoad(URI url, double rate, int connections) {
        this.host = url.getHost();
        this.port = url.getPort();
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: tessera-constant-rate\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.rate = rate;
        this.connections = connections;
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int connections = Integer.parseInt(args[3]);
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        ConstantRateLoad load = new ConstantRateLoad(url, rate, connections);
        load.run(warmup, seconds);
    }

    void run(double warmupSeconds, double seconds) throws InterruptedException {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Latencies> recorded = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Latencies l = new Latencies();
            recorded.add(l);
            int first = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> connection(first, start, measureFrom, end, l)));
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = recorded.stream().flatMapToLong(l -> Arrays.stream(l.values, 0, l.size)).sorted().toArray();
        // requests due in the window over the time it took to answer them: below the rate when the server fell behind
        long lastDone = recorded.stream().mapToLong(l -> l.lastDone).max().orElse(end);
        System.out.println(String.format(Locale.ROOT,
                "RESULT rate=%.0f achieved=%.0f p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms errors=%d",
                rate, all.length / ((Math.max(end, lastDone) - measureFrom) / 1e9), ms(all, 50), ms(all, 99), ms(all, 99.9), ms(all, 100), errors.get()));
    }

    /** The value at a percentile of sorted latencies (nearest rank), in milliseconds. */
    private static double ms(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** One connection's latencies in nanoseconds; confined to its thread until joined. */
    private static final class Latencies {
        long[] values = new long[4096];
        int size;
        long lastDone;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /** Sends requests first, first+n, … on one socket until their due time passes {@code end}. */
    private void connection(int first, long start, long measureFrom, long end, Latencies recorded) {
        double period = 1e9 / rate;
        Socket socket = null;
        InputStream in = null;
        for (long i = first; ; i += connections) {
            long due = start + (long) (i * period);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(host, port), 2_000);
                    socket.setSoTimeout(10_000);
                    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                }
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                boolean ok = readResponse(in);
                long doneAt = System.nanoTime();
                long latency = doneAt - due;
                if (due >= measureFrom) {
                    recorded.add(latency);
                    recorded.lastDone = doneAt;
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                errors.incrementAndGet();
                close(socket);
                socket = null;
            }
        }
        close(socket);
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    /** Reads one response (Content-Length or chunked body); true for a 2xx status. */
    private static boolean readResponse(InputStream in) throws IOException {
        String status = line(in);
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return status.startsWith("HTTP/1.1 2");
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                s = 1;
            }
            n -= s;
        }
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
