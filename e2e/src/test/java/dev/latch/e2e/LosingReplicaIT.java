package dev.latch.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.SecretLedger;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Replica;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 7: one replica of each service is killed (SIGKILL) in the middle of concurrent refreshes. Every request
 * gets a correct answer or a retryable failure from the balancer: a 502/503, or, for a request in flight on a reused
 * keep-alive connection, the connection closed before any byte of an answer, which is how HAProxy tells an HTTP/1.1
 * client that the request may be sent again (haproxy/haproxy#3414); only requests in flight at the kill may get one.
 * A client that got either presents the same token again and gets the successor the lost answer carried (the grace
 * window), so no session is lost and no family ends with two live tokens; the replicas rejoin when restarted.
 */
@ExtendWith(SharedStack.class)
@Order(7)
class LosingReplicaIT {

    private static final Set<Integer> RETRYABLE = Set.of(502, 503);

    @Test
    void killingOneReplicaOfEachServiceLosesNoSessionAndTheReplicasRejoin(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        int families = 6;
        List<Latch.Session> sessions = new ArrayList<>();
        for (int i = 0; i < families; i++) {
            sessions.add(latch.newUser("lose"));
        }
        Map<Integer, String> heads = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger closedUnanswered = new AtomicInteger();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch warm = new CountDownLatch(families * 5);

        ExecutorService pool = Executors.newFixedThreadPool(families + 2);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int f = 0; f < families; f++) {
                int family = f;
                heads.put(family, sessions.get(f).refreshToken());
                workers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String presented = heads.get(family);
                        Http.Answer a;
                        try {
                            a = latch.refresh(latch.url(), presented);
                        } catch (RuntimeException e) {
                            if (closedBeforeAnswer(e)) {
                                closedUnanswered.incrementAndGet(); // the same token again, as for a 502
                            } else {
                                wrong.add("refresh: " + e);
                            }
                            continue;
                        }
                        if (a.status() == 200) {
                            String next = a.json().path("refreshToken").asText();
                            SecretLedger.record("refresh token", next);
                            heads.put(family, next);
                            ok.incrementAndGet();
                            if (killed.get()) {
                                afterKill.incrementAndGet();
                            }
                            warm.countDown();
                        } else if (RETRYABLE.contains(a.status())) {
                            retried.incrementAndGet(); // the same token again: the grace window answers the same
                            // successor
                        } else {
                            wrong.add("refresh answered " + a);
                            return null;
                        }
                    }
                    return null;
                }));
            }
            // the broker and storage-service under load too
            String access = sessions.get(0).accessToken();
            for (String path : List.of("/v1/identity-providers", "/api/v1/attachments")) {
                workers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        Http.Answer a;
                        try {
                            a = Http.get(latch.url(), path, access);
                        } catch (RuntimeException e) {
                            if (closedBeforeAnswer(e)) {
                                closedUnanswered.incrementAndGet();
                            } else {
                                wrong.add("GET " + path + ": " + e);
                            }
                            continue;
                        }
                        if (a.status() != 200 && !RETRYABLE.contains(a.status())) {
                            wrong.add("GET " + path + " answered " + a);
                        }
                    }
                    return null;
                }));
            }
            assertTrue(warm.await(60, java.util.concurrent.TimeUnit.SECONDS), "the refresh loops got going");
            for (String service : List.of(Stack.AUTH, Stack.BROKER, Stack.STORAGE)) {
                stack.replicas(service).get(0).kill();
            }
            killed.set(true);
            await("refreshes go on after the kill")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> afterKill.get() >= families * 10 || !wrong.isEmpty());
        } finally {
            stop.set(true);
            for (Future<?> w : workers) {
                w.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            // the killed replicas come back where the balancer expects them, whatever was found above
            for (String service : List.of(Stack.AUTH, Stack.BROKER, Stack.STORAGE)) {
                Replica r = stack.replicas(service).get(0);
                if (!r.alive()) {
                    r.start();
                }
            }
        }
        assertTrue(wrong.isEmpty(), "wrong answers during the kill: " + wrong);
        System.out.printf(
                "LosingReplicaIT: %d refreshes answered 200 (%d after the kill), %d answered 502/503 and %d connections"
                        + " closed unanswered, each retried%n",
                ok.get(), afterKill.get(), retried.get(), closedUnanswered.get());
        assertTrue(
                closedUnanswered.get() <= families + 2,
                "connections closed unanswered: " + closedUnanswered
                        + ", more than the requests in flight at the kill");

        for (int f = 0; f < families; f++) {
            assertEquals(
                    1,
                    SessionsAcrossReplicasIT.liveHeads(stack, heads.get(f)),
                    "family " + f + " has exactly one live token, the one its client holds");
        }

        // the restarted replicas rejoin and take traffic again
        for (String service : List.of(Stack.AUTH, Stack.BROKER, Stack.STORAGE)) {
            stack.replicas(service).get(0).awaitReady();
        }
        stack.awaitBalancerSeesAll();
        Set<String> serving = new HashSet<>();
        String access =
                latch.signIn(stack.adminUsername(), stack.adminPassword()).accessToken();
        for (int i = 0; i < 6; i++) {
            serving.add(Http.get(latch.url(), "/v1/users/me", access).replica());
            serving.add(Http.get(latch.url(), "/v1/identity-providers", null).replica());
            serving.add(Http.get(latch.url(), "/api/v1/attachments", access).replica());
        }
        assertTrue(
                serving.containsAll(List.of("auth-1", "idp-1", "storage-1")),
                "the restarted replicas serve again: " + serving);
    }

    /** The JDK client's report of a connection closed before any byte of an answer (a retry signal, see above). */
    private static boolean closedBeforeAnswer(RuntimeException e) {
        return e.getCause() instanceof java.io.IOException io
                && io.getMessage() != null
                && io.getMessage().contains("header parser received no bytes");
    }
}
