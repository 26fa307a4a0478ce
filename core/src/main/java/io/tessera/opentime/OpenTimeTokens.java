package io.tessera.opentime;

import java.util.Optional;

/**
 * Port: issues and checks the signed tokens in open-time URLs. {@link #verify} answers empty for
 * every kind of failure (bad format, unknown key, bad signature, expired) so that callers cannot
 * leak which part failed. Implemented by {@link HmacOpenTimeTokens} until the tracking stage's
 * shared token lands; then an adapter over it.
 */
public interface OpenTimeTokens {

    String issue(OpenTimeClaim claim);

    Optional<OpenTimeClaim> verify(String token);
}
