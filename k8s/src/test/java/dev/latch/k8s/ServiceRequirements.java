package dev.latch.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What each service needs from its environment in production, read off the services themselves: their
 * {@code application.properties} and their production-readiness checks ({@code config/ProductionChecks.java},
 * {@code common/.../readiness/*}). {@link #REQUIREMENTS} says how production provides each need;
 * {@link #mentioned(String)} lists every variable those sources name, so a service that starts needing a new
 * variable fails the chart checks until it is classified here (and provided by the chart).
 */
final class ServiceRequirements {

    static final Path REPO = ReleaseWorkflowTest.REPO;

    /** A need, satisfied when any of the variables is provided; {@code when} limits it to a configuration. */
    record Requirement(String component, List<String> anyOf, String source, Condition when) {

        boolean applies(Map<String, String> values) {
            return when == null || when.holds(values);
        }

        @Override
        public String toString() {
            return component + " needs " + String.join(" or ", anyOf) + " (" + source + ")";
        }
    }

    /** A condition on known values of the environment (ConfigMap or literal values). */
    record Condition(String variable, String value) {
        boolean holds(Map<String, String> values) {
            return value.equalsIgnoreCase(values.getOrDefault(variable, ""));
        }
    }

    private static final String AUTH = "auth-service";
    private static final String IDP = "identity-provider-service";
    private static final String STORAGE = "storage-service";

    private static final String DEV_AND_TEST = "set in %dev and %test, no production value in application.properties";

    static final List<Requirement> REQUIREMENTS = List.of(
            need(AUTH, "QUARKUS_DATASOURCE_JDBC_URL", DEV_AND_TEST),
            need(AUTH, "QUARKUS_DATASOURCE_USERNAME", DEV_AND_TEST),
            need(
                    AUTH,
                    "QUARKUS_DATASOURCE_PASSWORD",
                    "a production database has a password (dev and test trust the local user)"),
            need(AUTH, "QUARKUS_REDIS_HOSTS", DEV_AND_TEST),
            need(
                    AUTH,
                    "LATCH_PUBLIC_BASE_URL",
                    "latch.public-base-url is http://localhost:8081 in production; check insecure-public-url"),
            new Requirement(
                    AUTH,
                    List.of("LATCH_AUTH_KEYS_DIRECTORY", "LATCH_AUTH_KEYS_ENCRYPTION_KEY"),
                    "ProductionChecks signing-keys (SEVERE); latch.auth.keys.encryption-key set in %dev and %test",
                    null),
            need(
                    AUTH,
                    "QUARKUS_CONFIG_LOCATIONS",
                    "latch.auth.clients.* set in %dev and %test: production clients (latch-idp, the "
                            + "introspection client) come from the mounted oauth-clients.properties"),
            new Requirement(
                    AUTH,
                    List.of("LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME"),
                    "AuthConfig.bootstrapAdmin: with sign-up off, " + "the only way to an ADMIN",
                    new Condition("LATCH_AUTH_SIGNUP_ENABLED", "false")),
            new Requirement(
                    AUTH,
                    List.of("LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD"),
                    "AuthConfig.bootstrapAdmin",
                    new Condition("LATCH_AUTH_SIGNUP_ENABLED", "false")),
            need(IDP, "QUARKUS_DATASOURCE_JDBC_URL", DEV_AND_TEST),
            need(IDP, "QUARKUS_DATASOURCE_USERNAME", DEV_AND_TEST),
            need(IDP, "QUARKUS_DATASOURCE_PASSWORD", "a production database has a password"),
            need(IDP, "QUARKUS_REDIS_HOSTS", DEV_AND_TEST),
            need(
                    IDP,
                    "LATCH_PUBLIC_BASE_URL",
                    "latch.public-base-url is http://localhost:8082 in production (provider callbacks)"),
            need(IDP, "LATCH_AUTH_SERVICE_URL", "latch.auth-service-url is http://localhost:8081 in production"),
            need(IDP, "LATCH_JWT_ISSUER", "${LATCH_JWT_ISSUER:http://localhost:8081}"),
            need(
                    IDP,
                    "LATCH_IDP_CLIENT_SECRET",
                    "${LATCH_IDP_CLIENT_SECRET:}; ProductionChecks client-secret (SEVERE)"),
            need(IDP, "LATCH_IDP_SECRETS_ENCRYPTION_KEY", "ProductionChecks provider-secrets-key (SEVERE)"),
            need(
                    IDP,
                    "LATCH_JWT_INTROSPECTION_CLIENT_ID",
                    "${LATCH_JWT_INTROSPECTION_CLIENT_ID:}; IntrospectionClientCheck (SEVERE)"),
            need(
                    IDP,
                    "LATCH_JWT_INTROSPECTION_CLIENT_SECRET",
                    "${LATCH_JWT_INTROSPECTION_CLIENT_SECRET:}; IntrospectionClientCheck (SEVERE)"),
            need(STORAGE, "QUARKUS_DATASOURCE_JDBC_URL", DEV_AND_TEST),
            need(STORAGE, "QUARKUS_DATASOURCE_USERNAME", DEV_AND_TEST),
            need(STORAGE, "QUARKUS_DATASOURCE_PASSWORD", "a production database has a password"),
            need(
                    STORAGE,
                    "LATCH_PUBLIC_BASE_URL",
                    "latch.public-base-url is http://localhost:8083 in production (signed URLs)"),
            need(STORAGE, "LATCH_AUTH_SERVICE_URL", "latch.auth-service-url is http://localhost:8081 in production"),
            need(STORAGE, "LATCH_JWT_ISSUER", "${LATCH_JWT_ISSUER:http://localhost:8081}"),
            need(
                    STORAGE,
                    "LATCH_JWT_INTROSPECTION_CLIENT_ID",
                    "${LATCH_JWT_INTROSPECTION_CLIENT_ID:}; IntrospectionClientCheck (SEVERE)"),
            need(
                    STORAGE,
                    "LATCH_JWT_INTROSPECTION_CLIENT_SECRET",
                    "${LATCH_JWT_INTROSPECTION_CLIENT_SECRET:}; IntrospectionClientCheck"),
            need(
                    STORAGE,
                    "LATCH_STORAGE_URL_SIGNING_KEY",
                    "ProductionChecks url-signing-key (SEVERE); set in %dev and %test"),
            need(
                    STORAGE,
                    "LATCH_STORAGE_DATA_DIR",
                    "latch.storage.data-dir=${LATCH_STORAGE_DATA_DIR:data}: a relative directory on a "
                            + "read-only root filesystem"),
            new Requirement(
                    STORAGE,
                    List.of("LATCH_STORAGE_S3_BUCKET"),
                    "StorageConfig.s3.bucket: the S3 backend needs a bucket",
                    new Condition("LATCH_STORAGE_DEFAULT_BACKEND", "S3")),
            new Requirement(
                    STORAGE,
                    List.of("LATCH_STORAGE_S3_ACCESS_KEY_ID"),
                    "StorageConfig.s3: credentials of the S3 backend",
                    new Condition("LATCH_STORAGE_DEFAULT_BACKEND", "S3")),
            new Requirement(
                    STORAGE,
                    List.of("LATCH_STORAGE_S3_SECRET_ACCESS_KEY"),
                    "StorageConfig.s3: credentials of the S3 backend",
                    new Condition("LATCH_STORAGE_DEFAULT_BACKEND", "S3")));

    /**
     * Variables the sources name that production deliberately does not set, with the reason. A name ending in
     * {@code _} stands for every variable with that prefix.
     */
    static final Map<String, String> NOT_REQUIRED = Map.ofEntries(
            Map.entry(
                    "LATCH_PRODUCTION_READINESS_ENABLED",
                    "must stay true in production (checked: never false in an example)"),
            Map.entry("LATCH_PRODUCTION_READINESS_IGNORE_SEVERE", "an explicit override; never in an example"),
            Map.entry(
                    "LATCH_IDP_ALLOW_PRIVATE_PROVIDER_HOSTS",
                    "SEVERE when true (check private-provider-hosts); never in an example"),
            Map.entry(
                    "LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS",
                    "SEVERE when true (check insecure-provider-urls); never in an example"),
            Map.entry(
                    "LATCH_AUTH_CLIENTS_",
                    "OAuth2 clients come from the mounted oauth-clients.properties (QUARKUS_CONFIG_LOCATIONS)"),
            Map.entry(
                    "LATCH_STORAGE_ENCRYPTION_KEY",
                    "only to store an S3 secret through the settings API: optional key of storageService.existingSecret"),
            Map.entry("LATCH_TRUSTED_PROXIES", "has a default (the private ranges)"),
            Map.entry(
                    "LATCH_CORS_ORIGINS",
                    "optional: further page origins allowed to call with cookies; empty allows none"),
            Map.entry("LATCH_FLYWAY_MIGRATE_AT_START", "has a default (true)"));

    private ServiceRequirements() {}

    private static Requirement need(String component, String variable, String source) {
        return new Requirement(component, List.of(variable), source, null);
    }

    static List<Requirement> of(String component) {
        return REQUIREMENTS.stream()
                .filter(r -> r.component().equals(component))
                .toList();
    }

    /** Whether the variable is classified: required (possibly one of several) or deliberately not required. */
    static boolean classified(String component, String variable) {
        return of(component).stream().anyMatch(r -> r.anyOf().contains(variable))
                || NOT_REQUIRED.keySet().stream()
                        .anyMatch(k -> k.endsWith("_") ? variable.startsWith(k) : variable.equals(k));
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern ENV_NAME = Pattern.compile("\"[^\"]*?((?:LATCH|QUARKUS)_[A-Z0-9_]+)");
    private static final Pattern QUOTED_ENV_NAME = Pattern.compile("(?:LATCH|QUARKUS)_[A-Z0-9_]+");
    private static final Pattern PROFILES = Pattern.compile("^%([a-z,]+)\\.");

    /**
     * Every variable a service's own sources say it may need in production, with where it was found:
     * {@code ${VAR:}} without a default; keys set in both %dev and %test without a production value;
     * production values that point at localhost; variables named in the production-readiness checks.
     */
    static Map<String, String> mentioned(String component) {
        Map<String, String> found = new LinkedHashMap<>();
        Path properties = REPO.resolve(component).resolve("src/main/resources/application.properties");
        Map<String, String> prod = new LinkedHashMap<>();
        Set<String> dev = new TreeSet<>();
        Set<String> test = new TreeSet<>();
        for (String line : lines(properties)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
                continue;
            }
            String key = l.substring(0, l.indexOf('=')).strip();
            String value = l.substring(l.indexOf('=') + 1).strip();
            Matcher profiles = PROFILES.matcher(key);
            if (profiles.find()) {
                // %dev.key, %test.key or %dev,test.key
                Set<String> named = Set.of(profiles.group(1).split(","));
                String bare = key.substring(profiles.end());
                if (named.contains("dev")) {
                    dev.add(bare);
                }
                if (named.contains("test")) {
                    test.add(bare);
                }
            } else {
                prod.put(key, value);
                Matcher m = REFERENCE.matcher(value);
                while (m.find()) {
                    if (m.group(2) == null || m.group(2).isEmpty()) {
                        found.putIfAbsent(m.group(1), "application.properties: " + key + "=" + value);
                    } else if (m.group(2).contains("://localhost")) {
                        found.putIfAbsent(m.group(1), "application.properties: " + key + " defaults to localhost");
                    }
                }
                if (value.contains("://localhost") && !REFERENCE.matcher(value).find()) {
                    found.putIfAbsent(envName(key), "application.properties: " + key + "=" + value);
                }
            }
        }
        for (String key : dev) {
            if (test.contains(key)) {
                String value = prod.get(key);
                if (value == null || value.isEmpty()) {
                    found.putIfAbsent(envName(key), "application.properties: " + key + " set in %dev and %test only");
                } else {
                    Matcher m = REFERENCE.matcher(value);
                    if (m.matches() && (m.group(2) == null || m.group(2).isEmpty())) {
                        found.putIfAbsent(
                                m.group(1),
                                "application.properties: " + key + " set in %dev and %test, " + value
                                        + " in production");
                    }
                }
            }
        }
        List<Path> checks =
                new ArrayList<>(javaFiles(REPO.resolve(component).resolve("src/main/java"), "ProductionChecks.java"));
        if (prod.containsKey("latch.jwt.introspection.url")) {
            checks.addAll(javaFiles(REPO.resolve("common/src/main/java/dev/latch/common/readiness"), ".java"));
        }
        for (Path check : checks) {
            for (String line : lines(check)) {
                Matcher quoted = ENV_NAME.matcher(line);
                while (quoted.find()) {
                    Matcher each = QUOTED_ENV_NAME.matcher(line.substring(quoted.start()));
                    while (each.find()) {
                        found.putIfAbsent(each.group(), REPO.relativize(check) + ": " + line.strip());
                    }
                }
            }
        }
        return found;
    }

    /** Whether the service's application.properties or production checks name the variable, or a key it maps to. */
    static boolean namedInSources(String component, String variable) {
        if (mentioned(component).containsKey(variable)) {
            return true;
        }
        for (String line : lines(REPO.resolve(component).resolve("src/main/resources/application.properties"))) {
            String key = line.contains("=")
                    ? line.substring(0, line.indexOf('=')).strip().replaceFirst("^%[a-z,]+\\.", "")
                    : "";
            if (line.contains(variable)
                    || (!line.strip().startsWith("#") && envName(key).equals(variable))) {
                return true;
            }
        }
        return false;
    }

    /** Quarkus' environment name of a property: upper case, every other character an underscore. */
    static String envName(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
