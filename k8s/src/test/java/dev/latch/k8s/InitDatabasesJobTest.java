package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The optional pre-install/pre-upgrade Job that creates the three databases (initDatabases.enabled). */
class InitDatabasesJobTest {

    private static final String JOB = Chart.RELEASE + "-init-databases";

    private static final Map<String, Object> ENABLED =
            Map.of("initDatabases.enabled", "true", "database.existingSecret", "latch-database");

    @Test
    void offByDefault() {
        assertTrue(Chart.render().all(Job.class).isEmpty());
        assertTrue(Chart.render(Chart.EXAMPLES.resolve("values-production.yaml"))
                .all(Job.class)
                .isEmpty());
    }

    @Test
    void needsASecretWithTheCredentials() {
        RuntimeException e = assertThrows(
                RuntimeException.class, () -> Chart.template(List.of(), Map.of("initDatabases.enabled", "true")));
        assertTrue(e.getMessage().contains("initDatabases.existingSecret"), e.getMessage());
    }

    @Test
    void runsAsAHookBeforeInstallAndUpgradeAndIsDeletedWhenItSucceeded() {
        Job job = Chart.render(List.of(), ENABLED).one(Job.class, JOB);
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        assertEquals("pre-install,pre-upgrade", annotations.get(Chart.HOOK_ANNOTATION));
        assertEquals("before-hook-creation,hook-succeeded", annotations.get(Chart.HOOK_ANNOTATION + "-delete-policy"));
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertNotNull(job.getSpec().getActiveDeadlineSeconds(), "a job that cannot reach the database ends");
    }

    @Test
    void credentialsComeOnlyFromTheDatabaseSecret() {
        Container psql = container(Chart.render(List.of(), ENABLED).one(Job.class, JOB));
        assertEquals(new SecretKeySelector("username", "latch-database", null), secretRef(psql, "PGUSER"));
        assertEquals(new SecretKeySelector("password", "latch-database", null), secretRef(psql, "PGPASSWORD"));
        for (String id : List.of("AUTH", "IDP", "STORAGE")) {
            assertEquals(
                    new SecretKeySelector("username", "latch-database", null),
                    secretRef(psql, "LATCH_DB_" + id + "_OWNER"),
                    "each database is owned by its service's user");
        }
        for (EnvVar env : psql.getEnv()) {
            if (env.getName().matches(".*(USER|PASSWORD|OWNER)$")) {
                assertNull(env.getValue(), env.getName() + " must not have an inline value");
                assertNotNull(env.getValueFrom().getSecretKeyRef(), env.getName() + " must use secretKeyRef");
            }
        }
        assertEquals("latch_auth", env(psql, "LATCH_DB_AUTH"));
        assertEquals("latch_idp", env(psql, "LATCH_DB_IDP"));
        assertEquals("latch_storage", env(psql, "LATCH_DB_STORAGE"));
        assertEquals("postgresql", env(psql, "PGHOST"));
        assertEquals("5432", env(psql, "PGPORT"));
        assertEquals("prefer", env(psql, "PGSSLMODE"));
    }

    @Test
    void anAdminSecretServiceSecretsAndTheDatabaseParametersAreHonoured() {
        Chart.Rendered r = Chart.render(Chart.testValues("all-features.yaml"));
        Container psql = container(r.one(Job.class, JOB));
        assertEquals(new SecretKeySelector("admin-user", "test-db-admin", null), secretRef(psql, "PGUSER"));
        assertEquals(new SecretKeySelector("admin-pass", "test-db-admin", null), secretRef(psql, "PGPASSWORD"));
        assertEquals(new SecretKeySelector("user", "test-auth-db", null), secretRef(psql, "LATCH_DB_AUTH_OWNER"));
        assertEquals(new SecretKeySelector("user", "test-db", null), secretRef(psql, "LATCH_DB_STORAGE_OWNER"));
        assertEquals("verify-full", env(psql, "PGSSLMODE"), "sslmode from database.parameters");
        assertEquals("registry.test.example/postgres:17.0", psql.getImage());
        // identity-provider-service has its own jdbcUrl: its database is elsewhere, the job leaves it alone
        assertEquals(List.of("AUTH", "STORAGE"), psql.getArgs());
        assertTrue(psql.getEnv().stream().noneMatch(e -> e.getName().startsWith("LATCH_DB_IDP")));
    }

