package io.tessera.delivery.bounce;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports the bounce mailbox: every message is parsed ({@link DsnParser}) and each bounce or
 * complaint recorded ({@link BounceRecorder}: ledger, suppression, profile event). Used by
 * {@code tessera bounces import MAILBOX} and by polling a Maildir's {@code new/}. Re-importing the
 * same mailbox changes nothing more (the recorder is idempotent). Not thread-safe: one import at a time.
 */
public final class BounceMailbox {

    private final BounceRecorder recorder;
    private final InstantSource clock;

    public BounceMailbox(BounceRecorder recorder, InstantSource clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    /** What an import found. {@code skipped} lists messages that were not reports, with the reason. */
    public record Summary(int messages, int hard, int soft, int complaints, int attributed, int notices, List<String> skipped) {}

    /** Imports every message of an mbox file or Maildir. */
    public Summary importAll(Path mailbox) {
        Tally t = new Tally();
        Mailbox.readAll(mailbox, m -> handle(m, t));
        return t.summary();
    }

    /** Imports the Maildir's new messages (and marks them seen); for periodic polling. */
    public Summary pollNew(Path maildir) {
        Tally t = new Tally();
        Mailbox.readNew(maildir, m -> handle(m, t));
        return t.summary();
    }

    private void handle(Mailbox.Message m, Tally t) {
        t.messages++;
        switch (DsnParser.parse(m.raw(), clock.instant())) {
            case DsnParser.Result.NotAReport n -> t.skipped.add(m.origin() + ": " + n.reason());
            case DsnParser.Result.Report r -> {
                t.notices += r.notices().size();
                for (Bounce b : r.bounces()) {
                    BounceRecorder.Outcome o = recorder.record(b);
                    switch (b.type()) {
                        case HARD -> t.hard++;
                        case SOFT -> t.soft++;
                        case COMPLAINT -> t.complaints++;
                    }
                    if (o.key().isPresent()) {
                        t.attributed++;
                    }
                }
            }
        }
    }

    private static final class Tally {
        int messages;
        int hard;
        int soft;
        int complaints;
        int attributed;
        int notices;
        final List<String> skipped = new ArrayList<>();

        Summary summary() {
            return new Summary(messages, hard, soft, complaints, attributed, notices, List.copyOf(skipped));
        }
    }
}
