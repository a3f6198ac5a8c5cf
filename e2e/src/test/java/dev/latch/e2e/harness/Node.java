package dev.latch.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one of the suite's Node scripts ({@code e2e/node/*.mjs}, packages installed by {@code npm ci}) and reads its JSON. */
public final class Node {

    private static final Path DIR = Stack.ROOT.resolve("e2e/node");

    private Node() {}

    /** The script's standard output as JSON; fails with its error output when it exits non-zero. */
    public static JsonNode run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + script + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("node " + script + " exited with " + p.exitValue() + ": " + err.join() + out);
        }
        return Http.JSON.readTree(out);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
