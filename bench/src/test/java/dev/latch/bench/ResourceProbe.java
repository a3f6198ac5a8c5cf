package dev.latch.bench;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.tools.attach.VirtualMachine;
import dev.latch.common.testing.RedisProbe;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Samples one service process from outside, as an operator would: heap after a forced full GC and live threads
 * over JMX (the JDK's local management agent, started through the Attach API — no flag on the service's command
 * line), RSS ({@code VmRSS}) and open file descriptors from {@code /proc/<pid>}, its PostgreSQL connections
 * ({@code pg_stat_activity} of its database) and Redis connections ({@code CLIENT LIST}, its database index).
 * The JMX connection is opened once, before the first sample, so its own socket and threads are a constant.
 */
final class ResourceProbe implements AutoCloseable {

    static final List<String> METRICS =
            List.of("heapAfterGcMiB", "rssMiB", "fds", "inbound", "threads", "dbConnections", "redisConnections");

    final String service;
    private final long pid;
    private final int port;
    private final String database;
    private final int redisDb;
    private final JMXConnector jmx;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;
    private final List<GarbageCollectorMXBean> collectors;
    private final Set<String> heapPools;

    ResourceProbe(String service, long pid, int port, String database, int redisDb) throws Exception {
        this.service = service;
        this.pid = pid;
        this.port = port;
        this.database = database;
        this.redisDb = redisDb;
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection c = jmx.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        threads = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        collectors =
                c
                        .queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)
                        .stream()
                        .map(n -> newProxy(c, n.toString(), GarbageCollectorMXBean.class))
                        .toList();
        heapPools = c.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null).stream()
                .map(n -> newProxy(c, n.toString(), MemoryPoolMXBean.class))
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
    }

    private static <T> T newProxy(MBeanServerConnection c, String name, Class<T> type) {
        try {
            return ManagementFactory.newPlatformMXBeanProxy(c, name, type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One sample: metric name → value, in the order of {@link #METRICS}. */
    Map<String, Double> sample(Connection postgres, String clientList) throws IOException, SQLException {
        // the counts first: the forced GC pauses the service, and answers held up by the pause open extra connections
        double rss = rssKib() / 1024.0;
        long[] fds = fds();
        double threadCount = threads.getThreadCount();
        double db = dbConnections(postgres);
        double redis = redisDb < 0 ? 0.0 : redisConnections(clientList, redisDb);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("heapAfterGcMiB", heapAfterFullGcMiB());
        values.put("rssMiB", rss);
        values.put("fds", (double) fds[0] - fds[1]);
        values.put("inbound", (double) fds[1]);
        values.put("threads", threadCount);
        values.put("dbConnections", db);
        values.put("redisConnections", redis);
        return values;
    }

    /**
     * Forces a full collection ({@code System.gc()}: a full GC with G1) and sums the heap pools as that collection
     * left them — read from the full collector's last GcInfo, not from a young collection the load may have
     * triggered right after.
     */
    double heapAfterFullGcMiB() {
        Map<String, Long> before = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : collectors) {
            before.put(gc.getName(), gc.getCollectionCount());
        }
        memory.gc();
        GcInfo full = null;
        for (GarbageCollectorMXBean gc : collectors) {
            String name = gc.getName();
            boolean fullCollector = name.contains("Old") || name.contains("MarkSweep") || name.contains("Full");
            if (fullCollector && gc.getCollectionCount() > before.get(name)) {
                full = gc.getLastGcInfo();
            }
        }
        if (full == null) {
            // a collector of another name: the heap right after the call
            return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : full.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used / 1048576.0;
    }

    private long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /**
     * Open descriptors and, among them, the established connections to the service's own HTTP port: those are the
     * load generator's keep-alive pool (it grows with a burst and shrinks 15 s after), not something the service
     * holds on its own, so the bound applies to the others — a socket to PostgreSQL, Redis, S3 or auth-service, a
     * file, a pipe — and an inbound connection the service failed to close (CLOSE_WAIT) still counts there.
     */
    private long[] fds() throws IOException {
        Map<String, Boolean> inboundSockets = new java.util.HashMap<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                int localPort = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                boolean established = "01".equals(f[3]);
                inboundSockets.put(f[9], localPort == port && established);
            }
        }
        long all = 0;
        long inbound = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                all++;
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")
                            && inboundSockets.getOrDefault(target.substring(8, target.length() - 1), false)) {
                        inbound++;
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        }
        return new long[] {all, inbound};
    }

    private long dbConnections(Connection postgres) throws SQLException {
        try (var ps = postgres.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String clientList() {
        return RedisProbe.command("CLIENT", "LIST");
    }

    static long redisConnections(String clientList, int db) {
        String field = " db=" + db + " ";
        return clientList.lines().filter(l -> l.contains(field)).count();
    }

    /** The sampler's own connection, to the {@code postgres} database, so it is counted in none of the services'. */
    static Connection postgres() throws SQLException {
        String server = System.getenv().getOrDefault("LATCH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        return DriverManager.getConnection(
                server + "postgres",
                System.getenv().getOrDefault("LATCH_TEST_PG_USER", "postgres"),
                System.getenv().getOrDefault("PGPASSWORD", ""));
    }

    @Override
    public void close() {
        try {
            jmx.close();
        } catch (IOException e) {
            // the process is gone already
        }
    }
}
