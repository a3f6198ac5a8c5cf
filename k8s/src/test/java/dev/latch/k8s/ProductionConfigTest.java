package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every variable a service needs in production (see {@link ServiceRequirements}, read off the services'
 * own configuration and production-readiness checks) is provided by each example's rendering and by
 * deploy/compose.yaml; {@link ProductionStartTest} then starts the services with that environment.
 */
class ProductionConfigTest {

    static Stream<Arguments> examples() {
        return Chart.exampleFiles().stream().map(p -> Arguments.of(Named.of("examples/" + p.getFileName(), p)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth-service", "identity-provider-service", "storage-service"})
    void everyVariableTheServiceNamesIsClassified(String component) {
        Map<String, String> mentioned = ServiceRequirements.mentioned(component);
        assertFalse(mentioned.isEmpty(), component + ": nothing read from its sources");
        List<String> unclassified = new ArrayList<>();
        mentioned.forEach((variable, where) -> {
            if (!ServiceRequirements.classified(component, variable)) {
                unclassified.add(variable + " (" + where + ")");
            }
        });
        assertEquals(
                List.of(),
                unclassified,
                component + " may need these in production: provide them in the chart and "
                        + "list them in ServiceRequirements (or say there why not)");
        // and the list is no invention: every required variable is named by the service's sources or is the database
        // password
        for (ServiceRequirements.Requirement requirement : ServiceRequirements.of(component)) {
            // (the exceptions are config mappings: AuthConfig.bootstrapAdmin, StorageConfig.s3, Quarkus' own config
            // locations)
            assertTrue(
                    requirement.anyOf().stream()
                            .anyMatch(v -> ServiceRequirements.namedInSources(component, v)
                                    || v.equals("QUARKUS_DATASOURCE_PASSWORD")
                                    || v.startsWith("LATCH_AUTH_BOOTSTRAP_ADMIN_")
                                    || v.equals("QUARKUS_CONFIG_LOCATIONS")
                                    || v.startsWith("LATCH_STORAGE_S3_")),
                    requirement + " is named nowhere in " + component + "'s sources");
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyDeploymentGetsEveryVariableItsServiceNeeds(Path example) {
        Chart.Rendered r = Chart.render(example);
        for (String component : Chart.COMPONENTS) {
            DeploymentEnv env = DeploymentEnv.of(r, component);
            for (ServiceRequirements.Requirement requirement : ServiceRequirements.of(component)) {
                if (requirement.applies(env.values())) {
                    assertTrue(
                            requirement.anyOf().stream().anyMatch(env::provides),
                            example.getFileName() + ": " + requirement);
                }
            }
            assertFalse(
                    "false".equals(env.values().get("LATCH_PRODUCTION_READINESS_ENABLED")),
                    "production-readiness checks stay on");
            for (String forbidden : List.of(
                    "LATCH_PRODUCTION_READINESS_IGNORE_SEVERE",
                    "LATCH_IDP_ALLOW_PRIVATE_PROVIDER_HOSTS",
                    "LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS")) {
                assertFalse(
                        env.values().containsKey(forbidden) || env.secrets().containsKey(forbidden),
                        component + " sets " + forbidden);
            }
            // paths named by the environment are mounted
            Optional.ofNullable(env.values().get("LATCH_AUTH_KEYS_DIRECTORY"))
                    .ifPresent(dir -> assertNotNull(
                            secretVolumeAt(env, dir), "the key directory " + dir + " is a mounted Secret"));
            Optional.ofNullable(env.values().get("QUARKUS_CONFIG_LOCATIONS")).ifPresent(file -> {
                Path path = Path.of(file);
                Volume volume = secretVolumeAt(env, path.getParent().toString());
                assertNotNull(volume, file + " is in a mounted Secret");
                assertTrue(
                        volume.getSecret().getItems().stream()
                                .anyMatch(i ->
                                        i.getPath().equals(path.getFileName().toString())),
                        file + " is a file of that Secret volume");
            });
            for (String dir : List.of("LATCH_STORAGE_DATA_DIR", "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY")) {
                Optional.ofNullable(env.values().get(dir))
                        .ifPresent(path -> assertTrue(
                                env.container().getVolumeMounts().stream()
                                        .anyMatch(m ->
                                                m.getMountPath().equals(path) && !Boolean.TRUE.equals(m.getReadOnly())),
                                dir + " is writable"));
            }
        }
    }

    private static Volume secretVolumeAt(DeploymentEnv env, String mountPath) {
        for (VolumeMount mount : env.container().getVolumeMounts()) {
            if (mount.getMountPath().equals(mountPath)) {
                Volume volume = ChartManifestsTest.volume(env.pod(), mount.getName());
                return volume.getSecret() != null ? volume : null;
            }
        }
        return null;
    }

    /** deploy/compose.yaml runs the same services from the same kind of environment: it provides the same needs. */
    @ParameterizedTest
    @ValueSource(strings = {"auth-service", "identity-provider-service", "storage-service"})
    @SuppressWarnings("unchecked")
    void composeProvidesEveryVariableItsServiceNeeds(String component) throws IOException {
        // SnakeYAML resolves the anchors and merge keys (<<: *datasource) that compose.yaml uses
        Map<String, Object> compose = new org.yaml.snakeyaml.Yaml()
                .load(Files.readString(ServiceRequirements.REPO.resolve("deploy/compose.yaml")));
        Map<String, Object> service =
                (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(component);
        assertNotNull(service, component + " in compose.yaml");
        Map<String, String> known = new LinkedHashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> known.put(k, String.valueOf(v).replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
        assertFalse(known.isEmpty(), "no environment for " + component + " in compose.yaml");
        for (ServiceRequirements.Requirement requirement : ServiceRequirements.of(component)) {
            if (requirement.applies(known)) {
                assertTrue(
                        requirement.anyOf().stream()
                                .anyMatch(v -> !known.getOrDefault(v, "").isEmpty()),
                        "compose.yaml: " + requirement);
            }
        }
        if (known.containsKey("QUARKUS_CONFIG_LOCATIONS")) {
            String file = known.get("QUARKUS_CONFIG_LOCATIONS");
            List<Object> volumes = (List<Object>) service.getOrDefault("volumes", List.of());
            assertTrue(
                    volumes.stream()
                            .map(String::valueOf)
                            .anyMatch(v -> v.split(":").length > 1 && v.split(":")[1].equals(file)),
                    "compose.yaml mounts " + file);
        }
    }
}
