package io.tessera.delivery.bounce;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP reply code (RFC 5321) and, when present, its enhanced status code (RFC 3463
 * {@code class.subject.detail}), and what kind of bounce they mean.
 *
 * <p>The enhanced code decides when there is one, because it says what failed: {@code 5.1.x}
 * (bad address), {@code 5.2.1} (mailbox disabled) and an unknown {@code 5.0.0}-style failure are
 * hard — the address does not work, keep away from it; {@code 5.2.2} (mailbox full),
 * {@code 5.3.4} (message too big) and {@code 5.7.x} (policy, spam blocks) are refusals of this
 * message, not of the address: soft; {@code 4.x.x} is temporary: soft. Without an enhanced code a
 * 5xx reply is hard and a 4xx soft.
 *
 * @param code      the three-digit reply code, 0 when unknown (a DSN with only a Status field)
 * @param enhanced  the enhanced status code, e.g. {@code 5.1.1}
 */
public record SmtpStatus(int code, Optional<String> enhanced) {

    private static final Pattern REPLY = Pattern.compile("(?:^|[\\s;:(\\[<#-])([245]\\d\\d)(?:[\\s-]+([245]\\.\\d{1,3}\\.\\d{1,3}))?");
    private static final Pattern ENHANCED = Pattern.compile("(?:^|[^\\d.])([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.]*\\d)");

    public SmtpStatus {
        enhanced = enhanced.filter(s -> !s.isBlank());
    }

    /**
     * Reads the first reply code and enhanced status from free text: an SMTP reply
     * ({@code "550 5.1.1 no such user"}) or a DSN {@code Diagnostic-Code} ({@code "smtp; 550-5.1.1 …"}).
     */
    public static SmtpStatus parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = REPLY.matcher(t);
        int code = 0;
        Optional<String> enhanced = Optional.empty();
        if (m.find()) {
            code = Integer.parseInt(m.group(1));
            enhanced = Optional.ofNullable(m.group(2));
        }
        if (enhanced.isEmpty()) {
            Matcher e = ENHANCED.matcher(t);
            if (e.find()) {
                enhanced = Optional.of(e.group(1));
            }
        }
        return new SmtpStatus(code, enhanced);
    }

    /** A reply whose code is known but whose text may carry the enhanced status. */
    public static SmtpStatus of(int code, String replyText) {
        SmtpStatus parsed = parse(replyText);
        return new SmtpStatus(code, parsed.enhanced());
    }

    /** Permanent (5xx / 5.x.x): the relay will not take this message for this recipient, ever. */
    public boolean permanent() {
        return enhanced.map(e -> e.startsWith("5")).orElse(code >= 500);
    }

    /** What kind of bounce this is (see the class comment for the rules). */
    public Bounce.Type type() {
        if (!permanent()) {
            return Bounce.Type.SOFT;
        }
        if (enhanced.isEmpty()) {
            return Bounce.Type.HARD;
        }
        String e = enhanced.get();
        if (e.startsWith("5.2.2") || e.startsWith("5.3.4") || e.startsWith("5.7.") || e.startsWith("5.4.7")) {
            return Bounce.Type.SOFT;
        }
        return Bounce.Type.HARD;
    }

    @Override
    public String toString() {
        return (code == 0 ? "" : code + " ") + enhanced.orElse("");
    }
}
