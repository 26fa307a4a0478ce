package io.tessera.profile;

import java.util.Optional;

/** The kinds of identifier the identity graph links, named as in the profile API. */
public enum IdentityKind {
    USER_ID("userId"), ANONYMOUS_ID("anonymousId"), EMAIL("email"), PHONE("phone");

    private final String apiName;

    IdentityKind(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<IdentityKind> fromApiName(String name) {
        for (IdentityKind k : values()) {
            if (k.apiName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
