package io.tessera.profile;

import java.util.Objects;

/** One identifier of a person: a user id, an anonymous id, an email address or a phone number. */
public record Identity(IdentityKind kind, String value) {
    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    public static Identity userId(String v) { return new Identity(IdentityKind.USER_ID, v); }
    public static Identity anonymousId(String v) { return new Identity(IdentityKind.ANONYMOUS_ID, v); }
    public static Identity email(String v) { return new Identity(IdentityKind.EMAIL, v); }
    public static Identity phone(String v) { return new Identity(IdentityKind.PHONE, v); }
}
