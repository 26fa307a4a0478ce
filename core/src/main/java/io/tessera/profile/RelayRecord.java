package io.tessera.profile;

import io.tessera.event.Event;
import io.tessera.event.EventCodec;
import io.tessera.event.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A control record one partition's profile engine sends to another partition's, through the event
 * log (docs/SCALE-OUT.md, "Identity merges across partitions"). Travels as an {@link Event} (type
 * track, name {@value #NAME}, source {@value #SOURCE}) so the log needs no second record format;
 * the log marks it so that consumers other than the profile engine never see it.
 *
 * <ul>
 *   <li>{@link Request}: "merge the profile holding {@code by} into {@code into}", sent by the
 *       survivor's owner to the loser's home partition.</li>
 *   <li>{@link Handoff}: the loser's state, sent by the loser's owner (which deleted the loser and
 *       re-pointed its identities in the same commit) to the survivor's home partition.</li>
 *   <li>{@link Forward}: an event that reached a partition where its profile no longer lives; the
 *       original event, unchanged (same messageId), for the profile's home partition.</li>
 * </ul>
 *
 * <p>Each record's messageId derives from what caused it and its hop (how often it was passed on),
 * so a record sent again after a crash has the same id, and the receiving engine applies it once
 * (it stores the ids it applied with its commit).
 */
public sealed interface RelayRecord {
    String NAME = "tessera.relay";
    String SOURCE = "tessera-relay";

    /** How often this record was passed on (0: sent by the engine that decided it). */
    int hop();

    /** The record's messageId. */
    String id();

    record Request(Identity by, String into, Instant at, String cause, int hop) implements RelayRecord {
        @Override
        public String id() {
            return "relay:request:" + hop + ":" + cause + ":" + by.kind().apiName() + ":" + by.value() + ":" + into;
        }
    }

    record Handoff(Profile loser, String into, Identity by, Instant at, String cause, int hop) implements RelayRecord {
        @Override
        public String id() {
            return "relay:handoff:" + hop + ":" + loser.id() + ":" + into;
        }
    }

    record Forward(Event event, int hop) implements RelayRecord {
        @Override
        public String id() {
            return "relay:forward:" + hop + ":" + event.messageId();
        }
    }

    static boolean isRelay(Event e) {
        return e.type() == EventType.TRACK && NAME.equals(e.name()) && SOURCE.equals(e.source());
    }

    /** The record as a log event, keyed (for its anonymousId) by the partition key it is sent under. */
    default Event toEvent(String key) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hop", hop());
        Instant at;
        switch (this) {
            case Request r -> {
                p.put("relay", "request");
                p.put("byKind", r.by().kind().apiName());
                p.put("byValue", r.by().value());
                p.put("into", r.into());
                p.put("cause", r.cause());
                at = r.at();
            }
            case Handoff h -> {
                p.put("relay", "handoff");
                p.put("loser", new ProfileCodec().encode(h.loser()));
                p.put("byKind", h.by().kind().apiName());
                p.put("byValue", h.by().value());
                p.put("into", h.into());
                p.put("cause", h.cause());
                at = h.at();
            }
            case Forward f -> {
                p.put("relay", "forward");
                p.put("event", EventCodec.toMap(f.event()));
                at = f.event().timestamp();
            }
        }
        p.put("at", at.toString());
        return new Event(id(), EventType.TRACK, Optional.empty(), Optional.of(key), NAME, p, Map.of(), Map.of(), Map.of(),
                Optional.empty(), Optional.empty(), at, at, Optional.empty(), SOURCE);
    }

    /** The record an event carries; only for {@link #isRelay} events. */
    @SuppressWarnings("unchecked")
    static RelayRecord of(Event e) {
        Map<String, Object> p = e.properties();
        int hop = ((Number) p.get("hop")).intValue();
        String kind = (String) p.get("relay");
        return switch (kind) {
            case "request" -> new Request(by(p), (String) p.get("into"), Instant.parse((String) p.get("at")), (String) p.get("cause"), hop);
            case "handoff" -> new Handoff(new ProfileCodec().decode((String) p.get("loser")), (String) p.get("into"), by(p),
                    Instant.parse((String) p.get("at")), (String) p.get("cause"), hop);
            case "forward" -> new Forward(EventCodec.fromMap((Map<String, Object>) p.get("event")), hop);
            default -> throw new IllegalArgumentException("unknown relay record " + kind + " in " + e.messageId());
        };
    }

    private static Identity by(Map<String, Object> p) {
        IdentityKind kind = IdentityKind.fromApiName((String) p.get("byKind"))
                .orElseThrow(() -> new IllegalArgumentException("unknown identity kind " + p.get("byKind")));
        return new Identity(kind, (String) p.get("byValue"));
    }
}
