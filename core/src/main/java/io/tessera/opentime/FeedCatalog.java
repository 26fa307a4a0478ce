package io.tessera.opentime;

import java.util.Optional;

/** Port: the feed declaration of a template, if it has one. */
public interface FeedCatalog {

    Optional<FeedDeclaration> declaration(String templateKey);
}
