package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k8s/README.md's "Install step by step" works with the example files: every Secret and key an example
 * references is created by a {@code kubectl create secret} command of the walkthrough, every Secret created
 * there is used by an example, and the names the walkthrough uses (files, hosts, the callback) are the
 * examples' own.
 */
class ReadmeWalkthroughTest {

    private static final Path README = Chart.DIR.getParent().resolve("README.md");
    private static final Pattern CREATE = Pattern.compile("kubectl -n \\$NS create secret generic ([a-z0-9.-]+)(.*)");
    private static final Pattern LITERAL = Pattern.compile("--from-literal=([-._a-zA-Z0-9]+)=");
    private static final Pattern FILE = Pattern.compile("--from-file=(?:([-._a-zA-Z0-9]+)=)?([^\\s]+)");

    static Stream<Arguments> examples() {
        return Chart.exampleFiles().stream().map(p -> Arguments.of(Named.of("examples/" + p.getFileName(), p)));
    }

    /** Secret name → keys, from the shell blocks of the README (continued lines joined). */
    static Map<String, Set<String>> createdSecrets() throws IOException {
        Map<String, Set<String>> created = new TreeMap<>();
        for (String command : shellCommands()) {
            Matcher m = CREATE.matcher(command);
            if (!m.find()) {
                continue;
            }
            Set<String> keys = created.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            Matcher literal = LITERAL.matcher(m.group(2));
            while (literal.find()) {
                keys.add(literal.group(1));
            }
            Matcher file = FILE.matcher(m.group(2));
            while (file.find()) {
                keys.add(
                        file.group(1) != null
                                ? file.group(1)
                                : Path.of(file.group(2)).getFileName().toString());
            }
        }
        return created;
    }

    private static List<String> shellCommands() throws IOException {
        List<String> commands = new ArrayList<>();
        boolean inShell = false;
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("```")) {
                inShell = !inShell && line.equals("```sh");
                continue;
            }
            if (!inShell) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                commands.add(current.append(line).toString().strip());
                current.setLength(0);
            }
        }
        return commands;
    }

    /** Secret name → keys that the rendered example needs (non-optional references and mounted files). */
    static Map<String, Set<String>> referencedSecrets(Chart.Rendered r) {
        Map<String, Set<String>> referenced = new TreeMap<>();
        List<PodSpec> pods = new ArrayList<>();
        r.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        r.all(Job.class).forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        for (PodSpec pod : pods) {
            for (Container c : pod.getContainers()) {
                for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
                    SecretKeySelector ref = env.getValueFrom() == null
                            ? null
                            : env.getValueFrom().getSecretKeyRef();
                    if (ref != null && !Boolean.TRUE.equals(ref.getOptional())) {
                        referenced
                                .computeIfAbsent(ref.getName(), k -> new TreeSet<>())
                                .add(ref.getKey());
                    }
                }
                for (VolumeMount mount : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
                    Volume volume = ChartManifestsTest.volume(pod, mount.getName());
                    if (volume.getSecret() == null) {
                        continue;
                    }
                    Set<String> keys =
                            referenced.computeIfAbsent(volume.getSecret().getSecretName(), k -> new TreeSet<>());
                    if (volume.getSecret().getItems() != null
                            && !volume.getSecret().getItems().isEmpty()) {
                        volume.getSecret().getItems().forEach(i -> keys.add(i.getKey()));
                    } else {
                        // the signing-key directory: the active key's file
                        DeploymentEnv env = DeploymentEnv.of(r, c.getName());
                        keys.add(env.values().getOrDefault("LATCH_AUTH_KEYS_ACTIVE", "?") + ".pem");
                    }
                }
            }
        }
        return referenced;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theWalkthroughCreatesEverySecretAndKeyTheExampleReferences(Path example) throws IOException {
        Map<String, Set<String>> created = createdSecrets();
        referencedSecrets(Chart.render(example)).forEach((secret, keys) -> {
            assertTrue(
                    created.containsKey(secret),
                    example.getFileName() + " references Secret " + secret
                            + ", which k8s/README.md step 3 does not create (it creates " + created.keySet() + ")");
            assertTrue(
                    created.get(secret).containsAll(keys),
                    example.getFileName() + ": Secret " + secret + " needs the keys " + keys + ", the README creates "
                            + created.get(secret));
        });
    }

    @Test
    void everySecretTheWalkthroughCreatesIsUsedByAnExample() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path example : Chart.exampleFiles()) {
            used.addAll(referencedSecrets(Chart.render(example)).keySet());
            // the optional key of the storage Secret counts as used
            used.add(DeploymentEnv.of(Chart.render(example), "storage-service")
                    .secrets()
                    .get("LATCH_STORAGE_ENCRYPTION_KEY")
                    .getName());
        }
        Set<String> created = createdSecrets().keySet();
        assertFalse(created.isEmpty(), "no kubectl create secret in k8s/README.md");
        assertEquals(
                Set.of(),
                new TreeSet<>(created.stream().filter(s -> !used.contains(s)).toList()),
                "Secrets the README creates that no example uses");
    }

    @Test
    void theWalkthroughNamesTheExamplesHostsFilesAndCallback() throws IOException {
        String readme = Files.readString(README);
        Chart.Rendered production = Chart.render(Chart.EXAMPLES.resolve("values-production.yaml"));
        String publicUrl = production
                .one(io.fabric8.kubernetes.api.model.ConfigMap.class, "latch-identity-provider-service")
                .getData()
                .get("LATCH_PUBLIC_BASE_URL");
        assertTrue(readme.contains("HOST=" + publicUrl + "\n"), "the walkthrough's HOST is the example's " + publicUrl);
        assertTrue(
                readme.contains(publicUrl + "/v1/auth/oauth/github/callback"),
                "GitHub callback on the example's public URL");
        assertTrue(
                readme.contains("POST $HOST/v1/identity-providers/admin"),
                "the provider is created through the admin API");
        Ingress ingress = production.all(Ingress.class).get(0);
        assertTrue(readme.contains("cert-manager.io/cluster-issuer: "
                + ingress.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer")));
        assertTrue(
                readme.contains("Secret `" + ingress.getSpec().getTls().get(0).getSecretName() + "`"),
                "the TLS Secret's name");
        for (String command : shellCommands()) {
            Matcher values = Pattern.compile("-f (k8s/examples/[^\\s]+)").matcher(command);
            while (values.find()) {
                assertTrue(Files.exists(Chart.DIR.getParent().getParent().resolve(values.group(1))), command);
            }
        }
        assertTrue(
                readme.contains("cp k8s/examples/values-production.yaml my-values.yaml"),
                "the walkthrough's values file");
        String dev = Files.readString(Chart.EXAMPLES.resolve("values-dev.yaml"));
        for (String name : List.of("host: postgresql", "redis://redis:6379", "http://minio:9000", "bucket: latch")) {
            assertTrue(dev.contains(name), "values-dev.yaml: " + name);
        }
        for (String name : List.of("`postgresql` (5432)", "`redis` (6379)", "`minio` (9000)", "m/latch")) {
            assertTrue(readme.contains(name), "the README names the dev backends as values-dev.yaml does: " + name);
        }
    }
}
