package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One heap cap everywhere a service runs: the chart's {@code JAVA_MAX_MEM_RATIO} times the container's memory limit,
 * the images' default ratio, and {@code deploy/run-local.sh}'s {@code -Xmx} give every service 256 MiB of heap, so a
 * sign-in burst (Argon2id) or a large upload cannot take the pod past its limit.
 */
class HeapCapChartTest {

    private static final long HEAP_MIB = 256;

    @Test
    void theChartCapsEveryHeapAtHalfItsMemoryLimit() {
        Chart.Rendered r = Chart.render(List.of(), Map.of());
        for (String component : Chart.COMPONENTS) {
            Map<String, String> config =
                    r.one(ConfigMap.class, Chart.RELEASE + "-" + component).getData();
            int ratio = Integer.parseInt(config.get("JAVA_MAX_MEM_RATIO"));
            Container c = r.deployment(component)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            long limitMib =
                    Quantity.getAmountInBytes(c.getResources().getLimits().get("memory"))
                                    .longValue()
                            / (1024 * 1024);
            assertEquals(
                    HEAP_MIB, limitMib * ratio / 100, component + ": heap = " + ratio + " % of " + limitMib + " MiB");
        }
    }

    @Test
    void theImagesAndTheLocalRunUseTheSameCap() throws Exception {
        for (String component : Chart.COMPONENTS) {
            List<String> dockerfile = Files.readAllLines(
                    ServiceRequirements.REPO.resolve(component).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(
                    dockerfile.contains("ENV JAVA_MAX_MEM_RATIO=50"),
                    component + "'s image caps its heap as the chart does");
        }
        String runLocal = Files.readString(ServiceRequirements.REPO.resolve("deploy/run-local.sh"));
        assertTrue(
                runLocal.contains("LATCH_JAVA_OPTS:--Xmx" + HEAP_MIB + "m"),
                "deploy/run-local.sh caps each heap at " + HEAP_MIB + " MiB");
    }
}
