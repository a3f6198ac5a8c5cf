package dev.latch.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PublicBaseUrlTest {

    @Test
    void trailingSlashIsDroppedOnce() {
        PublicBaseUrl url = new PublicBaseUrl("https://auth.example.com/");
        assertEquals("https://auth.example.com", url.base());
        assertEquals("https://auth.example.com/v1/auth/oauth/github/start", url.resolve("/v1/auth/oauth/github/start"));
    }

    @Test
    void basePathIsKept() {
        PublicBaseUrl url = new PublicBaseUrl("https://example.com/latch");
        assertEquals("https://example.com/latch/oauth2/token", url.resolve("/oauth2/token"));
    }

    @Test
    void notAnAbsoluteHttpUrlStopsTheStart() {
        assertThrows(IllegalArgumentException.class, () -> new PublicBaseUrl("auth.example.com"));
        assertThrows(IllegalArgumentException.class, () -> new PublicBaseUrl("ftp://auth.example.com"));
        assertThrows(IllegalArgumentException.class, () -> new PublicBaseUrl("https://auth.example.com/?a=b"));
        assertThrows(IllegalArgumentException.class, () -> new PublicBaseUrl("https://auth.example.com/#x"));
        assertThrows(IllegalArgumentException.class, () -> new PublicBaseUrl("https://exa mple.com"));
    }

    @Test
    void relativePathIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PublicBaseUrl("https://a.example").resolve("x"));
    }
}
