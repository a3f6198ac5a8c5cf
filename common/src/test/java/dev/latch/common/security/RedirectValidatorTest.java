package dev.latch.common.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedirectValidatorTest {

    /**
     * Open-redirect payloads from the oauth2-proxy CVE-2020-5233 / CVE-2020-11053 families and the
     * usual bypass lists: scheme-relative, backslash, encoded, double-encoded, control characters,
     * userinfo tricks and Unicode lookalikes. Shared with the broker's /start tests.
     */
    public static List<String> openRedirectPayloads() {
        return OpenRedirectCorpus.PAYLOADS;
    }

    static List<String> legitimatePaths() {
        return List.of(
                "/",
                "/dashboard",
                "/settings/profile",
                "/a/b/c",
                "/search?q=latch",
                "/search?q=a+b&page=2",
                "/app#section",
                "/app/?tab=tokens#new",
                "/files/caf%C3%A9.txt",
                "/docs/v1.2/index.html",
                "/path-with_dashes.and.dots~",
                "/users/@alice",
                "/a/./b",
                "/a/b/../c",
                "/q?redirect=//not-followed-because-it-is-a-query-value",
                "/a;jsessionid=1",
                "/emoji/%F0%9F%94%91");
    }

    @ParameterizedTest
    @MethodSource("openRedirectPayloads")
    void refusesOpenRedirectPayload(String payload) {
        assertFalse(RedirectValidator.isSafe(payload), () -> "accepted: " + payload);
    }

    @ParameterizedTest
    @MethodSource("legitimatePaths")
    void acceptsLocalPath(String path) {
        assertTrue(RedirectValidator.isSafe(path), () -> "refused: " + path + " " + RedirectValidator.reason(path));
    }

    @org.junit.jupiter.api.Test
    void corpusIsLargeEnough() {
        assertTrue(OpenRedirectCorpus.PAYLOADS.size() >= 60, "at least 60 payloads");
    }
}
