package dev.latch.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Renders the chart with helm-java and parses every manifest strictly into the Kubernetes API types. */
final class Chart {

    static final Path DIR =
            Path.of(System.getProperty("latch.chart.dir", "latch")).toAbsolutePath();
    static final Path EXAMPLES =
            Path.of(System.getProperty("latch.examples.dir", "examples")).toAbsolutePath();
    static final String RELEASE = "latch";
    static final String NAMESPACE = "latch";
    /** helm-java's default (v1.20) is below the chart's kubeVersion; render for a current cluster. */
    static final String KUBE_VERSION = "v1.30.0";

    static final List<String> COMPONENTS = List.of("auth-service", "identity-provider-service", "storage-service");
    static final Map<String, Integer> PORTS =
            Map.of("auth-service", 8081, "identity-provider-service", 8082, "storage-service", 8083);

    /** apiVersion/kind the chart may render, and the model class each must parse into. */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class));

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    /**
     * Fails on unknown fields and on a scalar of the wrong type where Kubernetes wants a string
     * (e.g. an unquoted {@code true} in a ConfigMap), as the API server would.
     */
    private static final ObjectMapper STRICT = strictMapper();

    private Chart() {}

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** Annotation that replaces helm.sh/hook in {@link #RENDERABLE}. */
    static final String HOOK_ANNOTATION = "latch.test/helm-hook";

    /**
     * helm-java's template returns the release manifest without its hooks, so the helm test pod and the
     * database job would never be checked. Render a copy of the chart whose hook annotations are renamed:
     * each hook is then an ordinary manifest, validated like the rest.
     */
    private static final Path RENDERABLE = copyWithHooksAsManifests();

    static Helm helm() {
        return new Helm(DIR);
    }

    private static Path copyWithHooksAsManifests() {
        try {
            Path target = Files.createTempDirectory("latch-chart-").resolve(DIR.getFileName());
            try (Stream<Path> files = Files.walk(DIR)) {
                for (Path source : files.toList()) {
                    Path copy = target.resolve(DIR.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(copy);
                    } else {
                        String text = Files.readString(source);
                        if (DIR.relativize(source).startsWith(Path.of("templates"))) {
                            text = text.replace("helm.sh/hook:", HOOK_ANNOTATION + ":")
                                    .replace("helm.sh/hook-weight:", HOOK_ANNOTATION + "-weight:")
                                    .replace("helm.sh/hook-delete-policy:", HOOK_ANNOTATION + "-delete-policy:");
                        }
                        Files.writeString(copy, text);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Example values files in k8s/examples. */
    static List<Path> exampleFiles() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path testValues(String name) {
        try {
            return Path.of(Chart.class.getResource("/values/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing test values " + name, e);
        }
    }

    /** helm template with these values files (in order) and --set pairs. */
    static String template(List<Path> valuesFiles, Map<String, Object> sets) {
        return template(valuesFiles, sets, KUBE_VERSION);
    }

    /** helm template for a cluster of this version (the chart adapts a few fields to it). */
    static String template(List<Path> valuesFiles, Map<String, Object> sets, String kubeVersion) {
        TemplateCommand command = new Helm(RENDERABLE)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(kubeVersion);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    /**
     * NOTES.txt as {@code helm install} prints it, from a client-only dry run (no cluster) of the real chart.
     */
    static String notes(List<Path> valuesFiles, Map<String, Object> sets) {
        var command = new Helm(DIR)
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .dryRun()
                .clientOnly();
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String output = command.call().getOutput();
        int start = output.indexOf("NOTES:");
        if (start < 0) {
            throw new AssertionError("no NOTES in the install output:\n" + output);
        }
        return output.substring(start);
    }

    /** A rendered release: the text and every manifest, parsed strictly. */
    record Rendered(String text, List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = all(type).stream()
                    .filter(o -> o.getMetadata().getName().equals(name))
                    .toList();
            if (found.size() != 1) {
                throw new AssertionError(
                        "expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
            }
            return found.get(0);
        }

        Deployment deployment(String component) {
            return one(Deployment.class, RELEASE + "-" + component);
        }
    }

    static Rendered render(List<Path> valuesFiles, Map<String, Object> sets) {
        String text = template(valuesFiles, sets);
        return new Rendered(text, parse(text));
    }

    static Rendered render(Path... valuesFiles) {
        return render(List.of(valuesFiles), Map.of());
    }

    /** Every YAML document of a helm template output as its Kubernetes model type. */
    static List<HasMetadata> parse(String text) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(text)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                    continue;
                }
                objects.add(toModel(doc));
            }
        } catch (IOException e) {
            throw new AssertionError("rendered YAML does not parse: " + e.getMessage(), e);
        }
        return objects;
    }

    private static HasMetadata toModel(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String name = doc.path("metadata").path("name").asText();
        Class<? extends HasMetadata> type = TYPES.get(key);
        if (type == null) {
            throw new AssertionError("unexpected apiVersion/kind " + key + " (" + name + ")");
        }
        HasMetadata object;
        try {
            object = STRICT.treeToValue(doc, type);
        } catch (IOException e) {
            throw new AssertionError(
                    key + " " + name + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(
                object, key + " " + name, unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!unknown.isEmpty()) {
            throw new AssertionError("unknown fields (a typo?) in " + key + " " + name + ": " + unknown);
        }
        return object;
    }

    /**
     * The fabric8 model keeps fields it does not know in {@code additionalProperties} instead of failing,
     * so FAIL_ON_UNKNOWN_PROPERTIES alone lets a typo through: walk the object and refuse any.
     */
    private static void collectUnknownFields(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
                    if (!extra.isEmpty()) {
                        extra.keySet().forEach(k -> unknown.add(path + "." + k));
                    }
                    continue;
                }
                collectUnknownFields(fieldValue, path + "." + field.getName(), unknown, seen);
            }
        }
    }
}
