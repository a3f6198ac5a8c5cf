package dev.latch.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** Every route of auth-service takes at most 64 KiB of body: a larger one is 413 problem+json before it is buffered. */
@QuarkusTest
class BodyLimitTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aJsonBodyOver64KibIs413() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "x".repeat(70_000), "password", Api.PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
        given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "s".repeat(70_000))
                .post("/oauth2/token")
                .then()
                .statusCode(413);
        // a body just under the limit is read as usual
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "x".repeat(60_000), "password", Api.PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(400);
    }

    @Test
    void aChunkedBodyOver64KibIs413() throws Exception {
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        // no Content-Length: the publisher's length is unknown, so the client sends it chunked
        HttpRequest.BodyPublisher unknownLength = new HttpRequest.BodyPublisher() {
            private final HttpRequest.BodyPublisher delegate =
                    HttpRequest.BodyPublishers.ofByteArrays(java.util.Collections.nCopies(64, chunk));

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                delegate.subscribe(subscriber);
            }
        };
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/auth/signin"))
                .header("Content-Type", "application/json")
                .POST(unknownLength)
                .build();
        HttpResponse<String> answer = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, answer.statusCode());
        assertEquals(
                "application/problem+json",
                answer.headers().firstValue("Content-Type").orElse(""));
    }
}
