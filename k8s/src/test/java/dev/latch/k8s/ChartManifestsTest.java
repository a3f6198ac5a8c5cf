package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the chart over the default values, every file in k8s/examples and an all-features test file,
 * parses every manifest strictly into the Kubernetes API types (see {@link Chart}) and checks the
 * properties the chart promises.
 */
class ChartManifestsTest {

    /** Env names that carry credentials: they must come from a Secret by reference. */
    private static final Pattern SECRET_ENV = Pattern.compile(".*(PASSWORD|SECRET|USERNAME|_KEY|_KEY_ID)$");

    /** Values used by compose, dev profiles and tests: a chart rendering must never contain them. */
    private static final List<String> KNOWN_SECRETS =
            List.of("latch-dev-secret", "latch-idp-secret", "minioadmin", "latch-minio-secret");

    /** The public routes of the contract (ARCHITECTURE.md) and the component each belongs to. */
    private static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("/v1/auth/oauth", "identity-provider-service"),
            Map.entry("/v1/identity-providers", "identity-provider-service"),
            Map.entry("/v1/auth", "auth-service"),
            Map.entry("/v1/users", "auth-service"),
            Map.entry("/v1/audit-events", "auth-service"),
            Map.entry("/v1/oauth-clients", "auth-service"),
            Map.entry("/oauth2", "auth-service"),
            Map.entry("/.well-known", "auth-service"),
            // the OpenID Provider's login page and the device grant's verification page
            Map.entry("/login", "auth-service"),
            Map.entry("/device", "auth-service"),
            Map.entry("/api/v1/attachments", "storage-service"),
            Map.entry("/api/v1/storage", "storage-service"),
            Map.entry("/file", "storage-service"),
            // the broker's landing page: exactly "/" and "/favicon.ico", its assets under /landing
            Map.entry("/", "identity-provider-service"),
            Map.entry("/favicon.ico", "identity-provider-service"),
            Map.entry("/landing", "identity-provider-service"));

    /** The only routes that are not prefixes: a Prefix "/" would route /q and /internal too. */
    private static final Set<String> EXACT = Set.of("/", "/favicon.ico", "/login", "/device");

    static Stream<Arguments> scenarios() {
        List<Arguments> scenarios = new ArrayList<>();
        scenarios.add(Arguments.of(Named.of("default values", List.<Path>of())));
        for (Path example : Chart.exampleFiles()) {
            scenarios.add(Arguments.of(Named.of("examples/" + example.getFileName(), List.of(example))));
        }
        scenarios.add(Arguments.of(Named.of("all features (test)", List.of(Chart.testValues("all-features.yaml")))));
        return scenarios.stream();
    }

    static Stream<Arguments> examples() {
        return Chart.exampleFiles().stream().map(p -> Arguments.of(Named.of("examples/" + p.getFileName(), p)));
    }

    private static Chart.Rendered render(List<Path> values) {
        return Chart.render(values, Map.of());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void rendersEveryComponentAsValidKubernetesObjects(List<Path> values) {
        Chart.Rendered r = render(values);
        for (String component : Chart.COMPONENTS) {
            String name = Chart.RELEASE + "-" + component;
            assertNotNull(r.deployment(component));
            assertNotNull(r.one(Service.class, name));
            assertNotNull(r.one(ConfigMap.class, name));
            assertEquals(
                    Chart.PORTS.get(component),
                    r.one(Service.class, name).getSpec().getPorts().get(0).getPort(),
                    name);
        }
        assertEquals(1, r.all(Ingress.class).size(), "one Ingress");
        assertEquals(3, r.all(NetworkPolicy.class).size(), "a NetworkPolicy per service");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everyObjectCarriesTheStandardLabels(List<Path> values) {
        for (HasMetadata o : render(values).objects()) {
            Map<String, String> labels = o.getMetadata().getLabels();
            String what = o.getKind() + " " + o.getMetadata().getName();
            assertNotNull(labels, what);
            for (String key : List.of(
                    "app.kubernetes.io/name",
                    "app.kubernetes.io/instance",
                    "app.kubernetes.io/component",
                    "app.kubernetes.io/version",
                    "app.kubernetes.io/managed-by")) {
                assertTrue(labels.containsKey(key), what + " lacks label " + key);
            }
            assertEquals("latch", labels.get("app.kubernetes.io/part-of"), what);
            assertEquals(Chart.RELEASE, labels.get("app.kubernetes.io/instance"), what);
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everyContainerRunsHardened(List<Path> values) {
        Chart.Rendered r = render(values);
        List<PodSpec> pods = new ArrayList<>();
        r.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        r.all(Pod.class).forEach(p -> pods.add(p.getSpec()));
        r.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        assertEquals(
                4 + r.all(Job.class).size(),
                pods.size(),
                "three services, the helm test pod and the database job when enabled");
        for (PodSpec pod : pods) {
            PodSecurityContext podContext = pod.getSecurityContext();
            assertNotNull(podContext, "pod securityContext");
            assertEquals(Boolean.TRUE, podContext.getRunAsNonRoot());
            assertEquals(185L, podContext.getRunAsUser());
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "no Kubernetes API token in the pods");
            List<Container> containers = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                containers.addAll(pod.getInitContainers());
            }
            for (Container c : containers) {
                SecurityContext sc = c.getSecurityContext();
                assertNotNull(sc, c.getName() + " securityContext");
                assertEquals(Boolean.TRUE, sc.getRunAsNonRoot(), c.getName() + " runAsNonRoot");
                assertEquals(185L, sc.getRunAsUser(), c.getName() + " runAsUser");
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), c.getName() + " readOnlyRootFilesystem");
                assertEquals(
                        Boolean.FALSE, sc.getAllowPrivilegeEscalation(), c.getName() + " allowPrivilegeEscalation");
                assertNotEquals(Boolean.TRUE, sc.getPrivileged(), c.getName() + " privileged");
                assertNotNull(sc.getCapabilities(), c.getName() + " capabilities");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName() + " drops ALL");
                assertTrue(
                        sc.getCapabilities().getAdd() == null
                                || sc.getCapabilities().getAdd().isEmpty(),
                        c.getName() + " adds none");
                String seccomp = Optional.ofNullable(sc.getSeccompProfile())
                        .or(() -> Optional.ofNullable(podContext.getSeccompProfile()))
                        .map(p -> p.getType())
                        .orElse(null);
                assertEquals("RuntimeDefault", seccomp, c.getName() + " seccompProfile");
                VolumeMount tmp = c.getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals("/tmp"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(c.getName() + " has no writable /tmp"));
                Volume tmpVolume = volume(pod, tmp.getName());
                assertNotNull(tmpVolume.getEmptyDir(), "/tmp is an emptyDir");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void probesHitTheHealthEndpointsOnTheServicePort(List<Path> values) {
        Chart.Rendered r = render(values);
        for (String component : Chart.COMPONENTS) {
            Container c = r.deployment(component)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            int port = Chart.PORTS.get(component);
            assertEquals(
                    List.of(port),
                    c.getPorts().stream().map(ContainerPort::getContainerPort).toList(),
                    component);
            assertProbe(c, c.getLivenessProbe(), "/q/health/live", port);
            assertProbe(c, c.getReadinessProbe(), "/q/health/ready", port);
            assertProbe(c, c.getStartupProbe(), "/q/health/started", port);

            Service service = r.one(Service.class, Chart.RELEASE + "-" + component);
            IntOrString target = service.getSpec().getPorts().get(0).getTargetPort();
            assertEquals(port, resolvePort(c, target), component + " Service targets the container port");
        }
    }

    private static void assertProbe(Container c, Probe probe, String path, int port) {
        assertNotNull(probe, c.getName() + " probe " + path);
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, c.getName() + " probe " + path + " is an HTTP GET");
        assertEquals(path, get.getPath(), c.getName());
        assertEquals(port, resolvePort(c, get.getPort()), c.getName() + " probe " + path + " port");
    }

    private static int resolvePort(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void secretsAreOnlyReferenced(List<Path> values) {
        Chart.Rendered r = render(values);
        assertFalse(
                Pattern.compile("(?m)^kind:\\s*Secret\\s*$").matcher(r.text()).find(), "no Secret is rendered");
        for (String secret : KNOWN_SECRETS) {
            assertFalse(r.text().contains(secret), "rendered output contains " + secret);
        }
        for (Deployment d : r.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
                    if (SECRET_ENV.matcher(env.getName()).matches()) {
                        assertNull(env.getValue(), env.getName() + " must not have an inline value");
                        assertNotNull(env.getValueFrom(), env.getName() + " must come from a Secret");
                        assertNotNull(env.getValueFrom().getSecretKeyRef(), env.getName() + " must use secretKeyRef");
                    }
                }
            }
        }
        for (ConfigMap cm : r.all(ConfigMap.class)) {
            cm.getData().forEach((key, value) -> {
                assertFalse(
                        SECRET_ENV.matcher(key).matches(),
                        cm.getMetadata().getName() + " holds " + key + ": it belongs in a Secret");
                assertFalse(
                        value.matches("(?i).*(://[^/]*@|password=).*"),
                        cm.getMetadata().getName() + " " + key + " carries credentials");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void configChangesRollThePods(List<Path> values) {
        Chart.Rendered r = render(values);
        Chart.Rendered changed = Chart.render(
                values,
                Map.of(
                        "migrations.atStart",
                        "false"
                                        .equals(r.one(ConfigMap.class, "latch-auth-service")
                                                .getData()
                                                .get("LATCH_FLYWAY_MIGRATE_AT_START"))
                                ? "true"
                                : "false"));
        for (String component : Chart.COMPONENTS) {
            String before = r.deployment(component)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getAnnotations()
                    .get("checksum/config");
            String after = changed.deployment(component)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getAnnotations()
                    .get("checksum/config");
            assertTrue(before != null && before.matches("[0-9a-f]{64}"), component + " checksum/config");
            assertNotEquals(before, after, component + " checksum/config follows its ConfigMap");
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void ingressRoutesByLongestPrefixAndNeverExposesInternal(List<Path> values) {
        Ingress ingress = render(values).all(Ingress.class).get(0);
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().stream()
                .flatMap(rule -> rule.getHttp().getPaths().stream())
                .toList();
        Map<String, String> routed = new LinkedHashMap<>();
        for (HTTPIngressPath p : paths) {
            assertEquals(EXACT.contains(p.getPath()) ? "Exact" : "Prefix", p.getPathType(), p.getPath());
            assertFalse(p.getPath().startsWith("/internal"), "/internal must never be routed publicly");
            assertFalse(p.getPath().startsWith("/q"), "no /q route: " + p.getPath());
            String service = p.getBackend().getService().getName();
            assertTrue(service.startsWith(Chart.RELEASE + "-"), service);
            routed.put(p.getPath(), service.substring(Chart.RELEASE.length() + 1));
        }
        assertEquals(ROUTES, routed, "public routes of the contract");
        assertEquals("identity-provider-service", routed.get("/v1/auth/oauth"));
        assertEquals("auth-service", routed.get("/v1/auth"));
        List<Integer> lengths = paths.stream().map(p -> p.getPath().length()).toList();
        List<Integer> sorted = new ArrayList<>(lengths);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, lengths, "longest prefix first");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void onlyTheIngressControllerAndLatchServicesReachAuthService(List<Path> values) {
        Chart.Rendered r = render(values);
        NetworkPolicy policy = r.one(NetworkPolicy.class, Chart.RELEASE + "-auth-service");
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        assertEquals(
                "auth-service",
                policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        boolean monitoring = r.text().contains("kind: ServiceMonitor");
        boolean extraFrom = r.text().contains("my-apps");
        Set<String> admitted = new java.util.TreeSet<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            assertNotNull(rule.getFrom(), "an ingress rule without from admits everyone");
            assertFalse(rule.getFrom().isEmpty(), "an ingress rule without peers admits everyone");
            assertEquals(
                    List.of(8081),
                    rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList(),
                    "HTTP port only");
            for (NetworkPolicyPeer peer : rule.getFrom()) {
                assertNull(peer.getIpBlock(), "no ipBlock may reach auth-service");
                admitted.add(describe(peer));
            }
        }
        Set<String> expected = new java.util.TreeSet<>(Set.of(
                "namespace ingress-nginx",
                "pods latch/identity-provider-service",
                "pods latch/storage-service",
                "pods latch/test"));
        if (monitoring) {
            expected.add("namespace monitoring");
        }
        if (extraFrom) {
            expected.add("namespace my-apps");
        }
        assertEquals(expected, admitted);

        for (String other : List.of("identity-provider-service", "storage-service")) {
            NetworkPolicy p = r.one(NetworkPolicy.class, Chart.RELEASE + "-" + other);
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    assertFalse(
                            describe(peer).startsWith("pods latch/")
                                    && !describe(peer).equals("pods latch/test"),
                            other + " admits only the ingress controller: " + describe(peer));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void onlyTheBrokerReachesTheInternetOn443(List<Path> values) {
        Chart.Rendered r = render(values);
        for (String component : Chart.COMPONENTS) {
            NetworkPolicy p = r.one(NetworkPolicy.class, Chart.RELEASE + "-" + component);
            boolean internet = false;
            for (NetworkPolicyEgressRule rule : p.getSpec().getEgress()) {
                for (NetworkPolicyPeer peer : Objects.requireNonNullElse(rule.getTo(), List.<NetworkPolicyPeer>of())) {
                    if (peer.getIpBlock() != null && peer.getIpBlock().getCidr().equals("0.0.0.0/0")) {
                        internet = true;
                        assertEquals(
                                List.of(443),
                                rule.getPorts().stream()
                                        .map(NetworkPolicyPort::getPort)
                                        .map(IntOrString::getIntVal)
                                        .toList());
                    }
                }
            }
            assertEquals(
                    component.equals("identity-provider-service"), internet, component + " egress to the internet");
            boolean dns = p.getSpec().getEgress().stream()
                    .anyMatch(rule -> rule.getPorts().stream()
                            .anyMatch(port -> "UDP".equals(port.getProtocol())
                                    && Integer.valueOf(53).equals(port.getPort().getIntVal())));
            assertTrue(dns, component + " resolves names");
        }
    }

    private static String describe(NetworkPolicyPeer peer) {
        if (peer.getNamespaceSelector() != null) {
            LabelSelector ns = peer.getNamespaceSelector();
            return "namespace " + ns.getMatchLabels().get("kubernetes.io/metadata.name");
        }
        if (peer.getPodSelector() != null) {
            Map<String, String> labels = peer.getPodSelector().getMatchLabels();
            return "pods " + labels.get("app.kubernetes.io/instance") + "/" + labels.get("app.kubernetes.io/component");
        }
        return "anything";
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void storageServiceHasItsDataVolume(List<Path> values) {
        Chart.Rendered r = render(values);
        Deployment d = r.deployment("storage-service");
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        VolumeMount data = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/var/lib/latch/data"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no data volume"));
        Volume volume = volume(pod, data.getName());
        assertTrue(volume.getEmptyDir() != null || volume.getPersistentVolumeClaim() != null);
        Map<String, String> config =
                r.one(ConfigMap.class, "latch-storage-service").getData();
        assertEquals("/var/lib/latch/data", config.get("LATCH_STORAGE_DATA_DIR"));

        // multipart uploads spool to their own sized emptyDir, not to the small /tmp
        VolumeMount uploads = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(config.get("QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume at the multipart spool directory"));
        assertNotNull(volume(pod, uploads.getName()).getEmptyDir().getSizeLimit(), "the spool volume has a size limit");
        assertTrue(
                config.get("QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE").matches("[0-9]+[KkMmGgTt]?"),
                config.get("QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE"));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void authServiceLoadsKeysAndClientsFromSecrets(List<Path> values) {
        Chart.Rendered r = render(values);
        PodSpec pod = r.deployment("auth-service").getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, String> config =
                r.one(ConfigMap.class, "latch-auth-service").getData();
        Optional<VolumeMount> keys = c.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/var/run/secrets/latch/signing-keys"))
                .findFirst();
        if (keys.isPresent()) {
            assertTrue(keys.get().getReadOnly());
            assertNotNull(volume(pod, keys.get().getName()).getSecret());
            assertEquals("/var/run/secrets/latch/signing-keys", config.get("LATCH_AUTH_KEYS_DIRECTORY"));
        } else {
            assertNull(config.get("LATCH_AUTH_KEYS_DIRECTORY"));
        }
        Optional<VolumeMount> clients = c.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/etc/latch/config"))
                .findFirst();
        if (clients.isPresent()) {
            assertTrue(clients.get().getReadOnly());
            assertEquals(
                    "oauth-clients.properties",
                    volume(pod, clients.get().getName())
                            .getSecret()
                            .getItems()
                            .get(0)
                            .getKey());
            assertEquals("/etc/latch/config/oauth-clients.properties", config.get("QUARKUS_CONFIG_LOCATIONS"));
        } else {
            assertNull(config.get("QUARKUS_CONFIG_LOCATIONS"));
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void examplesReferenceEverySecretTheServicesNeed(Path example) {
        Chart.Rendered r = Chart.render(example);
        Map<String, List<String>> required = Map.of(
                "auth-service", List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"),
                "identity-provider-service",
                        List.of(
                                "QUARKUS_DATASOURCE_PASSWORD",
                                "LATCH_IDP_CLIENT_SECRET",
                                "LATCH_IDP_SECRETS_ENCRYPTION_KEY",
                                "LATCH_JWT_INTROSPECTION_CLIENT_SECRET"),
                "storage-service",
                        List.of(
                                "QUARKUS_DATASOURCE_PASSWORD",
                                "LATCH_STORAGE_URL_SIGNING_KEY",
                                "LATCH_JWT_INTROSPECTION_CLIENT_SECRET",
                                "LATCH_STORAGE_S3_ACCESS_KEY_ID",
                                "LATCH_STORAGE_S3_SECRET_ACCESS_KEY"));
        required.forEach((component, names) -> {
            List<String> env =
                    r.deployment(component).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                            .map(EnvVar::getName)
                            .toList();
            for (String name : names) {
                assertTrue(env.contains(name), component + " lacks " + name);
            }
        });
        Map<String, String> auth = r.one(ConfigMap.class, "latch-auth-service").getData();
        List<String> authEnv =
                r.deployment("auth-service").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .map(EnvVar::getName)
                        .toList();
        assertTrue(
                auth.containsKey("LATCH_AUTH_KEYS_DIRECTORY") || authEnv.contains("LATCH_AUTH_KEYS_ENCRYPTION_KEY"),
                "auth-service has mounted signing keys or an encryption key for generated ones");
        assertTrue(auth.containsKey("QUARKUS_CONFIG_LOCATIONS"), "auth-service has its OAuth2 clients");
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseGet(() -> fail("no volume " + name));
    }

    private static void assertNotEquals(Object unexpected, Object actual, String message) {
        org.junit.jupiter.api.Assertions.assertNotEquals(unexpected, actual, message);
    }
}
