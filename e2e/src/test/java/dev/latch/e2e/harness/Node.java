package dev.latch.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * A script that serves until stopped (a relying party): started with its error output in {@code log}, ready once
     * it printed its first line on standard output. {@link #close()} stops it (SIGTERM, then SIGKILL after 5 s), so
     * its port is free again.
     */
    public static final class Server implements AutoCloseable {
        private final String script;
        private final Process process;
        private final Path log;

        private Server(String script, Process process, Path log) {
            this.script = script;
            this.process = process;
            this.log = log;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return "node " + script + " (log " + log + ")";
        }
    }

    /** Starts {@code script}; answers once its first output line arrived (within 30 s), else stops it and fails. */
    public static Server start(Path log, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        java.nio.file.Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command)
                .directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Server server = new Server(script, p, log);
        java.io.BufferedReader out =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = first.get(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError(server + " exited with " + p.waitFor() + " before it was ready");
            }
            return server;
        } catch (ExecutionException | TimeoutException | AssertionError e) {
            server.close();
            throw e instanceof AssertionError a ? a : new AssertionError(server + " was not ready within 30 s", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
