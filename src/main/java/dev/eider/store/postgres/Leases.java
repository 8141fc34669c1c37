package dev.eider.store.postgres;

import dev.eider.concurrent.Shutdown;
import dev.eider.export.ExportBusyException;
import dev.eider.export.ExportFencedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exporter per table across instances: a lease row per table with a holder, an expiry and a
 * fencing epoch that grows each time the lease changes hands. A holder renews its leases in the
 * background while it runs; every change of export state first proves, in the same transaction and
 * under the lease row's lock, that its holder and epoch are still current, so a holder that paused
 * past its expiry cannot commit anything once another took over.
 */
final class Leases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    private final DataSource pool;
    private final String holder;
    private final Duration ttl;
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    /**
     * @param renewEvery how often held leases are renewed; well below {@code ttl}
     */
    Leases(DataSource pool, String holder, Duration ttl, Duration renewEvery) {
        this.pool = pool;
        this.holder = holder;
        this.ttl = ttl;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eider-lease-renewer");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleWithFixedDelay(
                this::renewAll, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    String holder() {
        return holder;
    }

    /**
     * Holds the table's lease from here (renewed if already held, taken if free or expired), inside
     * the caller's transaction.
     *
     * @throws ExportBusyException when another live holder has it
     */
    long acquire(Connection c, String table) throws SQLException {
        Long epoch = held.get(table);
        if (epoch != null && extend(c, table, epoch)) {
            return epoch;
        }
        held.remove(table);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO _eider_leases VALUES (?, ?, 1, clock_timestamp() + ?) "
                        + "ON CONFLICT (table_name) DO UPDATE SET holder = excluded.holder, epoch = _eider_leases.epoch + 1, "
                        + "expires_at = excluded.expires_at WHERE _eider_leases.expires_at <= clock_timestamp() RETURNING epoch")) {
            ps.setString(1, table);
            ps.setString(2, holder);
            ps.setObject(3, interval());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ExportBusyException(table, -1);
                }
                long taken = rs.getLong(1);
                held.put(table, taken);
                log.atInfo()
                        .addKeyValue("event", "export_lease_taken")
                        .addKeyValue("table", table)
                        .addKeyValue("holder", holder)
                        .addKeyValue("epoch", taken)
                        .log("export lease taken");
                return taken;
            }
        }
    }

    /**
     * Proves, inside the caller's transaction, that this holder still holds the table's lease at the
     * epoch it took, and locks the lease row until that transaction ends.
     *
     * @throws ExportFencedException when the lease expired or changed hands
     */
    void check(Connection c, String table) throws SQLException {
        Long epoch = held.get(table);
        if (epoch == null || !extend(c, table, epoch)) {
            held.remove(table);
            throw new ExportFencedException(table, holder, epoch == null ? 0 : epoch);
        }
    }

    /** Lets the lease go at once (it keeps its epoch, so the next holder's is higher). */
    void release(String table) {
        Long epoch = held.remove(table);
        if (epoch == null) {
            return;
        }
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE _eider_leases SET expires_at = clock_timestamp() "
                        + "WHERE table_name = ? AND holder = ? AND epoch = ?")) {
            ps.setString(1, table);
            ps.setString(2, holder);
            ps.setLong(3, epoch);
            ps.executeUpdate();
        } catch (SQLException e) {
            log.atWarn()
                    .addKeyValue("event", "export_lease_release_failed")
                    .addKeyValue("table", table)
                    .addKeyValue("error", e.toString())
                    .log("export lease not released; it expires by itself");
        }
    }

    private boolean extend(Connection c, String table, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE _eider_leases SET expires_at = clock_timestamp() + ? "
                + "WHERE table_name = ? AND holder = ? AND epoch = ? AND expires_at > clock_timestamp()")) {
            ps.setObject(1, interval());
            ps.setString(2, table);
            ps.setString(3, holder);
            ps.setLong(4, epoch);
            return ps.executeUpdate() == 1;
        }
    }

    private void renewAll() {
        for (Map.Entry<String, Long> e : held.entrySet()) {
            try (Connection c = pool.getConnection()) {
                if (!extend(c, e.getKey(), e.getValue())) {
                    held.remove(e.getKey(), e.getValue());
                    log.atWarn()
                            .addKeyValue("event", "export_lease_lost")
                            .addKeyValue("table", e.getKey())
                            .addKeyValue("holder", holder)
                            .addKeyValue("epoch", e.getValue())
                            .log("export lease lost");
                }
            } catch (SQLException | RuntimeException ex) {
                log.atWarn()
                        .addKeyValue("event", "export_lease_renew_failed")
                        .addKeyValue("table", e.getKey())
                        .addKeyValue("error", ex.toString())
                        .log("export lease not renewed");
            }
        }
    }

    private org.postgresql.util.PGInterval interval() throws SQLException {
        return new org.postgresql.util.PGInterval(0, 0, 0, 0, 0, ttl.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        Shutdown.now(renewer, "the export lease renewer");
        held.keySet().forEach(this::release);
    }
}
