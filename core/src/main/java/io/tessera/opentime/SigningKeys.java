package io.tessera.opentime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HMAC keys by id: new tokens are signed with {@code currentKeyId}; tokens signed with any other
 * listed key still verify until that key is removed (rotation without breaking sent mail).
 * Keys come from the environment or a file via configuration, never from code.
 */
public final class SigningKeys {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    private final String currentKeyId;
    private final Map<String, byte[]> keys;

    public SigningKeys(String currentKeyId, Map<String, byte[]> keys) {
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("key ids are 1-16 of [A-Za-z0-9_-]: " + id);
            }
            if (key.length < 32) {
                throw new IllegalArgumentException("signing key " + id + " is shorter than 32 bytes");
            }
        });
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("current key id " + currentKeyId + " has no key");
        }
        Map<String, byte[]> copy = new HashMap<>();
        keys.forEach((id, key) -> copy.put(id, Arrays.copyOf(key, key.length)));
        this.currentKeyId = currentKeyId;
        this.keys = Map.copyOf(copy);
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    byte[] current() {
        return keys.get(currentKeyId);
    }

    java.util.Optional<byte[]> key(String keyId) {
        return java.util.Optional.ofNullable(keys.get(keyId));
    }
}
