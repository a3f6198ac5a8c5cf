package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** helm lint, the values schema, and the optional features of the chart. */
class ChartValuesTest {

    /** A value that must never reach a manifest, whatever field it is put in. */
    private static final String TEST_SECRET = "TEST-SECRET-4f1c9a-must-never-render";

    @Test
    void helmLintStrictPasses() {
        LintResult result = Chart.helm().lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
        assertTrue(
                result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "helm lint --strict: " + result.getMessages());
    }

    /** helm-java's lint takes no values file: lint a copy of the chart whose values.yaml is merged with the example. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("dev.latch.k8s.ProductionConfigTest#examples")
    void helmLintStrictPassesWithEveryExample(Path example) throws Exception {
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        com.fasterxml.jackson.databind.JsonNode values =
                yaml.readTree(Chart.DIR.resolve("values.yaml").toFile());
        values = yaml.readerForUpdating(values).readValue(example.toFile());
        Path copy = Files.createTempDirectory("latch-lint-").resolve("latch");
        try (var files = Files.walk(Chart.DIR)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(Chart.DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Files.writeString(copy.resolve("values.yaml"), yaml.writeValueAsString(values));
        assertTrue(Files.readString(copy.resolve("values.yaml"))
                .contains(yaml.readTree(example.toFile())
                        .path("ingress")
                        .path("host")
                        .asText()));
        LintResult result = new com.marcnuri.helm.Helm(copy).lint().strict().call();
        assertFalse(result.isFailed(), () -> example + ": helm lint --strict: " + result.getMessages());
        assertTrue(
                result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> example + ": helm lint --strict: " + result.getMessages());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "database.password",
                "redis.password",
                "tokenIntrospection.clientSecret",
                "authService.signingKeys.privateKey",
                "authService.keysEncryptionKey",
                "authService.oauthClients.secretHash",
                "identityProviderService.clientSecret",
                "identityProviderService.secretsEncryptionKey",
                "storageService.urlSigningKey",
                "storageService.s3.secretAccessKey",
                "storageService.s3.accessKeyId",
                "storageService.encryptionKey",
                "authService.bootstrapAdmin.password",
                "initDatabases.password"
            })
    void aSecretValueCannotBeGivenInline(String key) {
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> Chart.template(List.of(), Map.of(key, TEST_SECRET)));
        assertFalse(String.valueOf(e.getMessage()).contains(TEST_SECRET), "the error must not echo the secret");
        assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("schema"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "authService.replica",
                "storageService.image.tags",
                "identityProviderService.existingSecrets",
                "ingress.tls.secret",
                "networkPolicy.enable",
                "migration.atStart",
                "storageService.persistence.enable"
            })
    void aTypoInValuesFailsTheInstall(String key) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Chart.template(List.of(), Map.of(key, "2")));
        assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("schema"), e.getMessage());
    }

    @Test
    void aWrongEnumValueFailsTheInstall() {
        assertThrows(
                RuntimeException.class,
                () -> Chart.template(List.of(), Map.of("authService.signingKeys.algorithm", "HS256")));
        assertThrows(
                RuntimeException.class,
                () -> Chart.template(List.of(), Map.of("storageService.defaultBackend", "FTP")));
    }

    @Test
    void imagesDefaultToTheChartsAppVersion() throws Exception {
        String appVersion = appVersion();
        assertTrue(
                appVersion.matches("[0-9]+\\.[0-9]+\\.[0-9]+"), "appVersion is a released version, not " + appVersion);
        List<Path> scenarios = new java.util.ArrayList<>(Chart.exampleFiles());
        scenarios.add(null);
        for (Path example : scenarios) {
            Chart.Rendered r = example == null ? Chart.render() : Chart.render(example);
            for (String component : Chart.COMPONENTS) {
                assertEquals(
                        "ghcr.io/latch-dev/latch-" + component + ":" + appVersion,
                        r.deployment(component)
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage(),
                        example + ": the image the release workflow pushes");
            }
        }
    }

    static String appVersion() throws java.io.IOException {
        return Files.readAllLines(Chart.DIR.resolve("Chart.yaml")).stream()
                .filter(l -> l.startsWith("appVersion:"))
                .map(l -> l.substring("appVersion:".length()).trim().replace("\"", ""))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void swaggerUiIsOnByDefaultAndCanBeTurnedOff() {
        for (String component : Chart.COMPONENTS) {
            assertEquals(
                    "true",
                    Chart.render()
                            .one(ConfigMap.class, "latch-" + component)
                            .getData()
                            .get("QUARKUS_SWAGGER_UI_ENABLED"));
            assertEquals(
                    "false",
                    Chart.render(List.of(), Map.of("swaggerUi.enabled", "false"))
                            .one(ConfigMap.class, "latch-" + component)
                            .getData()
                            .get("QUARKUS_SWAGGER_UI_ENABLED"));
        }
    }

    /** Storage settings from the environment are pinned by storage-service: render none the user did not set. */
    @Test
    void storageSettingsAreRenderedOnlyWhenSet() {
        List<String> pins = List.of(
                "LATCH_STORAGE_DEFAULT_BACKEND",
                "LATCH_STORAGE_DELIVERY",
                "LATCH_STORAGE_MAX_UPLOAD_BYTES",
                "LATCH_STORAGE_S3_ENDPOINT",
                "LATCH_STORAGE_S3_REGION",
                "LATCH_STORAGE_S3_BUCKET",
                "LATCH_STORAGE_S3_PATH_STYLE");
        Chart.Rendered defaults = Chart.render();
        Map<String, String> config =
                defaults.one(ConfigMap.class, "latch-storage-service").getData();
        Container storage = defaults.deployment("storage-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        for (String pin : pins) {
            assertFalse(config.containsKey(pin), pin + " is rendered without being set");
            assertTrue(
                    storage.getEnv() == null
                            || storage.getEnv().stream()
                                    .noneMatch(e -> e.getName().equals(pin)),
                    pin);
        }
        Map<String, List<String>> cases = Map.of(
                "storageService.defaultBackend", List.of("DATABASE", "LATCH_STORAGE_DEFAULT_BACKEND"),
                "storageService.delivery", List.of("PROXY", "LATCH_STORAGE_DELIVERY"),
                "storageService.maxUploadBytes", List.of("104857600", "LATCH_STORAGE_MAX_UPLOAD_BYTES"),
                "storageService.s3.endpoint", List.of("https://s3.test.example", "LATCH_STORAGE_S3_ENDPOINT"),
                "storageService.s3.region", List.of("eu-test-1", "LATCH_STORAGE_S3_REGION"),
                "storageService.s3.bucket", List.of("b", "LATCH_STORAGE_S3_BUCKET"),
                "storageService.s3.pathStyle", List.of("false", "LATCH_STORAGE_S3_PATH_STYLE"));
        cases.forEach((key, valueAndVariable) -> {
            Map<String, String> one = Chart.render(List.of(), Map.of(key, valueAndVariable.get(0)))
                    .one(ConfigMap.class, "latch-storage-service")
                    .getData();
            assertEquals(
                    List.of(valueAndVariable.get(1)),
                    pins.stream().filter(one::containsKey).toList(),
                    key + " renders its variable only");
            assertEquals(valueAndVariable.get(0), one.get(valueAndVariable.get(1)), key);
        });
    }

