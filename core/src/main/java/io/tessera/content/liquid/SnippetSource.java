package io.tessera.content.liquid;

import java.util.Map;
import java.util.Optional;

/**
 * Where {@code {% render 'name' %}} finds a snippet's source. Implementations must be thread-safe
 * and return the same source for the same name (the parsed snippet is cached by name).
 */
@FunctionalInterface
public interface SnippetSource {

    Optional<String> source(String name);

    SnippetSource NONE = name -> Optional.empty();

    static SnippetSource of(Map<String, String> byName) {
        Map<String, String> copy = Map.copyOf(byName);
        return name -> Optional.ofNullable(copy.get(name));
    }
}
