package dev.latch.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Calibration, then the soak. Calibration: each path alone, closed loop ({@link #CALIBRATION_CONCURRENCY} callers
 * back to back), for a short warm-up and a measured window: its maximum rate on this machine. The soak: every path at
 * once, open loop — requests leave at fixed intervals whether or not earlier ones have answered, so a slow service
 * cannot slow the load down — at {@code rate_i = load × weight_i × max_i}: with the weights summing to 1 and each
 * path's max being what the machine does for that path alone, the mix asks for {@code load} (70 %) of the machine.
 * Resources of each service are sampled every {@code sampleEvery} during the measured window.
 */
final class SoakDriver {

    static final int CALIBRATION_CONCURRENCY = 8;
    /** More requests of one path waiting for an answer than this: the services are not keeping up (an error). */
    static final int MAX_OUTSTANDING = 256;

    record Settings(
            Duration calibrationWarmup,
            Duration calibrationWindow,
            Duration warmup,
            Duration duration,
            Duration sampleEvery,
            double load) {}

    /** Counts and latencies of one path in one phase. */
    static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
        private long[] latencies = new long[4096];
        private int count;

        synchronized void latency(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        void error(String kind) {
            errors.incrementAndGet();
            errorKinds
                    .computeIfAbsent(kind.length() > 160 ? kind.substring(0, 160) : kind, k -> new AtomicInteger())
                    .incrementAndGet();
        }

        synchronized double percentileMs(double p) {
            if (count == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return sorted[Math.max(0, Math.min(count - 1, (int) Math.ceil(p * count) - 1))] / 1e6;
        }
    }

    record PathResult(
            Traffic.Path path, double maxRate, Tally calibration, double targetRate, Tally soak, double achievedRate) {}

    record Sample(double minutes, Map<String, Map<String, Double>> values) {}

    record Result(Settings settings, List<PathResult> paths, List<Sample> samples, double measuredMinutes) {}

    private final HttpClient http;
    private final Traffic traffic;
    private final List<ResourceProbe> probes;

    SoakDriver(HttpClient http, Traffic traffic, List<ResourceProbe> probes) {
        this.http = http;
        this.traffic = traffic;
        this.probes = probes;
    }

    Result run(Settings settings) throws Exception {
        List<Traffic.Path> paths = traffic.paths();
        double[] max = new double[paths.size()];
        List<Tally> calibration = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Tally t = new Tally();
            max[i] = calibrate(paths.get(i), settings, t);
            calibration.add(t);
            System.out.printf(
                    "soak calibration: %-20s %8.1f req/s (closed loop, %d callers; %d ok, p50 %.1f ms, p99 %.1f ms, %d errors %s)%n",
                    paths.get(i).name(),
                    max[i],
                    CALIBRATION_CONCURRENCY,
                    t.ok.get(),
                    t.percentileMs(0.5),
                    t.percentileMs(0.99),
                    t.errors.get(),
                    t.errorKinds);
        }
        double[] rates = new double[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            rates[i] = settings.load() * paths.get(i).weight() * max[i];
        }
        Tally[] soak = new Tally[paths.size()];
        for (int i = 0; i < soak.length; i++) {
            soak[i] = new Tally();
        }
        List<Sample> samples = new ArrayList<>();
        long measuredNanos = openLoop(paths, rates, soak, settings, samples);
        List<PathResult> results = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            results.add(new PathResult(
                    paths.get(i),
                    max[i],
                    calibration.get(i),
                    rates[i],
                    soak[i],
                    soak[i].ok.get() / (measuredNanos / 1e9 + settings.warmup().toNanos() / 1e9)));
        }
        return new Result(settings, results, samples, measuredNanos / 60e9);
    }

    /** Closed loop for warm-up + window; the rate of answers completed inside the window. */
    private double calibrate(Traffic.Path path, Settings settings, Tally tally) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + settings.calibrationWarmup().toNanos();
        long end = windowStart + settings.calibrationWindow().toNanos();
        AtomicLong inWindow = new AtomicLong();
        ExecutorService callers = Executors.newFixedThreadPool(CALIBRATION_CONCURRENCY);
        CountDownLatch done = new CountDownLatch(CALIBRATION_CONCURRENCY);
        for (int c = 0; c < CALIBRATION_CONCURRENCY; c++) {
            callers.execute(() -> {
                try {
                    while (System.nanoTime() < end) {
                        Traffic.Call call = path.next().get();
                        if (call == null) {
                            tally.error("no input for this call (driver)");
                            LockSupport.parkNanos(1_000_000);
                            continue;
                        }
                        long sent = System.nanoTime();
                        tally.sent.incrementAndGet();
                        try {
                            HttpResponse<String> r = http.send(call.request(), HttpResponse.BodyHandlers.ofString());
                            String problem = verify(call, r);
                            long now = System.nanoTime();
                            if (problem == null) {
                                tally.ok.incrementAndGet();
                                tally.latency(now - sent);
                                // answers completed inside the window, whenever sent: closed loop, that is the rate
                                if (now >= windowStart && now <= end) {
                                    inWindow.incrementAndGet();
                                }
                            } else {
                                tally.error(problem);
                            }
                        } catch (Exception e) {
                            tally.error(e.getClass().getSimpleName());
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(
                settings.calibrationWarmup().toSeconds()
                        + settings.calibrationWindow().toSeconds()
                        + 30,
                TimeUnit.SECONDS);
        callers.shutdownNow();
        return inWindow.get() / (settings.calibrationWindow().toNanos() / 1e9);
    }

    /**
     * Every path on its own fixed interval from one dispatcher thread; answers are handled on the client's executor.
     * Samples are taken from the end of the warm-up, every {@code sampleEvery}, the last one at the end.
     *
     * @return the length of the measured window in nanoseconds
     */
    private long openLoop(
            List<Traffic.Path> paths, double[] rates, Tally[] tallies, Settings settings, List<Sample> samples)
            throws Exception {
        int n = paths.size();
        long[] interval = new long[n];
        long[] due = new long[n];
        AtomicInteger[] outstanding = new AtomicInteger[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            interval[i] = (long) (1e9 / Math.max(rates[i], 0.1));
            due[i] = start + (long) (Math.random() * interval[i]);
            outstanding[i] = new AtomicInteger();
        }
        long measureFrom = start + settings.warmup().toNanos();
        long end = measureFrom + settings.duration().toNanos();
        AtomicLong inFlight = new AtomicLong();

        ExecutorService sampler = Executors.newSingleThreadExecutor();
        List<java.util.concurrent.Future<?>> pendingSamples = new ArrayList<>();
        long nextSample = measureFrom;
        try (Connection postgres = ResourceProbe.postgres()) {
            // a first forced GC, discarded, at the start of the warm-up: the heaps calibration left behind shrink
            // before
            // the first sample counts
            pendingSamples.add(sampler.submit(() -> {
                sample(postgres, 0);
                return null;
            }));
            while (true) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    pendingSamples.add(sampler.submit(() -> {
                        samples.add(sample(postgres, (System.nanoTime() - measureFrom) / 60e9));
                        return null;
                    }));
                    nextSample = nextSample >= end
                            ? Long.MAX_VALUE
                            : Math.min(nextSample + settings.sampleEvery().toNanos(), end);
                }
                int next = 0;
                for (int i = 1; i < n; i++) {
                    if (due[i] < due[next]) {
                        next = i;
                    }
                }
                boolean sending = due[next] < end;
                if (!sending && nextSample == Long.MAX_VALUE) {
                    break;
                }
                long wait = (sending ? Math.min(due[next], nextSample) : nextSample) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                if (!sending || due[next] > System.nanoTime()) {
                    continue;
                }
                int i = next;
                due[i] += interval[i];
                Tally tally = tallies[i];
                if (outstanding[i].get() >= MAX_OUTSTANDING) {
                    tally.error("over " + MAX_OUTSTANDING + " requests waiting for an answer");
                    continue;
                }
                Traffic.Call call = paths.get(i).next().get();
                if (call == null) {
                    tally.error("no input for this call (driver)");
                    continue;
                }
                tally.sent.incrementAndGet();
                outstanding[i].incrementAndGet();
                inFlight.incrementAndGet();
                long sent = System.nanoTime();
                http.sendAsync(call.request(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, failure) -> {
                            try {
                                if (failure != null) {
                                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                                    tally.error(cause.getClass().getSimpleName());
                                } else {
                                    String problem = verify(call, r);
                                    if (problem == null) {
                                        tally.ok.incrementAndGet();
                                        tally.latency(System.nanoTime() - sent);
                                    } else {
                                        tally.error(problem);
                                    }
                                }
                            } finally {
                                outstanding[i].decrementAndGet();
                                inFlight.decrementAndGet();
                            }
                        });
            }
            long drainUntil = System.nanoTime() + Traffic.TIMEOUT.toNanos() + 5_000_000_000L;
            while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
                LockSupport.parkNanos(10_000_000);
            }
            for (java.util.concurrent.Future<?> f : pendingSamples) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            sampler.shutdownNow();
        }
        return end - measureFrom;
    }

    /**
     * One sample of every service, then a second forced GC of each: the heap after GC is the smaller of the two, so
     * a sign-in whose 19 MiB Argon2 buffer happened to be live at one collection does not read as growth.
     */
    private Sample sample(Connection postgres, double minutes) throws Exception {
        String clients = ResourceProbe.clientList();
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        for (ResourceProbe p : probes) {
            values.put(p.service, p.sample(postgres, clients));
        }
        for (ResourceProbe p : probes) {
            values.get(p.service).merge("heapAfterGcMiB", p.heapAfterFullGcMiB(), Math::min);
        }
        return new Sample(minutes, values);
    }

    private static String verify(Traffic.Call call, HttpResponse<String> r) {
        if (r.statusCode() != call.expected()) {
            String body = r.body() == null ? "" : r.body();
            return "status " + r.statusCode() + " (expected " + call.expected() + ") "
                    + r.request().method() + " " + r.request().uri().getPath() + ": "
                    + body.substring(0, Math.min(80, body.length()));
        }
        try {
            return call.check().verify(r);
        } catch (Exception e) {
            return "unreadable answer: " + e.getClass().getSimpleName();
        }
    }
}
