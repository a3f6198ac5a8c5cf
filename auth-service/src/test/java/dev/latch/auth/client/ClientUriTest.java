package dev.latch.auth.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The URIs a client may register: exact absolute https ones, http only on loopback. */
class ClientUriTest {

    @Test
    void httpsAnywhereAndHttpOnLoopback() {
        for (String uri : List.of(
                "https://app.example.com/callback",
                "https://app.example.com:8443/cb?tenant=a",
                "http://localhost/cb",
                "http://LOCALHOST:8080/cb",
                "http://127.0.0.1:9000/cb",
                "http://[::1]:3000/cb",
                "HTTPS://app.example.com/cb")) {
            assertTrue(ClientUri.Validator.valid(uri), uri);
        }
    }

    @Test
    void everythingElseIsRefused() {
        for (String uri : List.of(
                "",
                "/callback",
                "app.example.com/cb",
                "http://app.example.com/cb",
                "http://127.0.0.2/cb",
                "http://localhost.evil.example/cb",
                "http://[::2]/cb",
                "https://app.example.com/cb#fragment",
                "https://app.example.com/#",
                "https://*.example.com/cb",
                "https://app.example.com/*",
                "https://user:pw@app.example.com/cb",
                "https://app.example.com/c b",
                "https://app.example.com/\u00e9",
                "https://app.example.com\\@evil.example/",
                "https:///cb",
                "https:app.example.com",
                "com.example.app:/cb",
                "javascript:alert(1)",
                "https://app.example.com/" + "a".repeat(2048))) {
            assertFalse(ClientUri.Validator.valid(uri), uri);
        }
    }
}
