package dev.latch.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Replica;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 3: attachments on S3 (S3Proxy, signatures checked). Uploaded with the access token of the Keycloak login
 * (scenario 2; of a login through mock-oauth2-server when Keycloak is off), downloaded through the presigned URL with plain HTTP; again with
 * a PAT, which storage-service refuses on both replicas within the documented cache bound once it is revoked; and the
 * AWS CLI, given only the bucket's credentials, lists and reads the object storage-service wrote.
 */
@ExtendWith(SharedStack.class)
@Order(3)
class AttachmentsIT {

    /** {@code latch.jwt.introspection.cache-ttl}: a revoked PAT stops working within this bound. */
    private static final Duration PAT_CACHE_BOUND = Duration.ofSeconds(30);

    private static final HttpClient PLAIN = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Test
    void uploadWithTheFederatedTokenAndAPatDownloadPresignedRevokeThePatAndReadTheBucketWithTheAwsCli(Stack stack)
            throws Exception {
        Latch latch = new Latch(stack);
        // the Keycloak login's token; with the Keycloak scenarios off, a federated login through mock-oauth2-server
        Latch.Session session =
                SocialLoginIT.federated != null ? SocialLoginIT.federated : latch.federatedLoginThroughMockProvider();

        byte[] report = text(200_000);
        JsonNode uploaded = upload(stack, session.accessToken(), "report.txt", report);
        assertEquals("S3", uploaded.path("storageType").asText(), uploaded.toString());
        assertEquals(session.userId(), uploaded.path("owner").asText(), uploaded.toString());
        assertArrayEquals(report, downloadPresigned(uploaded.path("url").asText()));

        Latch.Pat pat = latch.createPat(session.accessToken(), "e2e files", "attachments:read", "attachments:write");
        byte[] notes = "notes written with a PAT\n".getBytes(StandardCharsets.UTF_8);
        JsonNode withPat = upload(stack, pat.token(), "notes.txt", notes);
        assertEquals("S3", withPat.path("storageType").asText());
        Http.Answer fresh = Http.get(
                stack.publicUrl(), "/api/v1/attachments/" + withPat.path("uid").asText() + "/url", pat.token());
        assertEquals(200, fresh.status(), fresh.toString());
        assertArrayEquals(notes, downloadPresigned(fresh.json().path("url").asText()));
        for (Replica r : stack.replicas(Stack.STORAGE)) {
            Http.Answer listed = Http.get(r.url(), "/api/v1/attachments", pat.token());
            assertEquals(200, listed.status(), r.name() + " with the PAT: " + listed);
        }

        Http.Answer revoked = Http.send(Http.request(stack.publicUrl(), "/v1/users/me/tokens/" + pat.id())
                .header("Authorization", "Bearer " + session.accessToken())
                .DELETE());
        assertEquals(204, revoked.status(), revoked.toString());
        long revokedAt = System.nanoTime();
        await("both storage replicas refuse the revoked PAT")
                .atMost(PAT_CACHE_BOUND.plusSeconds(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> stack.replicas(Stack.STORAGE).stream()
                        .allMatch(r -> Http.get(r.url(), "/api/v1/attachments", pat.token())
                                        .status()
                                == 401));
        Duration refusedAfter = Duration.ofNanos(System.nanoTime() - revokedAt);
        System.out.printf(
                "AttachmentsIT: the revoked PAT was refused by both replicas after %d ms%n", refusedAfter.toMillis());
        assertTrue(refusedAfter.compareTo(PAT_CACHE_BOUND.plusSeconds(2)) <= 0, refusedAfter.toString());

        // the bucket as its owner sees it, with the AWS CLI and nothing but the bucket's credentials
        String key = uploaded.path("reference").asText();
        String listing = aws(stack, "s3", "ls", "s3://" + bucket(stack) + "/", "--recursive");
        assertTrue(listing.contains(key), "aws s3 ls lists " + key + ":\n" + listing);
        assertTrue(listing.contains(withPat.path("reference").asText()), listing);
        Path copy = Stack.ROOT.resolve("e2e/target/aws-copy.txt");
        aws(stack, "s3", "cp", "s3://" + bucket(stack) + "/" + key, copy.toString());
        assertArrayEquals(report, Files.readAllBytes(copy), "aws s3 cp reads the bytes storage-service wrote");
    }

    private static JsonNode upload(Stack stack, String bearer, String filename, byte[] content) {
        Http.Answer a = Http.send(Http.request(stack.publicUrl(), "/api/v1/attachments?filename=" + filename)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
        assertEquals(201, a.status(), "upload of " + filename + ": " + a);
        return a.json();
    }

    /** A plain GET of the URL storage-service handed out, following its redirect to the store, with no credentials. */
    private static byte[] downloadPresigned(String url) throws IOException, InterruptedException {
        URI at = URI.create(url);
        for (int hop = 0; hop < 3; hop++) {
            HttpResponse<byte[]> r =
                    PLAIN.send(HttpRequest.newBuilder(at).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 == 3) {
                at = at.resolve(r.headers().firstValue("Location").orElseThrow());
                continue;
            }
            assertEquals(200, r.statusCode(), () -> "GET " + url + ": " + new String(r.body(), StandardCharsets.UTF_8));
            return r.body();
        }
        throw new AssertionError("too many redirects from " + url);
    }

    private static String bucket(Stack stack) {
        return stack.s3().get("latch.test.s3.bucket");
    }

    /** The AWS CLI with only the bucket's credentials and endpoint (no profile, no instance metadata). */
    private static String aws(Stack stack, String... args) throws IOException, InterruptedException {
        Path config = Stack.ROOT.resolve("e2e/target/aws-config");
        Files.writeString(config, "[default]\ns3 =\n    addressing_style = path\n");
        List<String> command =
                new ArrayList<>(List.of("aws", "--endpoint-url", stack.s3().get("latch.test.s3.endpoint")));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = b.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", stack.s3().get("latch.test.s3.access-key-id"));
        env.put("AWS_SECRET_ACCESS_KEY", stack.s3().get("latch.test.s3.secret-access-key"));
        env.put("AWS_DEFAULT_REGION", stack.s3().get("latch.test.s3.region"));
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** {@code n} bytes of random text, one line per 76 characters (text/plain, which the default settings allow). */
    private static byte[] text(int n) {
        byte[] b = new byte[n * 3 / 4];
        new SecureRandom().nextBytes(b);
        return Base64.getMimeEncoder().encode(b);
    }
}
