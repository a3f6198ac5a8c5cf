package dev.latch.common.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's Chromium for the browser tests, driven by Playwright without a browser download:
 * {@code LATCH_CHROMIUM}, else {@code /usr/bin/chromium} (Debian) or {@code chromium-browser}. A test
 * without it is skipped on a developer machine and fails in CI ({@code CI=true}), where it must run.
 */
public final class Chromium {

    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private Chromium() {}

    public static Path executable() {
        String configured = System.getenv("LATCH_CHROMIUM");
        for (String candidate : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        return null;
    }

    /** Skips the calling test (fails it in CI) when {@code missing} is not null. */
    public static void require(String missing) {
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
    }

    /** Skips the calling test (fails it in CI) without a Chromium. */
    public static void require() {
        require(
                executable() == null
                        ? "no Chromium at /usr/bin/chromium (apt-get install -y --no-install-recommends chromium)"
                        : null);
    }

    public static Playwright playwright() {
        return Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Headless, no sandbox (containers), no background traffic. */
    public static Browser launch(Playwright playwright) {
        return playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(executable())
                        .setHeadless(true)
                        .setArgs(List.of("--no-sandbox", "--disable-background-networking")));
    }

    /**
     * A browser context of 1024×720 that reaches this machine only: any other request (a provider page's
     * web font) is aborted, so no browser test depends on the internet.
     */
    public static BrowserContext localContext(Browser browser, int timeoutMillis) {
        BrowserContext context = browser.newContext(
                new Browser.NewContextOptions().setViewportSize(1024, 720).setLocale("en-US"));
        context.setDefaultTimeout(timeoutMillis);
        context.route("**/*", route -> {
            String host = URI.create(route.request().url()).getHost();
            if ("localhost".equals(host) || "127.0.0.1".equals(host)) {
                route.resume();
            } else {
                route.abort();
            }
        });
        return context;
    }

    /** One free port per JVM under this system property, the same in every class loader that asks. */
    public static int port(String property) {
        synchronized (System.class) {
            String port = System.getProperty(property);
            if (port == null) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = String.valueOf(socket.getLocalPort());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                System.setProperty(property, port);
            }
            return Integer.parseInt(port);
        }
    }
}
