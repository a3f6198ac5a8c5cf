package dev.latch.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Replica;
import dev.latch.e2e.harness.Stack;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: key rotation across services, on a stack of its own whose auth-service generates its keys (the chart's
 * mode without a mounted key Secret, where {@code POST /v1/auth/keys/rotate} works). The rotation is made at one
 * replica of auth-service; the other learns of the new key within {@code latch.auth.keys.reload-interval} and, like
 * the first, signs with it once the publish lead is over. storage-service's replicas accept tokens signed before
 * (the old key stays published until they expire) and after (they fetch the JWKS again on the unknown {@code kid}).
 */
@Order(4)
class KeyRotationIT {

    private static final Duration PUBLISH_LEAD = Duration.ofSeconds(8);
    private static final Duration RELOAD = Duration.ofSeconds(2);

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start(new Stack.Options("rotation", Stack.Keys.GENERATED, PUBLISH_LEAD, RELOAD, 14, false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aKeyRotatedAtOneReplicaSignsEverywhereAfterThePublishLeadAndOldTokensKeepWorking() {
        Latch latch = new Latch(stack);
        String username = Latch.username("rot");
        String password = Stack.secret("user password", 15);
        latch.signUp(username, password);
        Replica rotating = stack.replicas(Stack.AUTH).get(0);
        Replica other = stack.replicas(Stack.AUTH).get(1);

        String before = latch.signInAnswer(other.url(), username, password)
                .json()
                .path("accessToken")
                .asText();
        String oldKid = Http.header(before).path("kid").asText();
        assertAcceptedByEveryStorageReplica(before, "a token signed before the rotation");

        String admin = latch.signInAnswer(rotating.url(), stack.adminUsername(), stack.adminPassword())
                .json()
                .path("accessToken")
                .asText();
        // the new key signs from the server's clock at rotation + the lead: never before this moment + the lead
        long requestedAt = System.nanoTime();
        Http.Answer rotated = Http.send(Http.request(rotating.url(), "/v1/auth/keys/rotate")
                .header("Authorization", "Bearer " + admin)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, rotated.status(), "rotation at " + rotating.name() + ": " + rotated);
        String newKid = rotated.json().path("kid").asText();
        assertNotEquals(oldKid, newKid);

        // published at once where it was made, and at the other replica within the reload interval, before it signs
        assertTrue(jwks(rotating).contains(newKid), "the rotating replica publishes the new key at once");
        await("the other replica publishes " + newKid)
                .atMost(RELOAD.plusSeconds(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jwks(other).contains(newKid));
        String duringLead = latch.signInAnswer(other.url(), username, password)
                .json()
                .path("accessToken")
                .asText();
        if (Duration.ofNanos(System.nanoTime() - requestedAt).compareTo(PUBLISH_LEAD) < 0) {
            assertEquals(oldKid, Http.header(duringLead).path("kid").asText(), "the old key signs during the lead");
        }

        // after the lead, the replica that did not rotate signs with the new key too
        await("the replica that did not rotate signs with " + newKid)
                .atMost(PUBLISH_LEAD.plus(RELOAD).plusSeconds(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> newKid.equals(Http.header(latch.signInAnswer(other.url(), username, password)
                                .json()
                                .path("accessToken")
                                .asText())
                        .path("kid")
                        .asText()));
        assertTrue(
                Duration.ofNanos(System.nanoTime() - requestedAt).compareTo(PUBLISH_LEAD) >= 0,
                "no replica signs with the new key before the publish lead is over");
        String after = latch.signInAnswer(other.url(), username, password)
                .json()
                .path("accessToken")
                .asText();
        String fromRotating = latch.signInAnswer(rotating.url(), username, password)
                .json()
                .path("accessToken")
                .asText();
        assertEquals(newKid, Http.header(after).path("kid").asText());
        assertEquals(newKid, Http.header(fromRotating).path("kid").asText());

        // a token with the new kid works at once at every storage replica; one signed before keeps working
        assertAcceptedByEveryStorageReplica(after, "a token signed with the new key");
        assertAcceptedByEveryStorageReplica(fromRotating, "a token from the rotating replica");
        assertAcceptedByEveryStorageReplica(before, "a token signed before the rotation, after it");
        assertAcceptedByEveryStorageReplica(duringLead, "a token signed during the publish lead");
    }

    private static String jwks(Replica auth) {
        return Http.get(auth.url(), "/.well-known/jwks.json", null).body();
    }

    private static void assertAcceptedByEveryStorageReplica(String token, String what) {
        for (Replica storage : stack.replicas(Stack.STORAGE)) {
            Http.Answer a = Http.get(storage.url(), "/api/v1/attachments", token);
            assertEquals(200, a.status(), what + " at " + storage.name() + ": " + a);
        }
    }
}
