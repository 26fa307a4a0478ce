package io.tessera.segment;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses CEL duration strings ("48h", "1h30m", "1.5h", "90s", "250ms") the way CEL's duration() does. */
final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|ns|m|s)");

    private DurationText() {}

    static Optional<Duration> parse(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (negative) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find() && m.start() == at) {
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us" -> 1_000L;
                default -> 1L;
            };
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at != s.length()) {
            return Optional.empty();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return Optional.of(negative ? d.negated() : d);
    }
}
