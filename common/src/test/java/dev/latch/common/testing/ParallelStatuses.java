package dev.latch.common.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sends requests at once, one thread each, and counts the statuses they were answered with. */
public final class ParallelStatuses {

    /** One request: the {@code i}-th of the batch, answering its HTTP status. */
    public interface Call {
        int status(int i) throws Exception;
    }

    private ParallelStatuses() {}

    /** {@code count} requests at once: how many answered each status, by status. */
    public static Map<Integer, Integer> of(int count, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(pool.submit((Callable<Integer>) () -> call.status(n)));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> f : answers) {
                statuses.merge(f.get(), 1, Integer::sum);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
