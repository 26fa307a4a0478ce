package io.tessera.ingest.hook;

import java.util.regex.Pattern;

/**
 * One configured webhook source: its name (the {@code {source}} of {@code POST /hooks/{source}}),
 * its HMAC secret, how it signs and how its payload maps to calls. The secret is never shown by the
 * API or written to logs ({@link #toString} leaves it out).
 */
public record HookSource(String name, byte[] secret, HookSignature signature, HookMapping mapping) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public HookSource {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a source name is 1-64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        if (secret.length < 16) {
            throw new IllegalArgumentException("a source secret must be at least 16 bytes");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "HookSource[" + name + ", secret=***, " + signature + ", " + mapping + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HookSource h && h.name.equals(name) && java.util.Arrays.equals(h.secret, secret)
                && h.signature.equals(signature) && h.mapping.equals(mapping);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