    @Test
    void theSqlIsIdempotentAndTakesNamesAsVariables() {
        Container psql = container(Chart.render(List.of(), ENABLED).one(Job.class, JOB));
        String script = psql.getCommand().get(2);
        assertTrue(script.contains("WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec"), script);
        assertTrue(
                script.contains("format('CREATE DATABASE %I OWNER %I', :'db', :'owner')"),
                "identifiers quoted by format");
        assertTrue(script.contains("ON_ERROR_STOP=1"), "a failed statement fails the job");
        assertTrue(script.contains("<<'SQL'"), "no shell expansion inside the SQL");
        assertEquals(List.of("AUTH", "IDP", "STORAGE"), psql.getArgs());
    }

    @Test
    void aDatabaseNameMustBeAnIdentifier() {
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> Chart.template(List.of(), Map.of("authService.database.name", "latch\"; DROP DATABASE x; --")));
        assertTrue(e.getMessage().toLowerCase().contains("schema"), e.getMessage());
    }

    /**
     * Runs the rendered script with the machine's psql against the local PostgreSQL (127.0.0.1:5432, user
     * postgres), twice: the first run creates the three databases, the second finds them and changes nothing.
     */
    @Test
    void theRenderedScriptCreatesMissingDatabasesAndIsIdempotent() throws Exception {
        Assumptions.assumeTrue(onPath("psql") && onPath("pg_isready"), "psql and pg_isready are not installed");
        String suffix = Long.toHexString(System.nanoTime());
        List<String> names = List.of(
                "latch_k8s_init_auth_" + suffix, "latch_k8s_init_idp_" + suffix, "latch_k8s_init_storage_" + suffix);
        Map<String, Object> sets = new HashMap<>(ENABLED);
        sets.put("database.host", "127.0.0.1");
        sets.put("authService.database.name", names.get(0));
        sets.put("identityProviderService.database.name", names.get(1));
        sets.put("storageService.database.name", names.get(2));
        Container psql = container(Chart.render(List.of(), sets).one(Job.class, JOB));
        Map<String, String> secrets = Map.of("username", "postgres", "password", "unused-with-trust");
        try {
            for (int run = 1; run <= 2; run++) {
                Result result = runScript(psql, secrets);
                assertEquals(0, result.exitCode(), "run " + run + ":\n" + result.output());
                for (String name : names) {
                    assertTrue(
                            result.output().contains("database " + name + ": present (owner postgres)"),
                            result.output());
                }
            }
            String listed = sql(
                    "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname LIKE 'latch_k8s_init_%"
                            + suffix + "'");
            assertEquals(String.join(",", names.stream().sorted().toList()), listed.trim());
        } finally {
            for (String name : names) {
                sql("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    private record Result(int exitCode, String output) {}

    /** The container's command as the kubelet would run it, with secretKeyRefs resolved from {@code secrets} by key. */
    private static Result runScript(Container c, Map<String, String> secrets) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(c.getCommand());
        command.addAll(c.getArgs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        for (EnvVar env : c.getEnv()) {
            String value = env.getValue() != null
                    ? env.getValue()
                    : secrets.get(env.getValueFrom().getSecretKeyRef().getKey());
            builder.environment()
                    .put(env.getName(), env.getName().equals("HOME") ? System.getProperty("java.io.tmpdir") : value);
        }
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the script did not end within 60 s");
        }
        return new Result(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String sql(String statement) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "psql",
                        "-X",
                        "-At",
                        "-h",
                        "127.0.0.1",
                        "-U",
                        "postgres",
                        "-d",
                        "postgres",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-c",
                        statement)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, statement + ": " + out);
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Container container(Job job) {
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size());
        return pod.getContainers().get(0);
    }

    private static SecretKeySelector secretRef(Container c, String name) {
        EnvVar env = c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
        assertNull(env.getValue(), name + " has an inline value");
        return env.getValueFrom().getSecretKeyRef();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name))
                .getValue();
    }
}
