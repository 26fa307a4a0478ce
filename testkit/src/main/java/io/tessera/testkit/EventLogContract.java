package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.event.Event;
import io.tessera.event.EventLog;
import io.tessera.event.EventLog.AppendOutcome;
import io.tessera.event.EventLog.KeyedEvent;
import io.tessera.event.LoggedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link EventLog} adapter must do, run against the real technology. An adapter test
 * extends this and says how to open a log kept under a directory; opening the same directory again
 * must give the same log (that is how durability across restarts is checked).
 */
public abstract class EventLogContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    protected Path dir;

    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());

    /** Opens the log kept under {@code dir}. */
    protected abstract EventLog open(Path dir);

    protected final EventLog log() {
        EventLog log = open(dir);
        toClose.add(log);
        return log;
    }

    @AfterEach
    void closeEverything() throws Exception {
        List<AutoCloseable> copy = new ArrayList<>(toClose);
        Collections.reverse(copy);
        for (AutoCloseable c : copy) {
            c.close();
        }
    }

    private static List<KeyedEvent> keyed(List<Event> events) {
        return events.stream().map(e -> new KeyedEvent("same-key", e)).toList();
    }

    private static List<Event> events(long seed, int users, int perUser) {
        return new EventGenerator(seed).histories(users, perUser);
    }

    private static List<AppendOutcome> append(EventLog log, List<Event> events) throws Exception {
        return log.append(keyed(events)).get(20, TimeUnit.SECONDS);
    }

    @Test
    void appendAcknowledgesEveryEventAsStored() throws Exception {
        EventLog log = log();
        List<Event> events = events(1, 5, 10);

        assertThat(append(log, events)).hasSize(events.size()).containsOnly(AppendOutcome.STORED);
        assertThat(log.size()).isEqualTo(events.size());
    }

    @Test
    void sameMessageIdIsAcknowledgedAsDuplicateAndStoredOnce() throws Exception {
        EventLog log = log();
        Event e = events(2, 1, 1).get(0);

        assertThat(append(log, List.of(e, e))).containsExactly(AppendOutcome.STORED, AppendOutcome.DUPLICATE);
        assertThat(append(log, List.of(e))).containsExactly(AppendOutcome.DUPLICATE);
        assertThat(log.size()).isEqualTo(1);

        RecordingHandler handler = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = log.subscribe(handler)) {
            await().atMost(WAIT).until(() -> handler.count() == 1);
            assertThat(handler.received()).extracting(LoggedEvent::event).containsExactly(e);
        }
    }

    @Test
    void lastOffsetsNameTheNewestEventOfEveryPartition() throws Exception {
        EventLog log = log();
        assertThat(log.lastOffsets()).as("an empty log").isNotEmpty().allSatisfy((partition, last) -> assertThat(last).isEqualTo(-1L));
        List<Event> events = events(12, 30, 3);
        log.append(events.stream().map(e -> new KeyedEvent(e.userId().or(e::anonymousId).orElseThrow(), e)).toList())
                .get(20, TimeUnit.SECONDS);

        RecordingHandler handler = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = log.subscribe(handler)) {
            await().atMost(WAIT).until(() -> handler.count() == events.size());
        }
        Map<Integer, Long> newest = new java.util.TreeMap<>();
        for (LoggedEvent e : handler.received()) {
            newest.merge(e.partition(), e.offset(), Math::max);
        }
        Map<Integer, Long> expected = new java.util.TreeMap<>(log.lastOffsets());
        expected.values().removeIf(last -> last == -1L);
        assertThat(expected).isEqualTo(newest);
    }

    @Test
    void subscriberReceivesEveryEventInAppendOrderUnchanged() throws Exception {
        EventLog log = log();
        List<Event> events = events(3, 20, 25);
        for (int from = 0; from < events.size(); from += 100) {
            append(log, events.subList(from, Math.min(events.size(), from + 100)));
        }

        RecordingHandler handler = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = log.subscribe(handler)) {
            await().atMost(WAIT).until(() -> handler.count() == events.size());
        }
        List<LoggedEvent> got = handler.received();
        assertThat(got).extracting(LoggedEvent::event).containsExactlyElementsOf(events);
        for (int i = 1; i < got.size(); i++) {
            assertThat(got.get(i).offset()).isGreaterThan(got.get(i - 1).offset());
        }
    }

    @Test
    void subscriberResumesAfterTheOffsetTheHandlerGives() throws Exception {
        EventLog log = log();
        List<Event> events = events(4, 4, 5);
        append(log, events);
        RecordingHandler all = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = log.subscribe(all)) {
            await().atMost(WAIT).until(() -> all.count() == events.size());
        }
        LoggedEvent fifth = all.received().get(4);

        RecordingHandler resumed = RecordingHandler.resumingAfter(Map.of(fifth.partition(), fifth.offset()));
        try (EventLog.Subscription ignored = log.subscribe(resumed)) {
            await().atMost(WAIT).until(() -> resumed.count() == events.size() - 5);
        }
        assertThat(resumed.received()).extracting(LoggedEvent::event).containsExactlyElementsOf(events.subList(5, events.size()));
    }

    @Test
    void aFailingHandlerIsRetriedFromItsStoredOffsetAndDeliveryGoesOn() throws Exception {
        EventLog log = log();
        List<Event> events = events(9, 3, 4);
        append(log, events.subList(0, 6));
        RecordingHandler handler = RecordingHandler.failingFirst(2);
        try (EventLog.Subscription ignored = log.subscribe(handler)) {
            await().atMost(WAIT).until(() -> handler.count() == 6);
            append(log, events.subList(6, events.size()));
            await().atMost(WAIT).until(() -> handler.count() == events.size());
        }
        assertThat(handler.received()).extracting(LoggedEvent::event).containsExactlyElementsOf(events);
    }

    @Test
    void subscriberIsWokenByLaterAppends() throws Exception {
        EventLog log = log();
        RecordingHandler handler = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = log.subscribe(handler)) {
            List<Event> events = events(5, 3, 4);
            append(log, events.subList(0, 6));
            await().atMost(WAIT).until(() -> handler.count() == 6);
            append(log, events.subList(6, events.size()));
            await().atMost(WAIT).until(() -> handler.count() == events.size());
            assertThat(handler.received()).extracting(LoggedEvent::event).containsExactlyElementsOf(events);
        }
    }

    @Test
    void lagCountsEventsNotYetHandedToTheHandler() throws Exception {
        EventLog log = log();
        List<Event> events = events(6, 2, 6);
        RecordingHandler handler = RecordingHandler.holdingFirstBatch();
        try (EventLog.Subscription sub = log.subscribe(handler)) {
            append(log, events.subList(0, 1));
            assertThat(handler.awaitFirstBatch()).isTrue();
            append(log, events.subList(1, events.size()));

            assertThat(sub.lag()).isEqualTo(events.size());

            handler.release();
            await().atMost(WAIT).until(() -> sub.lag() == 0);
            assertThat(handler.count()).isEqualTo(events.size());
        }
    }

    @Test
    void acknowledgedEventsSurviveCloseAndReopen() throws Exception {
        List<Event> events = events(7, 10, 10);
        EventLog first = open(dir);
        append(first, events);
        first.close();

        EventLog reopened = log();
        assertThat(reopened.size()).isEqualTo(events.size());
        assertThat(append(reopened, events.subList(0, 3))).containsOnly(AppendOutcome.DUPLICATE);
        RecordingHandler handler = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = reopened.subscribe(handler)) {
            await().atMost(WAIT).until(() -> handler.count() == events.size());
        }
        assertThat(handler.received()).extracting(LoggedEvent::event).containsExactlyElementsOf(events);
    }

    @Test
    void closeCompletesAppendsAlreadyAccepted() throws Exception {
        List<Event> events = events(8, 20, 10);
        EventLog log = open(dir);
        List<CompletableFuture<List<AppendOutcome>>> pending = new ArrayList<>();
        for (Event e : events) {
            pending.add(log.append(keyed(List.of(e))));
        }
        log.close();
        for (CompletableFuture<List<AppendOutcome>> f : pending) {
            assertThat(f.get(20, TimeUnit.SECONDS)).containsExactly(AppendOutcome.STORED);
        }
        assertThat(log().size()).isEqualTo(events.size());
    }

    @Test
    void concurrentAppendersAreAllAcknowledgedAndStoredOnce() throws Exception {
        EventLog log = log();
        List<Event> events = events(9, 40, 25);
        int appenders = 4;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int a = 0; a < appenders; a++) {
            int start = a;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = start * 50; i < events.size(); i += appenders * 50) {
                    List<Event> chunk = events.subList(i, Math.min(events.size(), i + 50));
                    // every chunk twice: the second time all are duplicates
                    assertThat(log.append(keyed(chunk)).join()).containsOnly(AppendOutcome.STORED);
                    assertThat(log.append(keyed(chunk)).join()).containsOnly(AppendOutcome.DUPLICATE);
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(log.size()).isEqualTo(events.size());
        RecordingHandler handler = RecordingHandler.fromStart();
        try (EventLog.Subscription ignored = log.subscribe(handler)) {
            await().atMost(WAIT).until(() -> handler.count() == events.size());
        }
        assertThat(handler.received()).extracting(LoggedEvent::event).containsExactlyInAnyOrderElementsOf(events);
    }
}
