package dev.latch.storage.migration;

/** A migration's progress as the API shows it. */
public record MigrationView(String id, String from, String to, String status, int done, int total, int failed) {

    static MigrationView of(Migration m) {
        return new MigrationView(m.id, m.from.name(), m.to.name(), m.status.name(), m.done, m.total, m.failed);
    }
}
