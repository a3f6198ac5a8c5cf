package dev.latch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.testing.SecretLedger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The soak's traffic: the users, sessions, PATs and files it works with, and one {@link Path} per kind of request.
 * Each call knows the status it expects and checks the answer's body; every other outcome is an error. Each refresh
 * token is used exactly once: a refresh takes a session's current token from the pool and puts its successor back.
 */
final class Traffic {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One request of a path, the status it must get, and a check of the answer (null when it is right). */
    record Call(HttpRequest request, int expected, Check check) {}

    interface Check {
        /** Null when the answer is right, else what is wrong with it. */
        String verify(HttpResponse<String> response) throws Exception;
    }

    /** A kind of request in the mix; {@code weight} is its share of the machine's capacity. */
    record Path(String name, String description, double weight, java.util.function.Supplier<Call> next) {}

    static final class User {
        final String username;
        final String password;
        volatile String accessToken;
        volatile String pat;

        User(String username, String password) {
            this.username = username;
            this.password = password;
        }
    }

    record Session(User user, String refreshToken) {}

    record StoredFile(User owner, String uid, String fileUrl, int size) {}

    private final SoakStack stack;
    private final URI auth;
    private final URI broker;
    private final URI storage;
    final List<User> users = new ArrayList<>();
    private final ConcurrentLinkedQueue<Session> sessions = new ConcurrentLinkedQueue<>();
    private final AtomicLong sessionCount = new AtomicLong();
    private final AtomicReferenceArray<String> recentTokens = new AtomicReferenceArray<>(64);
    private final AtomicReferenceArray<StoredFile> files = new AtomicReferenceArray<>(512);
    private final AtomicLong fileCount = new AtomicLong();
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong clientAddress = new AtomicLong();
    private final String serviceBasic;
    private final String introspectBasic;
    private final byte[] content;

