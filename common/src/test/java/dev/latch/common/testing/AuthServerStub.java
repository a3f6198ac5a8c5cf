package dev.latch.common.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latch.common.security.PersonalAccessTokens;
import dev.latch.common.security.SecureTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.HashUtil;

/**
 * auth-service at its contract, for the other services' tests: a real HTTP server (JDK) serving the
 * JWKS, {@code /oauth2/token} (client credentials), {@code /oauth2/introspect} (PATs),
 * {@code /internal/v1/federated-sessions}, {@code /v1/auth/refresh}, {@code /v1/auth/signout} and
 * {@code /v1/users/me} (these three also to browser pages on loopback origins, with CORS as auth-service
 * answers for the origins in its {@code latch.cors.origins}), with an RSA key made per run.
 * Tests mint user tokens and PATs through the static methods. The real cross-service flow is covered
 * by the end-to-end tests.
 */
public class AuthServerStub implements QuarkusTestResourceLifecycleManager {

    public static final String AUDIENCE = "latch";
    public static final Map<String, String> CLIENTS = Map.of(
            "latch-dev", "latch-dev-secret",
            "latch-idp", "latch-idp-secret");
    private static final Map<String, String> CLIENT_SCOPES = Map.of(
            "latch-dev", "openid tokens:introspect",
            "latch-idp", "sessions:issue");