    @Test
    void theStorageEncryptionKeyIsAnOptionalKeyOfTheStorageSecret() {
        Container storage = Chart.render(Chart.EXAMPLES.resolve("values-production.yaml"))
                .deployment("storage-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        io.fabric8.kubernetes.api.model.SecretKeySelector ref = secretRef(storage, "LATCH_STORAGE_ENCRYPTION_KEY");
        assertEquals("latch-storage", ref.getName());
        assertEquals("encryption-key", ref.getKey());
        assertEquals(Boolean.TRUE, ref.getOptional(), "an S3 secret from the environment needs no encryption key");
        assertEquals(
                Boolean.TRUE.equals(
                        secretRef(storage, "LATCH_STORAGE_URL_SIGNING_KEY").getOptional()),
                false);
    }

    @Test
    void theFirstAdminComesFromTheBootstrapSecretByReference() {
        Container auth = Chart.render(Chart.testValues("all-features.yaml"))
                .deployment("auth-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertEquals(
                "test-bootstrap-admin",
                secretRef(auth, "LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME").getName());
        assertEquals(
                "user", secretRef(auth, "LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME").getKey());
        assertEquals(
                "test-bootstrap-admin",
                secretRef(auth, "LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD").getName());
        assertEquals(
                "pass", secretRef(auth, "LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD").getKey());
        Container byDefault = Chart.render()
                .deployment("auth-service")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertTrue(byDefault.getEnv() == null
                || byDefault.getEnv().stream().noneMatch(e -> e.getName().startsWith("LATCH_AUTH_BOOTSTRAP")));
    }

    @Test
    void notesSayHowToGetTheFirstAdmin() {
        String withSecret = Chart.notes(List.of(Chart.EXAMPLES.resolve("values-production.yaml")), Map.of());
        assertTrue(withSecret.contains("from the Secret latch-bootstrap-admin"), withSecret);
        assertTrue(withSecret.contains("https://auth.example.com/v1/auth/signin"), withSecret);
        assertFalse(withSecret.contains("nobody can become ADMIN"), withSecret);

        String signupOn = Chart.notes(List.of(), Map.of());
        assertTrue(signupOn.contains("the first local sign-up becomes ADMIN"), signupOn);
        assertFalse(signupOn.contains("nobody can become ADMIN"), signupOn);

        String locked = Chart.notes(List.of(), Map.of("authService.signup.enabled", "false"));
        assertTrue(locked.contains("WARNING: sign-up is off") && locked.contains("nobody can become ADMIN"), locked);
        assertTrue(locked.contains("--set authService.bootstrapAdmin.existingSecret="), locked);
    }

    @Test
    void autoscalingBoundsAreChecked() {
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> Chart.template(
                        List.of(),
                        Map.of(
                                "authService.autoscaling.enabled", "true",
                                "authService.autoscaling.minReplicas", "5",
                                "authService.autoscaling.maxReplicas", "2")));
        assertTrue(e.getMessage().contains("minReplicas"), e.getMessage());
    }

