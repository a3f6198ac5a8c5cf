package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The images the chart deploys by default exist: .github/workflows/release.yml pushes the JVM images as
 * {@code <appVersion>} and {@code latest} from the tag {@code v<appVersion>}, and refuses any other tag.
 */
class ReleaseWorkflowTest {

    static final Path REPO =
            Path.of(System.getProperty("latch.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path WORKFLOWS = REPO.resolve(".github/workflows");

    private static JsonNode workflow(String name) throws IOException {
        return new YAMLMapper().readTree(WORKFLOWS.resolve(name).toFile());
    }

    @Test
    void releaseRunsOnVersionTagsAndPushesEveryServiceAsTheChartNamesIt() throws IOException {
        JsonNode release = workflow("release.yml");
        assertEquals("v*", release.path("on").path("push").path("tags").path(0).asText());
        JsonNode job = release.path("jobs").path("jvm-image");
        List<String> services = new ArrayList<>();
        job.path("strategy").path("matrix").path("service").forEach(s -> services.add(s.asText()));
        assertEquals(Chart.COMPONENTS, services);
        JsonNode meta = step(job, "docker/metadata-action").path("with");
        assertEquals(
                "ghcr.io/${{ github.repository_owner }}/latch-${{ matrix.service }}",
                meta.path("images").asText());
        assertTrue(
                meta.path("tags").asText().contains("type=raw,value=${{ needs.version.outputs.version }}"),
                meta.toString());
        assertTrue(meta.path("tags").asText().contains("type=raw,value=latest"), meta.toString());
        JsonNode push = step(job, "docker/build-push-action").path("with");
        assertEquals(
                "${{ matrix.service }}/src/main/docker/Dockerfile.jvm",
                push.path("file").asText(),
                "the JVM image");
        assertTrue(push.path("push").asBoolean(), "pushed");
        // the chart's default repositories are these, for the owner latch-dev
        for (String component : Chart.COMPONENTS) {
            String image = Chart.render()
                    .deployment(component)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage();
            assertTrue(image.startsWith("ghcr.io/latch-dev/latch-" + component + ":"), image);
        }
    }

    @Test
    void aTagOtherThanTheChartsAppVersionIsRefused() throws Exception {
        String script = step(workflow("release.yml").path("jobs").path("version"), "Compare the tag")
                .path("run")
                .asText();
        String appVersion = ChartValuesTest.appVersion();
        Path output = Files.createTempFile("github-output", "");
        assertEquals(0, bash(script, "v" + appVersion, output), "the tag of the appVersion is released");
        assertTrue(Files.readString(output).contains("version=" + appVersion + "\n"), Files.readString(output));
        assertTrue(Files.readString(output).contains("latest=true"), Files.readString(output));
        assertNotEquals(0, bash(script, "v" + appVersion + ".1", Files.createTempFile("github-output", "")));
        assertNotEquals(0, bash(script, "v9.9.9", Files.createTempFile("github-output", "")));
    }

    @Test
    void nativeImagesUseAFixedMandrel25BuilderAndTheirOwnTags() throws Exception {
        JsonNode nativeWorkflow = workflow("native.yml");
        assertTrue(
                nativeWorkflow
                        .path("env")
                        .path("MANDREL_BUILDER_IMAGE")
                        .asText()
                        .matches(
                                "quay\\.io/quarkus/ubi9-quarkus-mandrel-builder-image:25\\.0\\.[0-9]+\\.[0-9]+-Final-java25"),
                "a fixed release of the jdk-25 line Quarkus 3.33 builds with: " + nativeWorkflow.path("env"));
        assertEquals(
                "v*",
                nativeWorkflow.path("on").path("push").path("tags").path(0).asText());
        JsonNode meta = step(nativeWorkflow.path("jobs").path("native"), "docker/metadata-action")
                .path("with");
        assertTrue(
                meta.path("flavor").asText().contains("suffix=-native"),
                "native tags never overwrite the JVM ones: " + meta);
        String check = step(nativeWorkflow.path("jobs").path("native"), "appVersion")
                .path("run")
                .asText();
        assertTrue(check.contains("k8s/latch/Chart.yaml"), check);
    }

    private static JsonNode step(JsonNode job, String usesOrName) {
        for (JsonNode step : job.path("steps")) {
            if (step.path("uses").asText().startsWith(usesOrName)
                    || step.path("name").asText().contains(usesOrName)) {
                return step;
            }
        }
        throw new AssertionError("no step " + usesOrName + " in " + job);
    }

    private static int bash(String script, String tag, Path githubOutput) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-c", script)
                .directory(REPO.toFile())
                .redirectErrorStream(true);
        builder.environment().put("TAG", tag);
        builder.environment().put("GITHUB_OUTPUT", githubOutput.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        return p.exitValue();
    }
}
