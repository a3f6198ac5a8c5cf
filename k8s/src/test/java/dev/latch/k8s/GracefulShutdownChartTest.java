package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod's shutdown budget is consistent with the service's graceful shutdown: the kubelet's preStop sleep, then
 * SIGTERM, then the service's {@code quarkus.shutdown.delay} (readiness DOWN, still serving) and
 * {@code quarkus.shutdown.timeout} (requests in flight finish) must all fit in {@code terminationGracePeriodSeconds},
 * or the kubelet's SIGKILL cuts requests in flight — in the default values, every example and any values a user sets.
 */
class GracefulShutdownChartTest {

    static Stream<Arguments> scenarios() {
        List<Arguments> scenarios = new ArrayList<>();
        scenarios.add(Arguments.of(Named.of("default values", List.<Path>of())));
        for (Path example : Chart.exampleFiles()) {
            scenarios.add(Arguments.of(Named.of("examples/" + example.getFileName(), List.of(example))));
        }
        return scenarios.stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void preStopSleepPlusShutdownDelayPlusTimeoutFitInTheGracePeriod(List<Path> values) {
        Chart.Rendered r = Chart.render(values, Map.of());
        for (String component : Chart.COMPONENTS) {
            PodSpec pod = r.deployment(component).getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            Map<String, String> config =
                    r.one(ConfigMap.class, Chart.RELEASE + "-" + component).getData();
            long delay = seconds(config.get("QUARKUS_SHUTDOWN_DELAY"), component + " QUARKUS_SHUTDOWN_DELAY");
            long timeout = seconds(config.get("QUARKUS_SHUTDOWN_TIMEOUT"), component + " QUARKUS_SHUTDOWN_TIMEOUT");
            LifecycleHandler preStop =
                    c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
            assertNotNull(preStop, component + ": a preStop delay lets the endpoints drop the pod before SIGTERM");
            assertNotNull(
                    preStop.getSleep(),
                    component + ": Kubernetes 1.30 gets the built-in sleep action (no binary needed)");
            long sleep = preStop.getSleep().getSeconds();
            long grace = pod.getTerminationGracePeriodSeconds();
            assertTrue(sleep > 0 && delay > 0 && timeout > 0, component + ": " + sleep + "/" + delay + "/" + timeout);
            assertTrue(
                    sleep + delay + timeout < grace,
                    component + ": preStop " + sleep + " s + delay " + delay + " s + timeout " + timeout
                            + " s must be below terminationGracePeriodSeconds " + grace);
        }
    }

    @Test
    void aBudgetThatDoesNotFitIsRefusedNamingTheValues() {
        Exception refused = assertThrows(
                Exception.class,
                () -> Chart.template(List.of(), Map.of("storageService.shutdown.timeoutSeconds", "40")));
        assertTrue(
                refused.getMessage().contains("storage-service.shutdown")
                        && refused.getMessage().contains("must be below terminationGracePeriodSeconds (40)"),
                refused.getMessage());
    }

    @Test
    void olderClustersSleepInTheContainerInstead() {
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects =
                Chart.parse(Chart.template(List.of(), Map.of(), "v1.29.0"));
        Chart.Rendered r = new Chart.Rendered("", objects);
        for (String component : Chart.COMPONENTS) {
            LifecycleHandler preStop = r.deployment(component)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getLifecycle()
                    .getPreStop();
            assertEquals(List.of("sleep", "5"), preStop.getExec().getCommand(), component);
        }
    }

    @Test
    void everyServiceBuildsTheShutdownDelayInAndItsOwnDefaultsFitTheChartsGracePeriod() throws Exception {
        for (String component : Chart.COMPONENTS) {
            List<String> lines = Files.readAllLines(
                    ServiceRequirements.REPO.resolve(component).resolve("src/main/resources/application.properties"));
            // a build-time switch: without it QUARKUS_SHUTDOWN_DELAY from the chart would do nothing
            assertTrue(lines.contains("quarkus.shutdown.delay-enabled=true"), component);
            long delay = seconds(value(lines, "quarkus.shutdown.delay"), component);
            long timeout = seconds(value(lines, "quarkus.shutdown.timeout"), component);
            Chart.Rendered r = Chart.render(List.of(), Map.of());
            Map<String, String> config =
                    r.one(ConfigMap.class, Chart.RELEASE + "-" + component).getData();
            assertEquals(
                    delay,
                    seconds(config.get("QUARKUS_SHUTDOWN_DELAY"), component),
                    component + ": the chart's default is the service's");
            assertEquals(timeout, seconds(config.get("QUARKUS_SHUTDOWN_TIMEOUT"), component), component);
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1).strip())
                .findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not set"));
    }

    private static long seconds(String duration, String what) {
        assertNotNull(duration, what);
        return Duration.parse("PT" + duration).toSeconds();
    }
}