    Traffic(SoakStack stack) {
        this.stack = stack;
        this.auth = URI.create("http://127.0.0.1:" + stack.auth.port());
        this.broker = URI.create("http://127.0.0.1:" + stack.broker.port());
        this.storage = URI.create("http://127.0.0.1:" + stack.storage.port());
        this.serviceBasic = basic(SoakStack.SERVICE_CLIENT, stack.serviceSecret);
        this.introspectBasic = basic(SoakStack.INTROSPECT_CLIENT, stack.introspectSecret);
        StringBuilder text = new StringBuilder();
        while (text.length() < 2048) {
            text.append("Latch soak attachment, plain text line ")
                    .append(text.length())
                    .append('\n');
        }
        this.content = text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The mix and each path's share of capacity (the shares sum to 1). */
    List<Path> paths() {
        return List.of(
                new Path("sign-in", "POST /v1/auth/signin (Argon2id), one client address each", 0.12, this::signIn),
                new Path(
                        "refresh",
                        "POST /v1/auth/refresh, JSON body, each token once (rotation chains)",
                        0.14,
                        this::refresh),
                new Path(
                        "client_credentials",
                        "POST /oauth2/token grant_type=client_credentials (Basic)",
                        0.10,
                        this::clientCredentials),
                new Path(
                        "introspect",
                        "POST /oauth2/introspect, access tokens and PATs (active:true)",
                        0.12,
                        this::introspect),
                new Path("pat", "GET /v1/users/me with a PAT", 0.12, this::patAtAuth),
                new Path(
                        "start",
                        "broker GET /v1/auth/oauth/{provider}/start (307), one client address each",
                        0.10,
                        this::start),
                new Path("upload", "storage POST /api/v1/attachments, 2 KiB raw body, to S3", 0.10, this::upload),
                new Path("download", "storage GET /file/… signed URL, PROXY delivery from S3", 0.10, this::download),
                new Path(
                        "pat-storage",
                        "storage GET /api/v1/attachments/{uid} with the owner's PAT (introspected, cached)",
                        0.10,
                        this::patAtStorage));
    }

    /** Users, one session and one PAT each, an admin-created OIDC provider at the broker, a first batch of files. */
    void prepare(HttpClient http, int userCount) throws Exception {
        for (int i = 0; i < userCount; i++) {
            String password = SoakStack.secret("user password");
            users.add(new User("soak-" + i + "-" + Long.toHexString(System.nanoTime() & 0xffffff), password));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (User u : users) {
                done.add(pool.submit(() -> {
                    String body = JSON.writeValueAsString(Map.of("username", u.username, "password", u.password));
                    expect(
                            http,
                            post(auth, "/v1/auth/signup", "application/json", body)
                                    .header("X-Forwarded-For", nextAddress()),
                            201);
                    Call signIn = signIn(u);
                    HttpResponse<String> r = http.send(signIn.request(), HttpResponse.BodyHandlers.ofString());
                    String problem = r.statusCode() == 200 ? signIn.check().verify(r) : "status " + r.statusCode();
                    if (problem != null) {
                        throw new IllegalStateException("sign-in of " + u.username + ": " + problem);
                    }
                    HttpResponse<String> pat = expect(
                            http,
                            post(
                                            auth,
                                            "/v1/users/me/tokens",
                                            "application/json",
                                            "{\"name\":\"soak\",\"scopes\":[\"profile:read\",\"attachments:read\"]}")
                                    .header("Authorization", "Bearer " + u.accessToken),
                            201);
                    u.pat = JSON.readTree(pat.body()).path("token").asText();
                    SecretLedger.record("PAT", u.pat);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> admin = expect(
                http,
                post(
                                auth,
                                "/v1/auth/signin",
                                "application/json",
                                JSON.writeValueAsString(
                                        Map.of("username", stack.adminUsername(), "password", stack.adminPassword())))
                        .header("X-Forwarded-For", nextAddress()),
                200);
        String adminToken = JSON.readTree(admin.body()).path("accessToken").asText();
        String providerSecret = SoakStack.secret("provider client secret");
        expect(
                http,
                post(
                                broker,
                                "/v1/identity-providers/admin",
                                "application/json",
                                JSON.writeValueAsString(Map.of(
                                        "id",
                                        SoakStack.PROVIDER,
                                        "kind",
                                        "oidc",
                                        "title",
                                        "Soak OIDC",
                                        "clientId",
                                        "soak-client",
                                        "clientSecret",
                                        providerSecret,
                                        "issuer",
                                        stack.oidcIssuer,
                                        "scopes",
                                        List.of("openid", "email"),
                                        "pkce",
                                        true,
                                        "enabled",
                                        true)))
                        .header("Authorization", "Bearer " + adminToken),
                201);
        ExecutorService uploads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                done.add(uploads.submit(() -> {
                    Call c = upload();
                    HttpResponse<String> r = http.send(c.request(), HttpResponse.BodyHandlers.ofString());
                    String problem = r.statusCode() == c.expected()
                            ? c.check().verify(r)
                            : "status " + r.statusCode() + " " + r.body();
                    if (problem != null) {
                        throw new IllegalStateException("first uploads: " + problem);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            uploads.shutdownNow();
        }
    }

    private static HttpResponse<String> expect(HttpClient http, HttpRequest.Builder request, int status)
            throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " "
                    + r.request().uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private User anyUser() {
        return users.get((int) Math.floorMod(counter.getAndIncrement(), (long) users.size()));
    }

    /** A distinct client address per call, as an ingress forwards many clients (10.0.0.0/8 is a private range). */
    private String nextAddress() {
        long n = clientAddress.incrementAndGet() % 16_777_214L + 1;
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private Call signIn() {
        return signIn(anyUser());
    }

    private Call signIn(User u) {
        String body = "{\"username\":\"" + u.username + "\",\"password\":\"" + u.password + "\"}";
        HttpRequest request = post(auth, "/v1/auth/signin", "application/json", body)
                .header("X-Forwarded-For", nextAddress())
                .build();
        return new Call(request, 200, r -> {
            String access = JSON.readTree(r.body()).path("accessToken").asText(null);
            String refresh = r.headers().allValues("set-cookie").stream()
                    .filter(c -> c.startsWith("latch_refresh="))
                    .map(c -> c.substring("latch_refresh=".length(), c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                    .findFirst()
                    .orElse(null);
            if (access == null || refresh == null || refresh.isEmpty()) {
                return "no access token or refresh cookie";
            }
            SecretLedger.record("refresh token", refresh);
            u.accessToken = access;
            remember(access);
            // new sessions join the pool up to a bound; the others are left to expire, as abandoned browser sessions
            // are
            if (sessionCount.get() < 256) {
                sessionCount.incrementAndGet();
                sessions.add(new Session(u, refresh));
            }
            return null;
        });
    }

    private Call refresh() {
        Session s = sessions.poll();
        if (s == null) {
            return null;
        }
        HttpRequest request = post(
                        auth, "/v1/auth/refresh", "application/json", "{\"refreshToken\":\"" + s.refreshToken() + "\"}")
                .build();
        return new Call(request, 200, r -> {
            JsonNode body = JSON.readTree(r.body());
            String next = body.path("refreshToken").asText(null);
            String access = body.path("accessToken").asText(null);
            if (next == null || access == null || next.equals(s.refreshToken())) {
                return "no rotated refresh token or access token";
            }
            SecretLedger.record("refresh token", next);
            s.user().accessToken = access;
            remember(access);
            sessions.add(new Session(s.user(), next));
            return null;
        });
    }

    private Call clientCredentials() {
        HttpRequest request = post(
                        auth, "/oauth2/token", "application/x-www-form-urlencoded", "grant_type=client_credentials")
                .header("Authorization", serviceBasic)
                .build();
        return new Call(request, 200, r -> {
            String access = JSON.readTree(r.body()).path("access_token").asText(null);
            if (access == null) {
                return "no access_token";
            }
            remember(access);
            return null;
        });
    }

    private Call introspect() {
        long n = counter.getAndIncrement();
        String token = n % 2 == 0 ? recentTokens.get((int) (n / 2 % recentTokens.length())) : null;
        if (token == null) {
            token = anyUser().pat;
        }
        HttpRequest request = post(
                        auth,
                        "/oauth2/introspect",
                        "application/x-www-form-urlencoded",
                        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                .header("Authorization", introspectBasic)
                .build();
        return new Call(
                request, 200, r -> JSON.readTree(r.body()).path("active").asBoolean(false) ? null : "not active");
    }

    private Call patAtAuth() {
        User u = anyUser();
        HttpRequest request = get(auth, "/v1/users/me")
                .header("Authorization", "Bearer " + u.pat)
                .build();
        return new Call(
                request,
                200,
                r -> u.username.equals(JSON.readTree(r.body()).path("username").asText()) ? null : "another user");
    }

    private Call start() {
        HttpRequest request = get(broker, "/v1/auth/oauth/" + SoakStack.PROVIDER + "/start?redirect_to=%2Fsoak")
                .header("X-Forwarded-For", nextAddress())
                .build();
        return new Call(
                request,
                307,
                r -> r.headers()
                                        .firstValue("location")
                                        .filter(l -> l.startsWith(stack.oidcIssuer))
                                        .isPresent()
                                && r.headers().allValues("set-cookie").stream()
                                        .anyMatch(c -> c.startsWith("latch_oauth="))
                        ? null
                        : "no redirect to the provider or no binding cookie");
    }

    private Call upload() {
        User u = anyUser();
        String name = "soak-" + counter.getAndIncrement() + ".txt";
        HttpRequest request = HttpRequest.newBuilder(storage.resolve("/api/v1/attachments?filename=" + name))
                .timeout(TIMEOUT)
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + u.accessToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        return new Call(request, 201, r -> {
            JsonNode body = JSON.readTree(r.body());
            String uid = body.path("uid").asText(null);
            String url = body.path("url").asText(null);
            if (uid == null
                    || url == null
                    || body.path("size").asLong() != content.length
                    || !"S3".equals(body.path("storageType").asText())) {
                return "unexpected attachment " + r.body();
            }
            URI signed = URI.create(url);
            long n = fileCount.getAndIncrement();
            files.set(
                    (int) (n % files.length()),
                    new StoredFile(u, uid, signed.getRawPath() + "?" + signed.getRawQuery(), content.length));
            return null;
        });
    }

    private StoredFile anyFile() {
        long stored = Math.min(fileCount.get(), files.length());
        return stored == 0 ? null : files.get((int) Math.floorMod(counter.getAndIncrement(), stored));
    }

    private Call download() {
        StoredFile f = anyFile();
        if (f == null) {
            return null;
        }
        HttpRequest request = get(storage, f.fileUrl()).build();
        return new Call(
                request,
                200,
                r -> r.body().length() == f.size()
                        ? null
                        : "a body of " + r.body().length() + " bytes");
    }

    private Call patAtStorage() {
        StoredFile f = anyFile();
        if (f == null) {
            return null;
        }
        HttpRequest request = get(storage, "/api/v1/attachments/" + f.uid())
                .header("Authorization", "Bearer " + f.owner().pat)
                .build();
        return new Call(
                request,
                200,
                r -> f.uid().equals(JSON.readTree(r.body()).path("uid").asText()) ? null : "another attachment");
    }

    private void remember(String accessToken) {
        recentTokens.set((int) Math.floorMod(counter.getAndIncrement(), (long) recentTokens.length()), accessToken);
    }

    private static HttpRequest.Builder post(URI base, String path, String type, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder get(URI base, String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(TIMEOUT)
                .GET();
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
