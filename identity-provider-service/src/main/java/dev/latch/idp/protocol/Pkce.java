package dev.latch.idp.protocol;

import dev.latch.common.security.SecureTokens;

/** RFC 7636 S256. */
public final class Pkce {

    private Pkce() {}

    public static String verifier() {
        return SecureTokens.randomBase64Url(32);
    }

    static String challenge(String verifier) {
        return SecureTokens.base64Url(SecureTokens.sha256(verifier));
    }
}
