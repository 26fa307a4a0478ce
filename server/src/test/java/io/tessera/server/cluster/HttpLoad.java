package io.tessera.server.cluster;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ingestion load over HTTP through every live node, round-robin: {@code /v1/identify} (with an
 * email trait), {@code /v1/track} ("Product Viewed", now and then "Order Completed") and
 * {@code /v1/batch} of five, for a fixed pool of users. A request the node does not acknowledge
 * (connection refused or reset by a killed node, 5xx) is sent again, unchanged — same messageIds —
 * to the next node, as a client library retries; the messageIds of each 2xx are recorded.
 *
 * <p>Threading: {@link #start} runs {@code threads} platform threads until {@link #stop}; the
 * counters and the acknowledged set are concurrent.
 */
final class HttpLoad {
    private final List<ServeNode> nodes;
    private final int users;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger retries = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    HttpLoad(List<ServeNode> nodes, int users) {
        this.nodes = List.copyOf(nodes);
        this.users = users;
    }

    static String email(int user) {
        return "u" + user + "@shop.example";
    }

    void start(int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("load-" + t).daemon().start(() -> run(id)));
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }

    Set<String> acked() {
        return acked;
    }

    int ackedCount() {
        return acked.size();
    }

    /** Requests sent again to another node because the first did not acknowledge them. */
    int retries() {
        return retries.get();
    }

    private void run(int thread) {
        Random random = new Random(thread);
        for (int seq = 0; running; seq++) {
            String prefix = "t" + thread + "-" + seq;
            List<String> ids = new ArrayList<>();
            String path;
            String body;
            int kind = random.nextInt(10);
            if (kind == 0) {
                int u = random.nextInt(users);
                path = "/v1/identify";
                body = identify(prefix, u, ids);
            } else if (kind < 7) {
                path = "/v1/track";
                body = track(prefix, random.nextInt(users), random, ids);
            } else {
                path = "/v1/batch";
                StringBuilder b = new StringBuilder("{\"batch\": [");
                for (int k = 0; k < 5; k++) {
                    String item = track(prefix + "-" + k, random.nextInt(users), random, ids);
                    b.append(k == 0 ? "" : ",").append(item, 0, item.length() - 1).append(", \"type\": \"track\"}");
                }
                body = b.append("]}").toString();
            }
            send(thread + seq, path, body, ids);
        }
    }

    private static String identify(String messageId, int u, List<String> ids) {
        ids.add(messageId);
        return "{\"userId\": \"u" + u + "\", \"messageId\": \"" + messageId + "\", \"traits\": {\"email\": \"" + email(u)
                + "\", \"firstName\": \"U" + u + "\"}}";
    }

    private static String track(String messageId, int u, Random random, List<String> ids) {
        ids.add(messageId);
        String event = random.nextInt(25) == 0 ? "Order Completed" : "Product Viewed";
        return "{\"userId\": \"u" + u + "\", \"messageId\": \"" + messageId + "\", \"event\": \"" + event
                + "\", \"properties\": {\"revenue\": 10}}";
    }

    private void send(int start, String path, String body, List<String> ids) {
        for (int attempt = 0; running || attempt > 0; attempt++) {
            List<ServeNode> live = nodes.stream().filter(ServeNode::alive).toList();
            if (live.isEmpty()) {
                return;
            }
            ServeNode node = live.get(Math.floorMod(start + attempt, live.size()));
            try {
                HttpResponse<String> r = node.ingest(path, body);
                if (r.statusCode() / 100 == 2) {
                    acked.addAll(ids);
                    return;
                }
                if (r.statusCode() / 100 == 4) {
                    throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
                }
            } catch (IOException refusedOrReset) {
                // the node is gone or going: retry elsewhere
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            retries.incrementAndGet();
            if (attempt > 20) {
                return; // never acknowledged: not counted
            }
        }
    }
}
