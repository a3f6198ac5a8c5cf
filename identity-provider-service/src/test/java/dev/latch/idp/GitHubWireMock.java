package dev.latch.idp;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * GitHub's OAuth and REST API emulated by WireMock at its real paths, started once for the suite like the other
 * servers in {@link IdpTestResources}. Providers point at {@link #baseUrl()} through the admin API, so no
 * configuration is injected; tests stub per login code and token, so they never see each other's stubs.
 */
public class GitHubWireMock implements QuarkusTestResourceLifecycleManager {

    private static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        if (server == null) {
            WireMockServer started =
                    new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
            started.start();
            server = started;
        }
        return Map.of();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public static WireMockServer server() {
        if (server == null) {
            throw new IllegalStateException("GitHubWireMock is not started: is the test in IdpTestResources' suite?");
        }
        return server;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }
}
