package io.tessera.opentime;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one template's open-time endpoints may reveal: the feed fields and the live image slots,
 * plus the hosts its images may come from. Anything not declared here is never served — the
 * feed resolver builds its answer from this list only.
 */
public record FeedDeclaration(String templateKey, List<FeedField> fields, List<ImageSlot> images, Set<String> imageHosts) {

    public FeedDeclaration {
        fields = List.copyOf(fields);
        images = List.copyOf(images);
        imageHosts = imageHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        Set<String> seen = new HashSet<>();
        for (FeedField f : fields) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("duplicate feed field " + f.name());
            }
        }
        Set<String> slots = new HashSet<>();
        for (ImageSlot s : images) {
            if (!slots.add(s.name())) {
                throw new IllegalArgumentException("duplicate image slot " + s.name());
            }
            if (!ImageUrls.allowed(s.fallbackUrl(), imageHosts)) {
                throw new IllegalArgumentException("image slot " + s.name() + ": fallback must be HTTPS on an allowed host");
            }
        }
    }

    public Optional<ImageSlot> image(String slot) {
        return images.stream().filter(s -> s.name().equals(slot)).findFirst();
    }

    /** The field names, in declaration order: exactly the keys of every feed served. */
    public List<String> fieldNames() {
        return fields.stream().map(FeedField::name).toList();
    }
}
