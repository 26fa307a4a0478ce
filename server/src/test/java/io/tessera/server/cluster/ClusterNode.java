package io.tessera.server.cluster;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.event.EventType;
import io.tessera.log.kafka.KafkaEventLog;
import io.tessera.log.kafka.KafkaLogSettings;
import io.tessera.profile.ProfileEngine;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresProfileStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One processing node of {@link ClusterFailoverTest}, run as a JVM of its own: the Kafka log, the
 * profile engine and the PostgreSQL profile store, as {@code mode: cluster} composes them. It
 * appends batches of track events for a shared pool of users (load through every node) and prints
 * {@code ACK id id …} once a batch is acknowledged; {@code quiet} on stdin ends the load (it
 * answers {@code QUIET}; processing goes on), {@code stop} shuts the node down gracefully. The test kills one node with {@code kill -9}.
 *
 * <p>Arguments: bootstrap servers, topic, PostgreSQL URL, user, password, node number, users.
 */
final class ClusterNode {
    static final int BATCH = 20;
    static final int PARTITIONS = 6;

    private ClusterNode() {}

    static KafkaLogSettings settings(String bootstrap, String topic) {
        return new KafkaLogSettings(bootstrap, topic, PARTITIONS, (short) 1, "failover", 100_000,
                Duration.ofSeconds(6), Duration.ofSeconds(30));
    }

    public static void main(String[] args) throws Exception {
        int node = Integer.parseInt(args[5]);
        int users = Integer.parseInt(args[6]);
        try (PostgresDatabase db = PostgresDatabase.open(new PostgresDatabase.Settings(args[2], args[3], args[4], 4));
             KafkaEventLog log = new KafkaEventLog(settings(args[0], args[1]))) {
            ProfileEngine engine = new ProfileEngine(new PostgresProfileStore(db), InstantSource.system(), ProfileEngine.Options.defaults(),
                    new io.tessera.log.kafka.KafkaProfilePartitions(log));
            EventLog.Subscription subscription = log.subscribe(engine);
            Thread load = Thread.ofPlatform().name("load").start(() -> load(log, node, users));
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
                if (line.equals("quiet")) {
                    load.interrupt();
                    load.join(TimeUnit.SECONDS.toMillis(60));
                    System.out.println("QUIET");
                    System.out.flush();
                }
            }
            load.interrupt();
            load.join(TimeUnit.SECONDS.toMillis(30));
            subscription.close();
        }
        System.out.println("STOPPED");
        System.out.flush();
    }

    private static void load(EventLog log, int node, int users) {
        Random random = new Random(node);
        for (int seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
            List<KeyedEvent> batch = new ArrayList<>(BATCH);
            StringBuilder ack = new StringBuilder("ACK");
            for (int k = 0; k < BATCH; k++) {
                String id = "n" + node + "-" + seq + "-" + k;
                String user = "u" + random.nextInt(users);
                Instant now = Instant.now();
                Event e = new Event(id, EventType.TRACK, Optional.of(user), Optional.empty(), "Product Viewed",
                        Map.of("seq", seq), Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty(),
                        now, now, Optional.empty(), "failover-test");
                batch.add(new KeyedEvent(user, e));
                ack.append(' ').append(id);
            }
            try {
                log.append(batch).get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.out.println("FAILED " + e);
                continue;
            }
            synchronized (System.out) {
                System.out.println(ack);
                System.out.flush();
            }
        }
    }
}
