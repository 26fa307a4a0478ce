package io.tessera.log.kafka;

import io.tessera.delivery.campaign.SendJob;
import io.tessera.segment.MembershipChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of the records on the segment-changes and send-jobs topics. Instants as ISO-8601
 * text (exact to the nanosecond), so a change read back equals the one written.
 */
final class StreamRecords {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private StreamRecords() {
    }

    static byte[] change(long seq, MembershipChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("segment", c.segment());
        m.put("version", c.version());
        m.put("profileId", c.profileId());
        m.put("entered", c.entered());
        m.put("at", c.at().toString());
        m.put("cause", c.cause());
        return JSON.writeValueAsBytes(m);
    }

    static MembershipChange change(byte[] value) {
        Map<String, Object> m = JSON.readValue(value, MAP);
        return new MembershipChange((String) m.get("segment"), ((Number) m.get("version")).intValue(),
                (String) m.get("profileId"), (Boolean) m.get("entered"), Instant.parse((String) m.get("at")),
                (String) m.get("cause"));
    }

    static long seq(byte[] value) {
        return ((Number) JSON.readValue(value, MAP).get("seq")).longValue();
    }

    static byte[] job(SendJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", j.campaign());
        m.put("scope", j.scope());
        m.put("profileId", j.profileId());
        m.put("due", j.due().toString());
        return JSON.writeValueAsBytes(m);
    }

    static SendJob job(byte[] value) {
        Map<String, Object> m = JSON.readValue(value, MAP);
        return new SendJob((String) m.get("campaign"), (String) m.get("scope"), (String) m.get("profileId"),
                Instant.parse((String) m.get("due")));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
