package io.tessera.quality;

import com.sanctionco.jmail.Email;
import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.JMail;
import java.util.List;
import java.util.Locale;

/**
 * Email addresses for sending: RFC 5321/5322 syntax checked by jmail (a parser, not a regex), with
 * comments, folding whitespace, control characters, escapes, obsolete syntax, over-long paths and
 * source routes rejected (valid for RFC 5322
 * headers, not for an address we send to). Quoted local parts and IP-literal domains are valid
 * syntax but rare in practice and poorly supported by mail systems: kept, with a warning.
 * The value is checked as given (the pipeline trims text before); normalized form: domain lower-cased (the local part is case-sensitive by RFC 5321).
 * No DNS lookups: the core does no I/O. Thread-safe.
 */
public final class EmailAddresses {
    private static final java.util.regex.Pattern ONE_QUOTED_STRING = java.util.regex.Pattern.compile("\"(?:[^\"\\\\]|\\\\.)+\"");
    private static final EmailValidator SYNTAX = JMail.validator()
            .disallowObsoleteWhitespace()
            .disallowExplicitSourceRouting()
            .withRule(e -> e.comments().isEmpty(), "comments are not allowed in an address to send to")
            .withRule(e -> !e.containsWhitespace(), "whitespace is not allowed in an address to send to")
            .withRule(e -> !e.localPart().startsWith("\"") ? !e.localPart().contains("\\") : ONE_QUOTED_STRING.matcher(e.localPart()).matches(),
                    "a local part is one non-empty quoted string or unquoted without backslashes");
    /** RFC 5321 §4.5.3.1: a path is at most 256 octets including the angle brackets. */
    private static final int MAX_ADDRESS = 254;
    private static final int MAX_DOMAIN = 253;

    public FieldOutcome check(String raw) {
        String s = raw;
        if (s.isEmpty()) {
            return new FieldOutcome.Invalid("invalid_email", "empty email address");
        }
        if (s.chars().anyMatch(Character::isISOControl)) {
            return new FieldOutcome.Invalid("invalid_email", "control characters are not allowed in an email address");
        }
        int at = s.lastIndexOf('@');
        if (s.length() > MAX_ADDRESS || (at >= 0 && s.length() - at - 1 > MAX_DOMAIN)) {
            return new FieldOutcome.Invalid("invalid_email", "the address is longer than RFC 5321 allows (254 characters, domain 253)");
        }
        EmailValidationResult r = SYNTAX.validate(s);
        if (r.isFailure() || r.getEmail().isEmpty()) {
            return new FieldOutcome.Invalid("invalid_email", "'" + s + "' is not a valid email address: "
                    + r.getFailureReason().toString().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        Email e = r.getEmail().get();
        String normalized = s.substring(0, at) + "@" + s.substring(at + 1).toLowerCase(Locale.ROOT);
        if (e.localPart().startsWith("\"") || e.isIpAddress()) {
            return new FieldOutcome.Valid(normalized, List.of(new FieldOutcome.Warning("unusual_email",
                    "'" + s + "' uses a quoted local part or an address literal; many mail systems reject these")));
        }
        return FieldOutcome.Valid.of(normalized);
    }
}
