package dev.latch.auth.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.auth.audit.AuditRepository;
import dev.latch.auth.oauth2.introspect.RefreshTokenIntrospector;
import dev.latch.auth.pat.DatabasePatResolver;
import dev.latch.auth.pat.PatService;
import dev.latch.auth.user.User;
import dev.latch.common.testing.TestDatabase;
import dev.latch.common.web.Page;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plan of every statement on a hot path (refresh rotation and its failure analysis, introspection of a
 * refresh token, the sessions list, PAT lookup and use, the user read of introspection, audit insert and
 * listing), measured with {@code EXPLAIN (ANALYZE, BUFFERS)} on auth-service's schema holding 100 000
 * refresh families, 200 000 refresh tokens, 100 000 PATs and 100 000 audit events.
 *
 * <p>The statistics are those of a freshly loaded production table on a PostgreSQL without autovacuum
 * (this machine's): taken while the tables held one row, then the tables filled. Each statement runs under
 * three planners: with those stale statistics, with them and nested loops discouraged (what any
 * misestimate of the join order does), and after {@code ANALYZE}. A statement passes when its plan reads no
 * table sequentially and touches at most {@link #MAX_BUFFERS} pages — a walk over {@code refresh_families}
 * reads about 1 300. The join form of the rotation used before failed this under the second planner. Each
 * statement is measured on its second run in the (rolled-back) transaction, with the connection's catalog
 * caches warm as a pooled connection has them.
 *
 * <p>The statements are the ones Hibernate really sends: {@link StatementRecorder} records them while every path
 * of {@link RefreshTokenService}, a PAT's creation and resolution and the audit log's write and pages run against
 * the application's database, and the rotation is the named native query's own text,
 * {@link RefreshTokenRepository#ROTATE}.
 */
@QuarkusTest
class HotPathQueryPlanTest {

    private static final String DATABASE = "latch_auth_plan_test";
    private static final int FAMILIES = 100_000;
    private static final int USERS = 10_000;
    private static final int MAX_BUFFERS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Planner {
        STALE_STATISTICS(""),
        STALE_STATISTICS_NO_NESTED_LOOPS("SET LOCAL enable_nestloop = off"),
        ANALYZED("ANALYZE");

        final String setup;

        Planner(String setup) {
            this.setup = setup;
        }
    }

    private static final UUID USER = uuid("u", 1);
    private static final UUID FAMILY = uuid("f", 1);

    /** The statements of the hot paths besides the rotation itself, recorded once (see {@link #recordStatements}). */
    private static List<String> recordedStatements;

    @Inject
    RefreshTokenService refreshTokens;

    @Inject
    RefreshTokenIntrospector refreshIntrospector;

    @Inject
    PatService pats;

    @Inject
    DatabasePatResolver patResolver;

    @Inject
    AuditRepository audit;

    @BeforeAll
    static void load() throws SQLException {
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        TestDatabase.update("postgres", "CREATE DATABASE " + DATABASE);
        try (Connection c = TestDatabase.connect(DATABASE)) {
            Flyway.configure()
                    .dataSource(
                            c.getMetaData().getURL(),
                            c.getMetaData().getUserName(),
                            System.getenv().getOrDefault("PGPASSWORD", ""))
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            try (Statement s = c.createStatement()) {
                fill(s, 1, 1, 1);
                s.execute("ANALYZE");
                fill(s, 2, USERS, FAMILIES);
            }
        }
    }

    /** Users {@code from..to} of {@code users}, with families, two tokens each (one rotated), PATs and audit events. */
    private static void fill(Statement s, int from, int users, int families) throws SQLException {
        s.execute("INSERT INTO users (id, username, role, status, created_at, updated_at) SELECT md5('u' || i)::uuid, "
                + "'user' || i, 'USER', CASE WHEN i % 10 = 0 THEN 'DISABLED' ELSE 'ACTIVE' END, now(), now() "
                + "FROM generate_series(" + from + ", " + users + ") i");
        s.execute(
                "INSERT INTO refresh_families (id, user_id, client_id, created_at, expires_at, last_used_at, revoked_at) "
                        + "SELECT md5('f' || i)::uuid, md5('u' || ((i - 1) % " + USERS
                        + " + 1))::uuid, 'latch', now(), "
                        + "now() + interval '30 days', now() - i * interval '1 second', CASE WHEN i % 7 = 0 THEN now() END "
                        + "FROM generate_series(" + from + ", " + families + ") i");
        s.execute("INSERT INTO refresh_tokens (id, family_id, token_hash, created_at, rotated_at) "
                + "SELECT md5('t' || i)::uuid, md5('f' || ((i - 1) % " + FAMILIES
                + " + 1))::uuid, sha256(('t' || i)::bytea), "
                + "now(), CASE WHEN i <= " + FAMILIES + " THEN now() END FROM generate_series(" + from + ", " + families
                + ") i UNION ALL SELECT md5('t' || (i + " + FAMILIES + "))::uuid, md5('f' || i)::uuid, "
                + "sha256(('t' || (i + " + FAMILIES + "))::bytea), now(), NULL FROM generate_series(" + from + ", "
                + families + ") i");
        s.execute(
                "INSERT INTO personal_access_tokens (id, user_id, name, token_hash, created_at) SELECT md5('p' || i)::uuid, "
                        + "md5('u' || ((i - 1) % " + USERS
                        + " + 1))::uuid, 'pat ' || i, sha256(('p' || i)::bytea), now() "
                        + "FROM generate_series(" + from + ", " + families + ") i");
        s.execute("INSERT INTO audit_events (type, actor_id, actor, occurred_at) SELECT 'auth.signin.' || (i % 5), "
                + "md5('u' || ((i - 1) % " + USERS + " + 1)), 'user' || ((i - 1) % " + USERS + " + 1), now() "
                + "FROM generate_series(" + from + ", " + families + ") i");
    }

    @AfterAll
    static void drop() {
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }

    /** One statement with the parameters a request binds. */
    private record Query(String name, String sql, Object... params) {}

    private static List<Query> hotPaths() {
        Timestamp now = Timestamp.from(Instant.now());
        byte[] live = sha256("t" + (FAMILIES + 1));
        List<Query> queries = new ArrayList<>(List.of(
                new Query(
                        "rotation",
                        RefreshTokenRepository.ROTATE,
                        now,
                        UUID.randomUUID(),
                        new byte[16],
                        live,
                        now,
                        null,
                        null),
                new Query(
                        "rotation by a client",
                        RefreshTokenRepository.ROTATE,
                        now,
                        UUID.randomUUID(),
                        new byte[16],
                        live,
                        now,
                        "app",
                        "app")));
        for (String sql : recordedStatements()) {
            queries.add(new Query(sql, sql, sampleParameters(sql, now)));
        }
        return queries;
    }

    @ParameterizedTest
    @EnumSource(Planner.class)
    void everyHotPathIsIndexDrivenAndBounded(Planner planner) throws Exception {
        List<String> failures = new ArrayList<>();
        try (Connection c = TestDatabase.connect(DATABASE)) {
            for (Query query : hotPaths()) {
                c.setAutoCommit(false);
                try {
                    if (!planner.setup.isEmpty()) {
                        try (Statement s = c.createStatement()) {
                            s.execute(planner.setup);
                        }
                    }
                    // a pooled connection has its catalog caches warm: measure a second run of the same statement
                    java.sql.Savepoint warm = c.setSavepoint();
                    explain(c, query);
                    c.rollback(warm);
                    JsonNode plan = explain(c, query);
                    List<String> scans = new ArrayList<>();
                    sequentialScans(plan.get("Plan"), scans);
                    long buffers = plan.get("Plan").path("Shared Hit Blocks").asLong()
                            + plan.get("Plan").path("Shared Read Blocks").asLong();
                    if (!scans.isEmpty() || buffers > MAX_BUFFERS) {
                        failures.add(query.name() + ": " + buffers + " pages, sequential scans of " + scans + "\n"
                                + plan.toPrettyString());
                    }
                } finally {
                    c.rollback();
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(planner + ": " + failures.size() + " hot-path statements are not index-driven:\n"
                    + String.join("\n", failures));
        }
    }

    @org.junit.jupiter.api.Test
    void theRotationPlanIsThreeIndexLookups() throws Exception {
        try (Connection c = TestDatabase.connect(DATABASE)) {
            c.setAutoCommit(false);
            try {
                JsonNode plan = explain(c, hotPaths().get(0));
                List<String> indexes = new ArrayList<>();
                indexScans(plan.get("Plan"), indexes);
                assertTrue(
                        indexes.containsAll(
                                List.of("refresh_tokens_token_hash_key", "refresh_families_pkey", "users_pkey")),
                        "rotation uses " + indexes + ":\n" + plan.toPrettyString());
                assertTrue(
                        plan.get("Plan").path("Actual Rows").asLong() == 1,
                        "the live token rotates:\n" + plan.toPrettyString());
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * Runs every path of {@link RefreshTokenService} on the application's database — sign-in, rotation, the grace
     * window's failure analysis, introspection, the sessions list, revocation by the owner and by token — and those of
     * a PAT (creation, and its resolution on a request: lookup by hash, the user read, the use recorded) and of the
     * audit log (an event written, a page by type and by actor), keeping the distinct statements Hibernate sent: the
     * plans below are those of the SQL that really runs, never of a copy.
     */
    @BeforeEach
    void recordStatements() {
        if (recordedStatements != null) {
            return;
        }
        String name = dev.latch.auth.Api.uniqueName("plan");
        dev.latch.auth.Api.signUp(name);
        User user = new User();
        user.id = UUID.fromString(
                (String) dev.latch.auth.Api.single("SELECT id::text FROM users WHERE username = ?", name));
        user.username = name;
        user.role = User.Role.USER;
        List<String> recorded = new ArrayList<>(StatementRecorder.record(() -> {
            RefreshTokenService.Issued first = refreshTokens.issue(user, "latch", "", "127.0.0.1", "test");
            Rotation rotation = refreshTokens.rotate(first.token(), null);
            assertTrue(rotation instanceof Rotation.Rotated, "the first rotation succeeds: " + rotation);
            // the loser of a race: within the grace window it gets the stored successor
            assertTrue(refreshTokens.rotate(first.token(), "latch") instanceof Rotation.Rotated);
            String successor = ((Rotation.Rotated) rotation).issued().token();
            assertTrue(refreshTokens.lookup(successor).isPresent());
            assertTrue(refreshTokens.clientOf(successor).isPresent());
            assertTrue(refreshTokens.sessions(user.id).size() == 1);
            assertTrue(refreshTokens.revokeFamily(first.familyId(), user.id, "user_revoked"));
            RefreshTokenService.Issued second = refreshTokens.issue(user, "latch", "", "127.0.0.1", "test");
            assertTrue(refreshTokens.revokeByToken(second.token(), "signout").isPresent());
            assertTrue(refreshTokens.rotate(second.token(), null) instanceof Rotation.Refused);
        }));
        assertTrue(
                recorded.contains(RefreshTokenRepository.ROTATE),
                "the rotation sends RefreshTokenRepository.ROTATE: " + recorded);
        // the audit service reads the request it serves: these run in a request context, as on a request
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            recorded.addAll(StatementRecorder.record(() -> {
                String pat = pats.create(user, "plan", List.of(), 30).token();
                assertTrue(patResolver.resolve(pat).isPresent(), "the new PAT resolves");
                QuarkusTransaction.requiringNew().run(() -> {
                    audit.page("auth.signin.3", null, null, Page.size(null) + 1);
                    audit.page(null, user.id.toString(), null, Page.size(null) + 1);
                });
            }));
        } finally {
            requestContext.terminate();
        }
        List<String> statements = recorded.stream()
                .filter(sql -> !sql.equals(RefreshTokenRepository.ROTATE))
                .distinct()
                .toList();
        for (String expected : List.of(
                "insert into refresh_families",
                "insert into refresh_tokens",
                "update refresh_families",
                "from refresh_tokens",
                "from refresh_families",
                "from users",
                "insert into personal_access_tokens",
                "from personal_access_tokens",
                "update personal_access_tokens",
                "insert into audit_events",
                "from audit_events")) {
            assertTrue(
                    statements.stream()
                            .anyMatch(sql -> sql.toLowerCase(Locale.ROOT).contains(expected)),
                    "no statement with '" + expected + "' in " + statements);
        }
        recordedStatements = statements;
    }

    /**
     * Introspecting a refresh token reads its user once: the status check that keeps a disabled user's token
     * inactive also gives the answer its {@code username}.
     */
    @org.junit.jupiter.api.Test
    void refreshTokenIntrospectionReadsTheUserOnce() {
        String name = dev.latch.auth.Api.uniqueName("once");
        dev.latch.auth.Api.signUp(name);
        User user = new User();
        user.id = UUID.fromString(
                (String) dev.latch.auth.Api.single("SELECT id::text FROM users WHERE username = ?", name));
        String token =
                refreshTokens.issue(user, "latch", "", "127.0.0.1", "test").token();
        List<Map<String, Object>> answers = new ArrayList<>();
        List<String> statements = StatementRecorder.record(
                () -> answers.add(refreshIntrospector.introspect(token).orElseThrow()));
        assertEquals(name, answers.get(0).get("username"));
        assertEquals(
                1,
                statements.stream()
                        .filter(sql -> sql.toLowerCase(Locale.ROOT).contains("from users"))
                        .count(),
                "one read of the user: " + statements);
    }

    private static List<String> recordedStatements() {
        return recordedStatements;
    }

    private static final Pattern INSERT = Pattern.compile("^insert into (\\w+) ?\\(([^)]*)\\) values");
    private static final Pattern TABLE = Pattern.compile("\\b(?:update|from) (\\w+)");
    /** A parameter compared with a column, or a page's bound ({@code limit ?}, {@code offset ?}, {@code fetch first ?}). */
    private static final Pattern COMPARED =
            Pattern.compile("(\\w+) ?(?:=|<>|>=|<=|>|<) ?\\?|\\b(limit|offset|first) \\?");

    /**
     * The values a request binds to a recorded statement, by the column each parameter is compared with or inserted
     * into: an insert writes a new row, a lookup or update finds {@link #FAMILY} of {@link #USER} and its rotated
     * token. A statement whose parameters this cannot name fails the test instead of being explained with guesses.
     */
    private static Object[] sampleParameters(String sql, Timestamp now) {
        String lower = sql.toLowerCase(Locale.ROOT);
        long parameters = lower.chars().filter(ch -> ch == '?').count();
        List<Object> values = new ArrayList<>();
        Matcher insert = INSERT.matcher(lower);
        if (insert.find()) {
            for (String column : insert.group(2).split(",")) {
                values.add(sample(insert.group(1), column.trim(), true, now, sql));
            }
        } else {
            Matcher table = TABLE.matcher(lower);
            if (!table.find()) {
                fail("no table in " + sql);
            }
            Matcher compared = COMPARED.matcher(lower);
            while (compared.find()) {
                values.add(
                        compared.group(2) != null
                                ? pageBound(compared.group(2))
                                : sample(table.group(1), compared.group(1), false, now, sql));
            }
        }
        if (values.size() != parameters) {
            fail("cannot name the " + parameters + " parameters of " + sql);
        }
        return values.toArray();
    }

    /** An audit page as the API asks for it: the first, of the default size and one more. */
    private static Object pageBound(String bound) {
        return bound.equals("offset") ? 0 : Page.DEFAULT_SIZE + 1;
    }

    private static Object sample(String table, String column, boolean insert, Timestamp now, String sql) {
        boolean pats = table.equals("personal_access_tokens");
        switch (column) {
            case "id":
                if (insert) {
                    return UUID.randomUUID();
                }
                if (table.equals("refresh_families")) {
                    return FAMILY;
                }
                if (table.equals("users")) {
                    return USER;
                }
                if (pats) {
                    return uuid("p", 5);
                }
                break;
            case "user_id":
                return USER;
            case "family_id":
                return FAMILY;
            case "token_hash":
                return insert ? sha256(UUID.randomUUID().toString()) : sha256(pats ? "p5" : "t1");
            case "name":
                return "plan";
            case "scopes":
                return "";
            case "type":
                return insert ? "auth.signin.succeeded" : "auth.signin.3";
            case "actor_id":
                return USER.toString();
            case "actor":
                return "user1";
            case "occurred_at":
                return now;
            case "metadata":
                return jsonb("{}");
            case "client_id":
                return "latch";
            case "scope":
                return "";
            case "created_at":
            case "expires_at":
            case "last_used_at":
                return now;
            case "rotated_at":
            case "revoked_at":
                return insert ? null : now;
            case "revoke_reason":
                return insert ? null : "reuse_detected";
            case "successor_id":
            case "successor_enc":
            case "browser_session_id":
                return null;
            case "ip":
                return "127.0.0.1";
            case "user_agent":
                return "test";
            default:
                break;
        }
        return fail("no sample value for " + table + "." + column + " in " + sql);
    }

    private static Object jsonb(String json) {
        try {
            org.postgresql.util.PGobject value = new org.postgresql.util.PGobject();
            value.setType("jsonb");
            value.setValue(json);
            return value;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode explain(Connection c, Query query) throws SQLException, java.io.IOException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query.sql())) {
            for (int i = 0; i < query.params().length; i++) {
                ps.setObject(i + 1, query.params()[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return JSON.readTree(rs.getString(1)).get(0);
            }
        }
    }

    private static void sequentialScans(JsonNode node, List<String> out) {
        if (node.path("Node Type").asText().equals("Seq Scan")) {
            out.add(node.path("Relation Name").asText());
        }
        node.path("Plans").forEach(child -> sequentialScans(child, out));
    }

    private static void indexScans(JsonNode node, List<String> out) {
        if (node.has("Index Name")) {
            out.add(node.get("Index Name").asText());
        }
        node.path("Plans").forEach(child -> indexScans(child, out));
    }

    private static UUID uuid(String prefix, int i) {
        return UUID.fromString(hex(md5(prefix + i)).replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    }

    private static byte[] sha256(String s) {
        return digest("SHA-256", s);
    }

    private static byte[] md5(String s) {
        return digest("MD5", s);
    }

    private static byte[] digest(String algorithm, String s) {
        try {
            return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
