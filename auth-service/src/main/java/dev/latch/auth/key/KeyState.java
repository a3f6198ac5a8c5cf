package dev.latch.auth.key;

/** Where a signing key is in its life at a given instant. */
public enum KeyState {
    /** In the JWKS but not signing: a stored key before its activation, or a mounted key that is not chosen. */
    PUBLISHED,
    /** Signs new tokens; exactly one key is active at a time. */
    ACTIVE,
    /** Superseded by a newer key; stays in the JWKS until every token it signed has expired. */
    RETIRED,
    /** Retired longer than a token lives: no token it signed is still valid, so it leaves the JWKS. */
    WITHDRAWN;

    public boolean published() {
        return this != WITHDRAWN;
    }
}
