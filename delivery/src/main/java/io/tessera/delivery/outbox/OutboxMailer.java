package io.tessera.delivery.outbox;

import io.tessera.delivery.CommitPoint;
import io.tessera.delivery.DeliveryVerdict;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.Outbox;
import io.tessera.delivery.mime.MimeAssembler;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The embedded default when no relay is configured: assembles the real MIME message (so what
 * the outbox shows is byte-for-byte what a relay would get) and stores it in the {@link Outbox}.
 * Because the outbox can be asked, crash reconciliation is exact here. Thread-safe.
 */
public final class OutboxMailer implements Mailer {

    private final Outbox outbox;
    private final MimeAssembler assembler;
    private final InstantSource clock;

    public OutboxMailer(Outbox outbox, MimeAssembler assembler, InstantSource clock) {
        this.outbox = outbox;
        this.assembler = assembler;
        this.clock = clock;
    }

    @Override
    public DeliveryVerdict send(OutgoingMessage message, CommitPoint commit) {
        byte[] raw = assembler.assemble(message);
        commit.reached();
        outbox.put(new Outbox.Entry(0, message.messageId(), message.headers().getOrDefault("X-Tessera-Campaign", ""),
                message.to(), message.subject(), clock.instant(), raw));
        return new DeliveryVerdict.Delivered("250 stored in outbox");
    }

    @Override
    public Optional<Boolean> wasAccepted(String messageId) {
        return Optional.of(outbox.find(messageId).isPresent());
    }
}