    @Test
    void aPublicUrlIsRequired() {
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> Chart.template(List.of(), Map.of("ingress.host", "")));
        assertTrue(e.getMessage().contains("publicBaseUrl"), e.getMessage());
    }

    @Test
    void defaultsAreOneReplicaWithoutAutoscalingOrMonitoring() {
        Chart.Rendered r = Chart.render();
        for (String component : Chart.COMPONENTS) {
            assertEquals(1, r.deployment(component).getSpec().getReplicas());
        }
        assertTrue(r.all(HorizontalPodAutoscaler.class).isEmpty());
        assertTrue(r.all(PodDisruptionBudget.class).isEmpty());
        assertTrue(r.all(ServiceMonitor.class).isEmpty());
        assertTrue(r.all(PersistentVolumeClaim.class).isEmpty());
        Ingress ingress = r.all(Ingress.class).get(0);
        assertTrue(
                ingress.getSpec().getTls() == null || ingress.getSpec().getTls().isEmpty());
        assertEquals(
                "http://latch.local",
                r.one(ConfigMap.class, "latch-auth-service").getData().get("LATCH_PUBLIC_BASE_URL"));
        assertEquals(
                "true", r.one(ConfigMap.class, "latch-auth-service").getData().get("LATCH_FLYWAY_MIGRATE_AT_START"));
    }

    @Test
    void everyOptionalFeatureRendersValidObjects() {
        Chart.Rendered r = Chart.render(Chart.testValues("all-features.yaml"));

        Deployment auth = r.deployment("auth-service");
        assertEquals(null, auth.getSpec().getReplicas(), "the HPA owns the replica count");
        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, "latch-auth-service");
        assertEquals(2, hpa.getSpec().getMinReplicas());
        assertEquals(4, hpa.getSpec().getMaxReplicas());
        assertEquals("latch-auth-service", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(
                60, hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization());
        assertEquals(
                "50%",
                r.one(PodDisruptionBudget.class, "latch-auth-service")
                        .getSpec()
                        .getMinAvailable()
                        .getStrVal());
        assertEquals(
                1,
                r.one(PodDisruptionBudget.class, "latch-identity-provider-service")
                        .getSpec()
                        .getMinAvailable()
                        .getIntVal());
        assertEquals("custom-auth-sa", auth.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals(
                "default",
                r.deployment("identity-provider-service")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName());
        assertEquals(
                "registry.test.example/auth:1.2.3",
                auth.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        Map<String, String> authConfig =
                r.one(ConfigMap.class, "latch-auth-service").getData();
        assertEquals("https://id.test.example", authConfig.get("LATCH_PUBLIC_BASE_URL"));
        assertEquals("https://issuer.test.example", authConfig.get("LATCH_AUTH_TOKEN_ISSUER"));
        assertEquals("key-2", authConfig.get("LATCH_AUTH_KEYS_ACTIVE"));
        assertEquals("ES256", authConfig.get("LATCH_AUTH_KEYS_ALGORITHM"));
        assertEquals("false", authConfig.get("LATCH_AUTH_SIGNUP_ENABLED"));
        assertEquals("false", authConfig.get("LATCH_FLYWAY_MIGRATE_AT_START"));
        assertEquals(
                "jdbc:postgresql://db.test.example:5432/latch_auth?sslmode=verify-full",
                authConfig.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertFalse(authConfig.containsKey("QUARKUS_REDIS_HOSTS"), "Redis URL comes from the Secret");
        Container authContainer =
                auth.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(
                "test-auth-db",
                secretRef(authContainer, "QUARKUS_DATASOURCE_PASSWORD").getName());
        assertEquals(
                "pass", secretRef(authContainer, "QUARKUS_DATASOURCE_PASSWORD").getKey());
        assertEquals(
                "test-redis", secretRef(authContainer, "QUARKUS_REDIS_HOSTS").getName());
        assertEquals(
                "plain-value",
                authContainer.getEnv().stream()
                        .filter(e -> e.getName().equals("LATCH_EXTRA_PLAIN"))
                        .findFirst()
                        .orElseThrow()
                        .getValue());
        assertTrue(
                authContainer.getEnv().stream().noneMatch(e -> e.getName().equals("LATCH_AUTH_KEYS_ENCRYPTION_KEY")),
                "mounted keys need no encryption key");

        Map<String, String> idpConfig =
                r.one(ConfigMap.class, "latch-identity-provider-service").getData();
        assertEquals("jdbc:postgresql://other-db.test.example:5433/idp", idpConfig.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("http://latch-auth-service:8081", idpConfig.get("LATCH_AUTH_SERVICE_URL"));
        assertEquals("https://issuer.test.example", idpConfig.get("LATCH_JWT_ISSUER"));
        assertEquals("test-introspect", idpConfig.get("LATCH_JWT_INTROSPECTION_CLIENT_ID"));

        Map<String, String> storageConfig =
                r.one(ConfigMap.class, "latch-storage-service").getData();
        assertEquals("S3", storageConfig.get("LATCH_STORAGE_DEFAULT_BACKEND"));
        assertEquals("https://s3.test.example", storageConfig.get("LATCH_STORAGE_S3_ENDPOINT"));
        assertEquals("true", storageConfig.get("LATCH_STORAGE_S3_PATH_STYLE"));
        Deployment storage = r.deployment("storage-service");
        assertEquals(
                "Recreate", storage.getSpec().getStrategy().getType(), "a ReadWriteOnce volume cannot attach twice");
        PodSpec storagePod = storage.getSpec().getTemplate().getSpec();
        PersistentVolumeClaim pvc = r.one(PersistentVolumeClaim.class, "latch-storage-service-data");
        assertEquals("fast", pvc.getSpec().getStorageClassName());
        assertEquals(
                "latch-storage-service-data",
                ChartManifestsTest.volume(storagePod, "data")
                        .getPersistentVolumeClaim()
                        .getClaimName());

        Ingress ingress = r.all(Ingress.class).get(0);
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
        assertEquals("latch-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals(
                List.of("id.test.example"), ingress.getSpec().getTls().get(0).getHosts());

        ServiceMonitor monitor = r.all(ServiceMonitor.class).get(0);
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
        assertEquals("http", monitor.getSpec().getEndpoints().get(0).getPort());
        assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));

        NetworkPolicy authPolicy = r.one(NetworkPolicy.class, "latch-auth-service");
        assertTrue(authPolicy.getSpec().getIngress().stream()
                .flatMap(rule -> rule.getFrom().stream())
                .anyMatch(peer -> peer.getNamespaceSelector() != null
                        && "my-apps"
                                .equals(peer.getNamespaceSelector()
                                        .getMatchLabels()
                                        .get("kubernetes.io/metadata.name"))));
    }

    @Test
    void helmTestPodChecksReadinessAndJwks() {
        Chart.Rendered r = Chart.render();
        Pod test = r.all(Pod.class).get(0);
        assertEquals("test", test.getMetadata().getAnnotations().get(Chart.HOOK_ANNOTATION), "a helm test hook");
        assertEquals("Never", test.getSpec().getRestartPolicy());
        Container curl = test.getSpec().getContainers().get(0);
        assertTrue(curl.getImage().startsWith("curlimages/curl:"));
        assertEquals(
                List.of(
                        "http://latch-auth-service:8081/q/health/ready",
                        "http://latch-identity-provider-service:8082/q/health/ready",
                        "http://latch-storage-service:8083/q/health/ready",
                        "http://latch-auth-service:8081/.well-known/jwks.json"),
                curl.getArgs());

        Chart.Rendered custom = Chart.render(
                List.of(), Map.of("tests.image.repository", "registry.test.example/curl", "tests.image.tag", "1.0"));
        assertEquals(
                "registry.test.example/curl:1.0",
                custom.all(Pod.class).get(0).getSpec().getContainers().get(0).getImage());
        assertTrue(Chart.render(List.of(), Map.of("tests.enabled", "false"))
                .all(Pod.class)
                .isEmpty());
    }

    @Test
    void networkPoliciesCanBeTurnedOff() {
        assertTrue(Chart.render(List.of(), Map.of("networkPolicy.enabled", "false"))
                .all(NetworkPolicy.class)
                .isEmpty());
    }

    @Test
    void storageDataVolumeIsAnEmptyDirByDefault() {
        PodSpec pod = Chart.render()
                .deployment("storage-service")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertNotNull(ChartManifestsTest.volume(pod, "data").getEmptyDir());
        assertEquals(
                null, Chart.render().deployment("storage-service").getSpec().getStrategy());
    }

    @Test
    void existingClaimIsUsedAsIs() {
        Chart.Rendered r = Chart.render(
                List.of(),
                Map.of(
                        "storageService.persistence.enabled",
                        "true",
                        "storageService.persistence.existingClaim",
                        "my-claim"));
        assertTrue(r.all(PersistentVolumeClaim.class).isEmpty());
        PodSpec pod = r.deployment("storage-service").getSpec().getTemplate().getSpec();
        assertEquals(
                "my-claim",
                ChartManifestsTest.volume(pod, "data")
                        .getPersistentVolumeClaim()
                        .getClaimName());
    }

    private static io.fabric8.kubernetes.api.model.SecretKeySelector secretRef(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name))
                .getValueFrom()
                .getSecretKeyRef();
    }
}
