package dev.latch.e2e.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/**
 * Keycloak set up for the suite: realm {@value KeycloakServer#REALM} with two users ({@link #user()} consents,
 * {@link #refuser()} refuses consent) and the confidential client Latch's broker uses, registered at the broker by an
 * ADMIN through {@code POST /v1/identity-providers/admin} as provider {@value #PROVIDER} of kind {@code keycloak}.
 */
public final class KeycloakRealm {

    public static final String PROVIDER = "keycloak";

    /** A Keycloak user: name, password, email. */
    public record User(String username, String password, String email) {}

    private final KeycloakServer server;
    private final User user;
    private final User refuser;

    private KeycloakRealm(KeycloakServer server, User user, User refuser) {
        this.server = server;
        this.user = user;
        this.refuser = refuser;
    }

    static KeycloakRealm create(KeycloakServer server, Stack stack) {
        String clientSecret = Stack.secret("Keycloak client secret", 24);
        server.createRealmAndClient(stack.publicUrl() + "/v1/auth/oauth/" + PROVIDER + "/callback", clientSecret);
        User user = new User("ada", Stack.secret("Keycloak user password", 12), "ada@kc.latch.test");
        User refuser = new User("bob", Stack.secret("Keycloak user password", 12), "bob@kc.latch.test");
        for (User u : new User[] {user, refuser}) {
            server.createUser(u.username(), u.password(), u.email());
        }
        String admin = new Latch(stack).admin().accessToken();
        Http.Answer registered = Http.postJson(
                stack.publicUrl(),
                "/v1/identity-providers/admin",
                Map.of(
                        "id",
                        PROVIDER,
                        "kind",
                        "keycloak",
                        "title",
                        "Keycloak",
                        "clientId",
                        KeycloakServer.CLIENT_ID,
                        "clientSecret",
                        clientSecret,
                        "issuer",
                        server.issuer()),
                admin);
        assertEquals(201, registered.status(), () -> "provider registration: " + registered);
        return new KeycloakRealm(server, user, refuser);
    }

    public KeycloakServer server() {
        return server;
    }

    public User user() {
        return user;
    }

    public User refuser() {
        return refuser;
    }
}
