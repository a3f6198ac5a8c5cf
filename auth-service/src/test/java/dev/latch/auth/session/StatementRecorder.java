package dev.latch.auth.session;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * The SQL Hibernate really sends, as {@link HotPathQueryPlanTest} explains it: test sources only, and a
 * pass-through except on a thread inside {@link #record}.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class StatementRecorder implements StatementInspector {

    private static final ThreadLocal<List<String>> RECORDING = new ThreadLocal<>();

    @Override
    public String inspect(String sql) {
        List<String> recording = RECORDING.get();
        if (recording != null) {
            recording.add(sql);
        }
        return sql;
    }

    /** The statements {@code flow} prepared on this thread, in order. */
    static List<String> record(Runnable flow) {
        List<String> statements = new ArrayList<>();
        RECORDING.set(statements);
        try {
            flow.run();
        } finally {
            RECORDING.remove();
        }
        return statements;
    }
}
