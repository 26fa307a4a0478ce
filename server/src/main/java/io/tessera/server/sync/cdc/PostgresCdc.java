package io.tessera.server.sync.cdc;

import io.tessera.ingest.IngestReceipt;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.RequestVerdict;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Change-data-capture of one PostgreSQL table into profiles by logical replication with the
 * built-in {@code pgoutput} plugin (no extension, no Debezium): each committed insert or update of
 * a row becomes an identify call ({@code userId} = the key column, traits = the mapped columns, the
 * event time = the commit time), a delete sets the {@link CdcSource#deletedTrait} to {@code true}.
 *
 * <p><b>No loss, no duplicates.</b> A transaction's calls go down the normal ingestion path as one
 * batch; only when the log has made them durable is the transaction's end LSN confirmed to the
 * slot. After a crash or restart the server resends from the confirmed LSN, so a transaction is at
 * worst sent twice — and then its calls carry the same message ids
 * ({@code cdc:{name}:{commit LSN}:{n-th change}}) and the log drops them.
 *
 * <p>One replication connection per slot: a second node configured alike is refused by the server
 * while the first streams, and keeps retrying (every 5 s) — a warm standby. The slot and the
 * publication are created on first start when missing (which needs the REPLICATION privilege and
 * ownership of the table; a DBA may create them beforehand instead).
 *
 * <p>Threading: one daemon thread owns the connections and the decoder; {@link #close} stops it.
 */
public final class PostgresCdc implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCdc.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BATCH = 500;

    private final CdcSource source;
    private final Ingestor ingestor;
    private final Thread thread;
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean running = true;
    private volatile Optional<String> lastError = Optional.empty();

    public PostgresCdc(CdcSource source, Ingestor ingestor) {
        this.source = source;
        this.ingestor = ingestor;
        this.thread = new Thread(this::run, "tessera-cdc-" + source.name());
        this.thread.setDaemon(true);
    }

    public PostgresCdc start() {
        thread.start();
        return this;
    }

    /** Row changes made durable since start. */
    public long changes() {
        return changes.get();
    }

    /** The last failure (connection, slot in use, …), cleared by the next stream that starts. */
    public Optional<String> lastError() {
        return lastError;
    }

    private void run() {
        while (running) {
            try {
                prepare();
                stream();
            } catch (SQLException | RuntimeException e) {
                lastError = Optional.of(e.getMessage());
                LOG.warn("cdc {}: {} (retrying in 5 s)", source.name(), e.getMessage());
                pause(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Creates the publication and the slot when missing. */
    private void prepare() throws SQLException {
        try (Connection c = connect(false)) {
            if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", source.publication())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE PUBLICATION " + source.publication() + " FOR TABLE " + source.table());
                }
            }
            if (!exists(c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", source.slot())) {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                    s.setString(1, source.slot());
                    s.execute();
                }
            }
        }
    }

    private void stream() throws SQLException, InterruptedException {
        try (Connection c = connect(true)) {
            PGReplicationStream stream = c.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                    .withSlotName(source.slot()).withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", source.publication())
                    .withStatusInterval(1, TimeUnit.SECONDS).start();
            lastError = Optional.empty();
            PgOutputDecoder decoder = new PgOutputDecoder();
            List<Map<String, Object>> calls = new ArrayList<>();
            long commitLsn = 0;
            java.time.Instant commitTime = java.time.Instant.EPOCH;
            while (running) {
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    Thread.sleep(10);
                    continue;
                }
                switch (decoder.decode(message)) {
                    case PgOutputDecoder.Message.Begin b -> {
                        calls.clear();
                        commitLsn = b.finalLsn();
                        commitTime = b.commitTime();
                    }
                    case PgOutputDecoder.Message.Change ch when isSource(ch.relation()) ->
                            call(ch, commitLsn, calls.size(), commitTime).ifPresent(calls::add);
                    case PgOutputDecoder.Message.Commit commit -> {
                        if (!calls.isEmpty()) {
                            ingest(calls);
                            changes.addAndGet(calls.size());
                            calls.clear();
                        }
                        LogSequenceNumber done = LogSequenceNumber.valueOf(commit.endLsn());
                        stream.setAppliedLSN(done);
                        stream.setFlushedLSN(done);
                        stream.forceUpdateStatus();
                    }
                    default -> { }
                }
            }
            stream.close();
        }
    }

    private boolean isSource(PgOutputDecoder.Relation r) {
        return r.name().equals(source.tableName()) && source.schema().map(r.namespace()::equals).orElse(true);
    }

    /** The identify call of one row change; empty when the row has no key value. */
    private Optional<Map<String, Object>> call(PgOutputDecoder.Message.Change ch, long commitLsn, int n, java.time.Instant at) {
        Optional<Object> key = ch.values().getOrDefault(source.keyColumn(), Optional.empty());
        if (key.isEmpty()) {
            LOG.warn("cdc {}: a {} without {} skipped", source.name(), ch.kind(), source.keyColumn());
            return Optional.empty();
        }
        Map<String, Object> traits = new LinkedHashMap<>();
        if (ch.kind() == PgOutputDecoder.Kind.DELETE) {
            traits.put(source.deletedTrait(), true);
        } else {
            ch.values().forEach((column, value) -> {
                String trait = source.traits().isEmpty() ? (column.equals(source.keyColumn()) ? null : column) : source.traits().get(column);
                if (trait != null) {
                    traits.put(trait, value.orElse(null)); // SQL NULL clears the trait (a null trait is unset)
                }
            });
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "identify");
        call.put("userId", key.get().toString());
        call.put("traits", traits);
        call.put("timestamp", at.toString());
        call.put("messageId", "cdc:" + source.name() + ":" + LogSequenceNumber.valueOf(commitLsn).asString() + ":" + n);
        return Optional.of(call);
    }

    /** Sends one transaction's calls, in batches within the ingestion limits, and waits until they are durable (or quarantined). */
    private void ingest(List<Map<String, Object>> calls) {
        for (int i = 0; i < calls.size(); i += BATCH) {
            ingestBatch(calls.subList(i, Math.min(calls.size(), i + BATCH)));
        }
    }

    private void ingestBatch(List<Map<String, Object>> calls) {
        String from = "cdc:" + source.name();
        RequestVerdict v = ingestor.parse(Optional.empty(), JSON.writeValueAsBytes(Map.of("batch", calls)), from);
        if (v instanceof RequestVerdict.Parsed p) {
            IngestReceipt r = ingestor.ingest(p, from).join();
            if (!r.rejected().isEmpty()) {
                LOG.warn("cdc {}: {} change(s) quarantined", source.name(), r.rejected().size());
            }
        } else if (v instanceof RequestVerdict.Invalid invalid) {
            throw new IllegalStateException("cdc batch refused: " + invalid.reason().message());
        }
    }

    private Connection connect(boolean replication) throws SQLException {
        Properties p = new Properties();
        if (!source.user().isEmpty()) {
            PGProperty.USER.set(p, source.user());
            PGProperty.PASSWORD.set(p, source.password());
        }
        if (replication) {
            PGProperty.REPLICATION.set(p, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
            PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        }
        return DriverManager.getConnection(source.url(), p);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, name);
            return s.executeQuery().next();
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