    private static volatile AuthServerStub instance;

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, Object>> pats = new ConcurrentHashMap<>();
    private final Map<String, String> links = new ConcurrentHashMap<>();
    private final Map<String, String> emails = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> federatedRequests = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> disabledUsers = ConcurrentHashMap.newKeySet();
    private volatile boolean signupDisabled;
    private final AtomicInteger introspections = new AtomicInteger();
    private HttpServer server;
    private RsaJsonWebKey key;
    private String issuer;

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(key.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256));
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            server = listen(0);
        } catch (Exception e) {
            throw new IllegalStateException("auth-service stub did not start", e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        instance = this;
        return Map.of(
                "latch.auth-service-url",
                issuer,
                "latch.jwt.issuer",
                issuer,
                "latch.jwt.audience",
                AUDIENCE,
                "latch.jwt.jwks-url",
                issuer + "/.well-known/jwks.json",
                "latch.jwt.introspection.url",
                issuer + "/oauth2/introspect",
                "latch.jwt.introspection.client-id",
                "latch-dev",
                "latch.jwt.introspection.client-secret",
                "latch-dev-secret");
    }

    private HttpServer listen(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext("/oauth2/token", this::token);
        server.createContext("/oauth2/introspect", this::introspect);
        server.createContext("/internal/v1/federated-sessions", this::federated);
        server.createContext("/v1/auth/refresh", ex -> {
            if (!preflight(ex)) {
                refresh(ex);
            }
        });
        server.createContext("/v1/auth/signout", ex -> {
            if (!preflight(ex)) {
                signout(ex);
            }
        });
        server.createContext("/v1/users/me", ex -> {
            if (!preflight(ex)) {
                me(ex);
            }
        });
        server.start();
        return server;
    }

    /**
     * Stops the server, as auth-service stopped or crashed: its port refuses connections until {@link #resume()}.
     *
     * @return the port it listened on
     */
    public static int pause() {
        AuthServerStub stub = get();
        int port = stub.server.getAddress().getPort();
        stub.server.stop(0);
        return port;
    }

    /** Listens again on the same port, with the same key and state (once the port can be bound again). */
    public static void resume() {
        AuthServerStub stub = get();
        int port = URI.create(stub.issuer).getPort();
        org.awaitility.Awaitility.await("auth-service stub listening again on " + port)
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    stub.server = stub.listen(port);
                    return true;
                });
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        instance = null;
    }

    private static AuthServerStub get() {
        if (instance == null) {
            throw new IllegalStateException("AuthServerStub is not running");
        }
        return instance;
    }

    /** An RFC 9068 access token for a user, signed with the stub's key. */
    public static String userToken(String userId, String username, String role) {
        JwtClaims claims = get().baseClaims(userId, "latch", "");
        claims.setStringClaim("username", username);
        claims.setStringClaim("role", role);
        claims.setStringClaim("status", "ACTIVE");
        return get().signClaims(claims, "at+jwt");
    }

    public static String userToken(String username, String role) {
        return userToken(
                UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8))
                        .toString(),
                username,
                role);
    }

    /** Signs arbitrary claims with the stub's key (for tests of refused tokens). */
    public static String sign(JwtClaims claims, String typ) {
        return get().signClaims(claims, typ);
    }

    public static String issuer() {
        return get().issuer;
    }

    /** A well-formed PAT that the stub's introspection knows. */
    public static String pat(String userId, String username, String role, String scope) {
        String pat = PersonalAccessTokens.generate();
        Map<String, Object> claims = new HashMap<>();
        claims.put("active", true);
        claims.put("sub", userId);
        claims.put("username", username);
        claims.put("role", role);
        claims.put("status", "ACTIVE");
        claims.put("scope", scope);
        claims.put("client_id", "latch");
        claims.put("token_type", "Bearer");
        get().pats.put(pat, claims);
        return pat;
    }

    public static void revokePat(String pat) {
        get().pats.remove(pat);
    }

    public static int introspectionCount() {
        return get().introspections.get();
    }

    /**
     * Emulates {@code latch.auth.signup.enabled=false}: an unknown federated identity of a provider
     * without {@code allowSignup} is answered 403 {@code urn:latch:problem:signup-disabled}.
     */
    public static void signupDisabled(boolean disabled) {
        get().signupDisabled = disabled;
    }

    /** A disabled account: federated sessions resolving to it are answered 403 (a problem of another type). */
    public static void disableUser(String userId, boolean disabled) {
        if (disabled) {
            get().disabledUsers.add(userId);
        } else {
            get().disabledUsers.remove(userId);
        }
    }

    /** Bodies the broker sent to {@code /internal/v1/federated-sessions}, in order. */
    public static List<Map<String, Object>> federatedRequests() {
        return get().federatedRequests;
    }

    private JwtClaims baseClaims(String subject, String clientId, String scope) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(0);
        claims.setExpirationTimeMinutesInTheFuture(15);
        claims.setStringClaim("client_id", clientId);
        claims.setStringClaim("scope", scope);
        return claims;
    }

    private String signClaims(JwtClaims claims, String typ) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setHeader("typ", typ);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void jwks(HttpExchange ex) throws IOException {
        String body = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        ex.getResponseHeaders().add("Cache-Control", "public, max-age=300");
        ex.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
        respond(ex, 200, body);
    }

    private String client(HttpExchange ex, Map<String, String> form) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (auth != null && auth.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        return id != null && secret != null && secret.equals(CLIENTS.get(id)) ? id : null;
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> form = form(ex);
        String client = client(ex, form);
        if (client == null) {
            respondJson(ex, 401, Map.of("error", "invalid_client"));
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            respondJson(ex, 400, Map.of("error", "unsupported_grant_type"));
            return;
        }
        String scope = form.getOrDefault("scope", CLIENT_SCOPES.get(client));
        String token = signClaims(baseClaims(client, client, scope), "at+jwt");
        respondJson(ex, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 900, "scope", scope));
    }

    private void introspect(HttpExchange ex) throws IOException {
        Map<String, String> form = form(ex);
        if (client(ex, form) == null) {
            respondJson(ex, 401, Map.of("error", "invalid_client"));
            return;
        }
        introspections.incrementAndGet();
        Map<String, Object> claims = pats.get(form.get("token"));
        respondJson(ex, 200, claims == null ? Map.of("active", false) : claims);
    }

    @SuppressWarnings("unchecked")
    private void federated(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        JwtClaims caller;
        try {
            caller = new org.jose4j.jwt.consumer.JwtConsumerBuilder()
                    .setVerificationKey(key.getPublicKey())
                    .setExpectedAudience(AUDIENCE)
                    .setExpectedIssuer(issuer)
                    .build()
                    .processToClaims(auth == null ? "" : auth.replaceFirst("^Bearer ", ""));
        } catch (Exception e) {
            unauthorized(ex);
            return;
        }
        if (!String.valueOf(caller.getClaimValue("scope")).contains("sessions:issue")) {
            respondProblem(ex, 403, "about:blank", "Forbidden", "The token lacks the scope sessions:issue.");
            return;
        }
        Map<String, Object> body = json.readValue(ex.getRequestBody(), Map.class);
        federatedRequests.add(body);
        // subjects are unique per issuer (the provider row's immutable identity), not per provider id
        String linkKey =
                (body.get("issuer") != null ? body.get("issuer") : body.get("provider")) + "|" + body.get("subject");
        String email = (String) body.get("email");
        boolean verified = Boolean.TRUE.equals(body.get("emailVerified"));
        String userId = links.get(linkKey);
        boolean existing = userId != null;
        if (userId == null && verified && email != null && emails.containsKey(email.toLowerCase())) {
            userId = emails.get(email.toLowerCase());
            existing = true;
        }
        if (userId == null && signupDisabled && !Boolean.TRUE.equals(body.get("allowSignup"))) {
            respondProblem(ex, 403, "urn:latch:problem:signup-disabled", "Forbidden", "Sign-up is disabled.");
            return;
        }
        if (userId != null && disabledUsers.contains(userId)) {
            respondProblem(ex, 403, "about:blank", "Forbidden", "The account is disabled.");
            return;
        }
        if (userId == null) {
            userId = UUID.randomUUID().toString();
        }
        links.put(linkKey, userId);
        if (verified && email != null) {
            emails.putIfAbsent(email.toLowerCase(), userId);
        }
        String username = "user-" + userId.substring(0, 8);
        String refresh = SecureTokens.randomBase64Url(32);
        refreshTokens.put(refresh, userId);
        respondJson(
                ex,
                200,
                Map.of(
                        "userId",
                        userId,
                        "existingUser",
                        existing,
                        "accessToken",
                        userToken(userId, username, "USER"),
                        "expiresIn",
                        900,
                        "refreshToken",
                        refresh));
    }

    /**
     * CORS for a page on a loopback origin (the broker's landing page in its tests): its answer headers, and
     * the whole answer to a preflight (then true).
     */
    private static boolean preflight(HttpExchange ex) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin == null || !origin.matches("http://(localhost|127\\.0\\.0\\.1)(:\\d+)?")) {
            return false;
        }
        ex.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
        ex.getResponseHeaders().add("Access-Control-Allow-Credentials", "true");
        ex.getResponseHeaders().add("Vary", "Origin");
        if (!"OPTIONS".equals(ex.getRequestMethod())) {
            return false;
        }
        ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, DELETE");
        ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Authorization, Content-Type");
        ex.sendResponseHeaders(204, -1);
        ex.close();
        return true;
    }

    private static String refreshCookie(HttpExchange ex) {
        String cookies = String.join(";", ex.getRequestHeaders().getOrDefault("Cookie", List.of()));
        String token = null;
        for (String c : cookies.split(";")) {
            String t = c.trim();
            if (t.startsWith("latch_refresh=")) {
                token = t.substring("latch_refresh=".length());
            }
        }
        return token;
    }

    private void signout(HttpExchange ex) throws IOException {
        String token = refreshCookie(ex);
        if (token != null) {
            refreshTokens.remove(token);
        }
        ex.getResponseHeaders()
                .add("Set-Cookie", "latch_refresh=; Max-Age=0; Path=/v1/auth; Secure; HttpOnly; SameSite=Lax");
        ex.sendResponseHeaders(204, -1);
        ex.close();
    }

    /** The user of a bearer access token signed by this stub (its username claim as {@code username}). */
    private void me(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        JwtClaims claims;
        try {
            claims = new org.jose4j.jwt.consumer.JwtConsumerBuilder()
                    .setVerificationKey(key.getPublicKey())
                    .setExpectedAudience(AUDIENCE)
                    .setExpectedIssuer(issuer)
                    .build()
                    .processToClaims(auth == null ? "" : auth.replaceFirst("^Bearer ", ""));
        } catch (Exception e) {
            unauthorized(ex);
            return;
        }
        Map<String, Object> user = new HashMap<>();
        try {
            user.put("id", claims.getSubject());
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw new IOException(e);
        }
        user.put("username", claims.getClaimValue("username"));
        user.put("role", claims.getClaimValue("role"));
        user.put("status", claims.getClaimValue("status"));
        respondJson(ex, 200, user);
    }

    private void refresh(HttpExchange ex) throws IOException {
        String token = refreshCookie(ex);
        String userId = token == null ? null : refreshTokens.remove(token);
        if (userId == null) {
            respondProblem(ex, 401, "about:blank", "Unauthorized", "The refresh token is not valid.");
            return;
        }
        String next = SecureTokens.randomBase64Url(32);
        refreshTokens.put(next, userId);
        ex.getResponseHeaders()
                .add(
                        "Set-Cookie",
                        "latch_refresh=" + next + "; Max-Age=2592000; Path=/v1/auth; HttpOnly; Secure; SameSite=Lax");
        respondJson(
                ex,
                200,
                Map.of(
                        "accessToken",
                        userToken(userId, "user-" + userId.substring(0, 8), "USER"),
                        "tokenType",
                        "Bearer",
                        "expiresIn",
                        900,
                        "user",
                        Map.of("id", userId)));
    }

    private Map<String, String> form(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    /** As auth-service answers a missing or refused bearer token: 401 problem+json with the Bearer challenge. */
    private void unauthorized(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        respondProblem(ex, 401, "about:blank", "Unauthorized", "A valid bearer token is required.");
    }

    private void respondProblem(HttpExchange ex, int status, String type, String title, String detail)
            throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/problem+json");
        respond(
                ex,
                status,
                json.writeValueAsString(Map.of("type", type, "title", title, "status", status, "detail", detail)));
    }

    private void respondJson(HttpExchange ex, int status, Object body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        respond(ex, status, json.writeValueAsString(body));
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
