package dev.eider.export;

import dev.eider.concurrent.Shutdown;
import dev.eider.config.ExportConfig;
import dev.eider.config.ExportSettings.Mode;
import dev.eider.table.Catalog;
import dev.eider.table.TableDef;
import java.nio.file.AccessDeniedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs exports on one thread of their own: scheduled ones when due, requested ones at once, failed
 * ones again after a backoff. Planning and each state change take the writer's lock briefly;
 * acknowledgements never wait for them (they wait for the write-ahead log), nor for the target.
 */
public final class ExportService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExportService.class);
    static final Duration TICK = Duration.ofMillis(250);

    /** The longest wait after failing schedule checks: a database back from an outage is noticed soon. */
    private static final Duration MAX_TICK_BACKOFF = Duration.ofSeconds(10);

    private final ExportStore store;
    private final Catalog catalog;
    private final ExportConfig config;
    private final Clock clock;
    private final PauseHook pause;
    private final Runnable awaitAcknowledged;
    private final Exporter exporter;
    private final WorkFolder work;
    private final ExportListener listener;
    private final RunningExports running;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "eider-export"));
    private volatile Instant started;
    /** The plans this instance made (their change exports' base was checked then); kept while open. */
    private final Set<Long> plannedHere = ConcurrentHashMap.newKeySet();
    /**
     * The plans open at start: each goes on at the first tick, even one waiting out a failure's retry delay, since a
     * restart is often what fixed it (a new-user trial waited up to two minutes after the log said "resuming").
     */
    private final Set<Long> resumeAtOnce = ConcurrentHashMap.newKeySet();
    /**
     * Plans cancelled through this service, until their discard ran on the export thread: a stop may cut short an
     * attempt of one (the store, its thread interrupted, is not asked then).
     */
    private final Set<Long> cancelledHere = ConcurrentHashMap.newKeySet();
    /** Set by {@link #close}: an attempt that fails from then on was cut short by the stop, not failed. */
    private volatile boolean stopping;
    /** Touched only on the export thread. */
    private TickBackoff tickBackoff = TickBackoff.NONE;

    /**
     * @param awaitAcknowledged blocks until every write acknowledged so far is in the store, so that an
     *     export planned after a 200 includes that write
     */
    public ExportService(
            ExportStore store,
            Catalog catalog,
            ExportConfig config,
            ExportTarget target,
            Clock clock,
            PauseHook pause,
            Runnable awaitAcknowledged) {
        this(store, catalog, config, target, clock, pause, awaitAcknowledged, ExportListener.NONE);
    }

    /** As the constructor above, telling {@code listener} how each attempt ends. */
    public ExportService(
            ExportStore store,
            Catalog catalog,
            ExportConfig config,
            ExportTarget target,
            Clock clock,
            PauseHook pause,
            Runnable awaitAcknowledged,
            ExportListener listener) {
        this.listener = listener;
        this.running = new RunningExports(clock);
        this.store = store;
        this.awaitAcknowledged = awaitAcknowledged;
        this.catalog = catalog;
        this.config = config;
        this.clock = clock;
        this.pause = pause;
        this.work = WorkFolder.create(config.workDir());
        this.exporter = new Exporter(
                store, target, config, clock, pause, work.path(), cancelledHere::contains, plannedHere::contains);
    }

    /** Resumes unfinished plans and starts the schedule. */
    public void start() {
        started = clock.instant();
        List<ExportPlan> open = store.openPlans();
        open.forEach(p -> {
            resumeAtOnce.add(p.id());
            ExportEvents.about(log.atInfo(), "export_resumed", p).log("resuming an unfinished export");
        });
        thread.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Plans an export of the table now (mode null: as its schedule would) and runs it soon.
     *
     * @throws ExportBusyException when the table has an open export
     */
    public ExportPlan request(String table, Mode mode) {
        TableDef t = catalog.require(table);
        // Before asking the target what it holds (mode): an open plan answers at once.
        store.open(table).ifPresent(open -> {
            throw new ExportBusyException(table, open.id());
        });
        ExportPlan plan = plan(t, mode(t, mode), clock.instant());
        ExportEvents.about(log.atInfo(), "export_planned", plan)
                .addKeyValue("trigger", "request")
                .log("export planned");
        thread.execute(this::tick);
        return plan;
    }

    public Optional<ExportPlan> find(long id) {
        return store.find(id);
    }

    public List<ExportPlan> list(int limit) {
        return store.list(limit);
    }

    /** Exports whose last attempt failed and that are retried, oldest first. */
    public List<ExportPlan> failing() {
        return store.openPlans().stream()
                .filter(p -> p.state() == ExportState.FAILED)
                .toList();
    }

    /**
     * Cancels an open export: it is marked cancelled at once and the table is free for a new plan; what it
     * uploaded without a manifest is deleted on the export thread (after an attempt still running there).
     *
     * @throws java.util.NoSuchElementException when there is no such export
     * @throws ExportClosedException when it already succeeded, was skipped or was cancelled
     */
    public ExportPlan cancel(long id) {
        ExportPlan plan = store.find(id).orElseThrow();
        if (!plan.state().isOpen()) {
            throw new ExportClosedException(id, plan.state());
        }
        // An attempt at work here is recorded with the cancel: it began, though it recorded nothing yet (a trial).
        Optional<ExportPlan> attempt = running.of(id).flatMap(p -> p.attemptOf(plan));
        ExportPlan cancelled =
                store.cancel(id, catalog.require(plan.table()), clock.instant(), "cancelled by request", attempt);
        log.atInfo()
                .addKeyValue("event", "export_cancelled")
                .addKeyValue("export", id)
                .addKeyValue("table", cancelled.table())
                .log("export cancelled: {}", Exporter.describe(cancelled));
        cancelledHere.add(id);
        exporter.interruptUploads(id);
        thread.execute(() -> discard(cancelled));
        return cancelled;
    }

    /** How far a running export has got, if it is running in this service now. */
    public Optional<RunningExports.Progress> progress(long id) {
        return running.of(id);
    }

    /** The newest succeeded snapshot and the succeeded change exports after it, oldest first. */
    public List<ExportPlan> chain(String table) {
        return store.chain(table);
    }

    /** Finishes an open plan of the table if there is one, then plans and runs one export, on the calling thread. */
    public ExportPlan runNow(TableDef table, Mode mode, ExportProgress progress) {
        ExportPlan plan = planNow(table, mode, progress);
        progress.report(plan, "planned " + Exporter.describe(plan));
        return execute(plan, table, progress)
                .orElseThrow(() -> new IllegalStateException(
                        store.find(plan.id()).map(ExportPlan::error).orElse("export failed")));
    }

    private ExportPlan planNow(TableDef table, Mode mode, ExportProgress progress) {
        try {
            return plan(table, mode(table, mode), clock.instant());
        } catch (ExportBusyException busy) {
            // Planning looks for an open plan as it makes one (DuckDB in what it keeps, PostgreSQL in the same query):
            // no look of its own first.
            ExportPlan open = store.open(table.name()).orElseThrow(() -> busy);
            progress.report(open, "finishing an unfinished export first");
            execute(open, table, progress);
            return plan(table, mode(table, mode), clock.instant());
        }
    }

    private void tick() {
        if (started == null) {
            // Not started (role ingest): requested plans wait for an instance that runs exports.
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(tickBackoff.resumeAt())) {
            return;
        }
        try {
            for (TableDef t : catalog.tables()) {
                tick(t, now);
            }
            tickBackoff = TickBackoff.NONE;
        } catch (Throwable e) {
            if (thread.isShutdown()) {
                return;
            }
            // Keeps the schedule alive: scheduleWithFixedDelay ends the task for good, silently, on anything
            // thrown, so even an Error (say an OutOfMemoryError during one export) must end here. A failing
            // check waits longer each time (a database that stopped for good logged four stack traces a second).
            tickBackoff = tickBackoff.after(now);
            log.atError()
                    .addKeyValue("event", "export_tick_failed")
                    .addKeyValue("retry_in", tickBackoff.delay())
                    .setCause(e)
                    .log("export schedule check failed: {}", e.toString());
        }
    }

    /** How long the schedule check waits after failing checks: 1 s, doubling to 10 s. */
    private record TickBackoff(Duration delay, Instant resumeAt) {

        static final TickBackoff NONE = new TickBackoff(Duration.ZERO, Instant.MIN);

        TickBackoff after(Instant failedAt) {
            Duration next = delay.isZero() ? Duration.ofSeconds(1) : delay.multipliedBy(2);
            next = next.compareTo(MAX_TICK_BACKOFF) > 0 ? MAX_TICK_BACKOFF : next;
            return new TickBackoff(next, failedAt.plus(next));
        }
    }

    private void tick(TableDef t, Instant now) {
        try {
            Optional<ExportPlan> open = store.open(t.name());
            if (open.isPresent()) {
                ExportPlan p = open.get();
                boolean resumed = resumeAtOnce.remove(p.id());
                if (resumed
                        || p.state() != ExportState.FAILED
                        || p.nextAttemptAt() == null
                        || !now.isBefore(p.nextAttemptAt())) {
                    execute(p, t, running);
                }
            } else if (ExportSchedule.isDue(config.forTable(t.name()), store.lastPlannedAt(t.name()), started, now)) {
                ExportPlan p = plan(t, mode(t, null), now);
                ExportEvents.about(log.atInfo(), "export_planned", p)
                        .addKeyValue("trigger", "schedule")
                        .log("export planned");
                execute(p, t, running);
            }
        } catch (ExportTargetUnreadableException e) {
            // Only this table's plan waits: the next tick asks the target again.
            log.atWarn()
                    .addKeyValue("event", "export_not_planned")
                    .addKeyValue("table", t.name())
                    .addKeyValue("reason", e.getMessage())
                    .log("export not planned: the target cannot be read");
        } catch (ExportBusyException | ExportFencedException e) {
            // A request planned one between our look and our plan, or another instance holds the table's
            // export lease (PostgreSQL): the next tick looks again.
            log.atDebug()
                    .addKeyValue("event", "export_busy")
                    .addKeyValue("table", t.name())
                    .addKeyValue("reason", e.getMessage())
                    .log("export busy");
        }
    }

    private ExportPlan plan(TableDef table, Mode mode, Instant at) {
        awaitAcknowledged.run();
        ExportPlan plan = store.plan(table, mode, at);
        plannedHere.add(plan.id());
        return plan;
    }

    /** Cancels such a plan: the schedule's next export of the table is then a snapshot at this target. */
    private ExportPlan giveWayToSnapshot(ExportPlan plan, TableDef table, ExportProgress progress) {
        String reason = "export.target does not hold the exports this change export extends (it changed, or its"
                + " objects were deleted, since the export was planned); cancelled so that a snapshot starts the"
                + " table over there";
        ExportPlan cancelled;
        try {
            cancelled = store.cancel(plan.id(), table, clock.instant(), reason);
        } catch (ExportClosedException closedMeanwhile) {
            return store.find(plan.id()).orElseThrow(); // by a cancel through the API, on another instance too
        }
        ExportEvents.about(log.atWarn(), "export_cancelled", cancelled)
                .addKeyValue("reason", "target_lacks_base")
                .log(reason);
        progress.report(cancelled, reason);
        cancelledHere.add(cancelled.id());
        discard(cancelled);
        return cancelled;
    }

    private void discard(ExportPlan cancelled) {
        plannedHere.remove(cancelled.id());
        try {
            exporter.discard(cancelled);
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "export_discard_failed")
                    .addKeyValue("export", cancelled.id())
                    .addKeyValue("error", describe(e))
                    .log("cannot discard a cancelled export's objects");
        } finally {
            cancelledHere.remove(cancelled.id());
        }
    }

    private Optional<ExportPlan> execute(ExportPlan plan, TableDef table, ExportProgress progress) {
        if (plan.state() == ExportState.PLANNED) {
            pause.at("planned", plan.id());
        }
        long t0 = System.nanoTime();
        Instant started = clock.instant();
        running.started(plan, started);
        try {
            ExportPlan done = exporter.run(plan, table, progress);
            plannedHere.remove(plan.id());
            listener.succeeded(done, Duration.ofNanos(System.nanoTime() - t0));
            ExportEvents.about(log.atInfo(), "export_" + done.state().wireName(), done)
                    .addKeyValue("rows", done.rows())
                    .addKeyValue("bytes", done.bytes())
                    .addKeyValue("files", done.files().size())
                    .addKeyValue("ms", (System.nanoTime() - t0) / 1_000_000)
                    .log("export " + done.state().wireName());
            return Optional.of(done);
        } catch (ExportClosedException e) {
            // Cancelled while this attempt ran: it recorded nothing; drop what it uploaded.
            log.atInfo()
                    .addKeyValue("event", "export_attempt_abandoned")
                    .addKeyValue("export", plan.id())
                    .addKeyValue("reason", e.getMessage())
                    .log("export attempt abandoned");
            store.find(plan.id()).ifPresent(this::discard);
            progress.report(plan, e.getMessage());
            return Optional.empty();
        } catch (ExportBusyException | ExportFencedException e) {
            // Another instance runs (or took over) this table's export: the state is its to record.
            throw e;
        } catch (ExportBaseMissingException e) {
            return Optional.of(giveWayToSnapshot(plan, table, progress));
        } catch (RuntimeException e) {
            if (stopping) {
                // Not a failure: the plan stays as it is (planned, or running with its file list) and the next start
                // goes on with it at once, rather than after a failed attempt's retry delay. One cancelled meanwhile
                // does not go on (a new-user trial read "goes on" for it).
                boolean cancelled = cancelledHere.contains(plan.id());
                ExportEvents.about(log.atInfo(), cancelled ? "export_attempt_abandoned" : "export_interrupted", plan)
                        .log(
                                cancelled
                                        ? "the export was cancelled and the service stopped during its attempt"
                                        : "the service stopped during the export; it goes on at the next start");
                return Optional.empty();
            }
            // Cancelled while the attempt ran, which then failed (a store that went away, say): nothing is retried (a
            // trial read "export failed; it is retried" for it). A cancel here queued the discard; one on another
            // instance did not.
            boolean cancelled = cancelledHere.contains(plan.id());
            Optional<ExportPlan> cancelledElsewhere = cancelled
                    ? Optional.empty()
                    : store.find(plan.id()).filter(p -> p.state() == ExportState.CANCELLED);
            if (cancelled || cancelledElsewhere.isPresent()) {
                ExportEvents.about(log.atInfo(), "export_attempt_abandoned", plan)
                        .addKeyValue("reason", describe(e))
                        .log("export attempt abandoned: the export was cancelled during it");
                cancelledElsewhere.ifPresent(this::discard);
                progress.report(plan, "cancelled");
                return Optional.empty();
            }
            // The exporter numbers its attempt one above those recorded in the plan it was given.
            int attempts = plan.attempts() + 1;
            Instant retry = clock.instant().plus(ExportSchedule.retryAfter(attempts));
            String error = describe(e);
            store.failed(plan.asAttempt(attempts, started), clock.instant(), error, retry);
            listener.failed(plan, error, Duration.ofNanos(System.nanoTime() - t0));
            ExportEvents.about(log.atWarn(), "export_failed", plan)
                    .addKeyValue("attempts", attempts)
                    .addKeyValue("retry_at", retry.toString()) // an Instant is a number of seconds in JSON logs
                    .addKeyValue("error", error)
                    .log("export failed; it is retried");
            progress.report(plan, "failed: " + error);
            return Optional.empty();
        } finally {
            running.finished(plan.id());
        }
    }

    /**
     * The failure and what caused it, for the export's {@code error}: "cannot stage …" alone did not say that
     * the folder refused the write (a new-user trial), which only its cause's message does. The exception's
     * class names Eider's internals, so it is said only when there is no message.
     */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(
                e.getMessage() == null || e.getMessage().isBlank()
                        ? e.getClass().getSimpleName()
                        : e.getMessage());
        // Below a target's failure (said in plain words) is only the AWS SDK's text: retries, request ids.
        for (Throwable cause = e instanceof TargetException ? null : e.getCause();
                cause != null && cause != cause.getCause();
                cause = cause instanceof TargetException ? null : cause.getCause()) {
            String reason = cause instanceof AccessDeniedException
                    ? cause.getMessage() + ": permission denied"
                    : cause.getMessage();
            if (reason != null && text.indexOf(reason) < 0) {
                text.append(": ").append(reason);
            }
        }
        return text.toString();
    }

    /**
     * The mode a plan of the table takes: {@code requested}, or as its schedule would when null. A change
     * export extends the exports already at the target, so where the target does not hold them (see {@link
     * Exporter#holdsChain}) the schedule takes a snapshot, and a requested change export is refused.
     */
    private Mode mode(TableDef t, Mode requested) {
        if (requested == Mode.SNAPSHOT) {
            return requested; // extends nothing: neither the chain nor the target need asking
        }
        List<ExportPlan> chain = store.chain(t.name());
        boolean targetHoldsChain = exporter.holdsChain(t.name(), chain);
        if (requested != null) {
            if (!targetHoldsChain) {
                throw new ExportBaseMissingException(t.name(), chain.get(chain.size() - 1));
            }
            return requested;
        }
        boolean hasSnapshot =
                targetHoldsChain && !chain.isEmpty() && chain.get(0).mode() == Mode.SNAPSHOT;
        return ExportSchedule.mode(config.forTable(t.name()), store.changesSinceSnapshot(t.name()), hasSnapshot);
    }

    @Override
    public void close() {
        stopping = true;
        // The attempt in flight is interrupted and given its time to stop (an upload's try may need it).
        Shutdown.now(thread, "the export thread", Duration.ofSeconds(30));
        exporter.close();
        work.close();
    }
}
