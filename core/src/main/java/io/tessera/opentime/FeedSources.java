package io.tessera.opentime;

/** The three data-source ports a {@link FeedResolver} reads, bundled for wiring. */
public record FeedSources(ProfileFacts profiles, ProductCatalog catalog, Recommendations recommendations) {}
