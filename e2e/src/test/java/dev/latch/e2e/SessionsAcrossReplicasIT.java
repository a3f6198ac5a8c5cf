package dev.latch.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.SecretLedger;
import dev.latch.common.testing.TestDatabase;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Replica;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 1: sessions across auth-service's two replicas, through the balancer (round-robin, no stickiness).
 * Refresh rotation is decided in PostgreSQL, and rate limits are counted in Redis, so neither depends on which
 * replica a request lands on.
 */
@ExtendWith(SharedStack.class)
@Order(1)
class SessionsAcrossReplicasIT {

    /** The production default of {@code latch.auth.token.refresh-grace}. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void refreshRotatesOnceAcrossReplicasAndReuseRevokesTheFamilyEverywhere(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        Latch.Session session = latch.newUser("rotate");
        String first = session.refreshToken();
        SecretLedger.record("refresh token", first);

        // 20 in a row: each answer a new token, from both replicas
        Set<String> replicas = new HashSet<>();
        Set<String> seen = new HashSet<>(List.of(first));
        String current = first;
        for (int i = 0; i < 20; i++) {
            Http.Answer a = latch.refresh(latch.url(), current);
            assertEquals(200, a.status(), "refresh " + (i + 1) + ": " + a);
            String next = a.json().path("refreshToken").asText();
            SecretLedger.record("refresh token", next);
            assertTrue(seen.add(next), "refresh " + (i + 1) + " answered a token seen before");
            assertTrue(a.cookie("latch_refresh").isEmpty(), "a JSON refresh sets no cookie: " + a);
            replicas.add(a.replica());
            current = next;
        }
        assertEquals(Set.of("auth-1", "auth-2"), replicas, "the 20 refreshes landed on both replicas");
        assertEquals(1, liveHeads(stack, current), "one live token in the family after 20 rotations");

        // 10 at once with the same token: one rotation, every caller gets that same successor
        String presented = current;
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Http.Answer> answers = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return latch.refresh(latch.url(), presented);
                }));
            }
            go.countDown();
            for (Future<Http.Answer> f : calls) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> successors = new HashSet<>();
        Set<String> concurrentReplicas = new HashSet<>();
        for (Http.Answer a : answers) {
            assertEquals(200, a.status(), "a concurrent refresh within the grace window: " + a);
            successors.add(a.json().path("refreshToken").asText());
            concurrentReplicas.add(a.replica());
        }
        assertEquals(1, successors.size(), "10 concurrent refreshes of one token: one successor, " + successors);
        assertEquals(Set.of("auth-1", "auth-2"), concurrentReplicas, "the concurrent refreshes reached both replicas");
        String head = successors.iterator().next();
        SecretLedger.record("refresh token", head);
        assertNotEquals(presented, head);
        assertEquals(1, liveHeads(stack, head), "exactly one live successor after the concurrent rotation");
        assertEquals(
                1L,
                TestDatabase.count(
                        stack.database(Stack.AUTH),
                        "SELECT count(*) FROM refresh_tokens WHERE rotated_at IS NULL AND token_hash = ?",
                        (Object) sha256(head)),
                "the live token is the successor every caller got");

        // the first token, rotated long before: once its grace window is over, presenting it revokes the family
        await("the grace window of the first rotation is over")
                .atMost(GRACE.plusSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Boolean.TRUE.equals(TestDatabase.single(
                        stack.database(Stack.AUTH),
                        "SELECT now() - rotated_at > ?::interval FROM refresh_tokens WHERE token_hash = ?",
                        GRACE.toSeconds() + 1 + " seconds",
                        sha256(first))));
        Http.Answer reuse = latch.refresh(latch.url(), first);
        assertEquals(401, reuse.status(), "a rotated token presented after the grace window: " + reuse);
        for (Replica r : stack.replicas(Stack.AUTH)) {
            Http.Answer a = latch.refresh(r.url(), head);
            assertEquals(401, a.status(), "after the reuse, the family's live token at " + r.name() + ": " + a);
        }
        assertEquals(0, liveHeads(stack, head), "the family is revoked");
        Http.Answer events = Http.get(
                latch.url(),
                "/v1/audit-events?type=auth.refresh.reuse_detected",
                latch.admin().accessToken());
        assertEquals(200, events.status(), events.toString());
        Object family = TestDatabase.single(
                stack.database(Stack.AUTH), "SELECT family_id::text FROM refresh_tokens WHERE token_hash = ?", (Object)
                        sha256(first));
        assertTrue(
                events.body().contains("\"session_id\":\"" + family + "\""),
                "auth.refresh.reuse_detected is audited for the session " + family + ": " + events);
        assertTrue(
                events.body().contains("\"actorId\":\"" + session.userId() + "\""),
                "auth.refresh.reuse_detected names the session's owner: " + events);
    }

    @Test
    void theSignInLimitHoldsAcrossReplicas(Stack stack) {
        Latch latch = new Latch(stack);
        String username = Latch.username("limit");
        String password = Stack.secret("user password", 15);
        latch.signUp(username, password);
        // latch.auth.rate-limit.max-failures-per-username: 5 by default, counted in Redis
        Set<String> replicas = new HashSet<>();
        for (int i = 1; i <= 5; i++) {
            Http.Answer a = latch.signInAnswer(latch.url(), username, "wrong-password-" + i);
            assertEquals(401, a.status(), "wrong password " + i + ": " + a);
            replicas.add(a.replica());
        }
        assertEquals(Set.of("auth-1", "auth-2"), replicas, "the failures were counted on both replicas");
        for (Replica r : stack.replicas(Stack.AUTH)) {
            Http.Answer a = latch.signInAnswer(r.url(), username, password);
            assertEquals(429, a.status(), "the sixth attempt, even with the right password, at " + r.name() + ": " + a);
            assertTrue(a.header("Retry-After").isPresent(), a.toString());
        }
    }

    /** Live (not rotated) tokens of the family of the token {@code anyToken} whose family is not revoked. */
    static long liveHeads(Stack stack, String anyToken) throws Exception {
        return TestDatabase.count(
                stack.database(Stack.AUTH),
                "SELECT count(*) FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id"
                        + " WHERE t.rotated_at IS NULL AND f.revoked_at IS NULL"
                        + " AND t.family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?)",
                (Object) sha256(anyToken));
    }

    static byte[] sha256(String token) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    }
}
