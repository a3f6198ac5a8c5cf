package dev.latch.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorsOriginsTest {

    @Test
    void exactOriginsAreNormalised() {
        assertEquals(
                Set.of("http://localhost:8082", "http://127.0.0.1:8082", "https://app.example.com"),
                CorsOrigins.parse(List.of(
                        " http://localhost:8082", "http://127.0.0.1:8082/", "HTTPS://App.Example.com:443", "")));
        assertTrue(CorsOrigins.parse(List.of()).isEmpty());
    }

    @Test
    void wildcardsPatternsAndNonOriginsStopTheStart() {
        for (String bad : new String[] {
            "*",
            "/.*/",
            "http://*.example.com",
            "localhost:8082",
            "http://localhost:8082/app",
            "http://localhost:8082?x",
            "http://user@localhost:8082",
            "file:///etc",
            "null",
            "ftp://localhost"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> CorsOrigins.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("LATCH_CORS_ORIGINS"), e.getMessage());
        }
    }
}
