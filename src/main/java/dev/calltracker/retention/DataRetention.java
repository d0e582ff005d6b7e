package dev.calltracker.retention;

import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Forgets, on its schedule ({@code retention.every}), what the service no longer needs to keep: the raw Twilio
 * parameters of old events, old reconciler runs and webhook events long dead ({@link RetentionConfig}). Each batch is one short statement
 * on the background database (it waits behind the callbacks for a connection, never before them); replicas
 * running it at the same time skip each other's rows. Counts rows per table
 * ({@code calltracker.retention.purged{table}}) and logs one line per run.
 */
@ApplicationScoped
public class DataRetention {

    private static final Logger LOG = Logger.getLogger(DataRetention.class);

    /**
     * One kind of row that expires: its name (the metric's tag), its batch statement, and how long it is kept
     * (empty: for ever; the setting is checked at start-up by ConfigurationCheck).
     */
    record Rule(String name, String sql, Optional<Duration> keepFor) {
    }

    private final Database database;
    private final RetentionConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final List<Rule> rules;

    public DataRetention(Database database, RetentionConfig config, MeterRegistry registry, Clock clock) {
        this.database = database.forBackgroundWork();
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.rules = List.of(
                new Rule("call_events.params", SqlFile.load("purge-event-params.sql"), RetentionConfig.period(config.eventParams())),
                new Rule("reconcile_runs", SqlFile.load("purge-reconcile-runs.sql"), RetentionConfig.period(config.reconcileRuns())),
                new Rule("webhook_outbox.dead", SqlFile.load("purge-dead-webhooks.sql"), RetentionConfig.period(config.webhooksDead())));
    }

    @Scheduled(identity = "data-retention", every = "${retention.every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return run().onFailure().invoke(f -> LOG.warnf("Retention run failed: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One run: every rule in turn, batch after batch, until nothing is left to forget or the time limit. */
    public Uni<Map<String, Long>> run() {
        long started = System.nanoTime();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        Map<String, Long> purged = new LinkedHashMap<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Rule rule : rules) {
            if (rule.keepFor().isPresent()) {
                OffsetDateTime cutOff = now.minus(rule.keepFor().get());
                all = all.chain(() -> purge(rule, cutOff, started, 0L)).invoke(n -> purged.put(rule.name(), n)).replaceWithVoid();
            }
        }
        return all.map(ignored -> {
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            LOG.infof("Retention: %s; %d ms", purged.isEmpty() ? "every period is off"
                    : purged.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                            .collect(Collectors.joining(", ")) + " purged", ms);
            return purged;
        });
    }

    private Uni<Long> purge(Rule rule, OffsetDateTime cutOff, long started, long soFar) {
        return database.query(rule.sql(), Tuple.of(cutOff, config.batchSize())).flatMap(rows -> {
            int n = rows.rowCount();
            registry.counter("calltracker.retention.purged", "table", rule.name()).increment(n);
            boolean more = n == config.batchSize()
                    && System.nanoTime() - started < config.runTimeLimit().toNanos();
            return more ? purge(rule, cutOff, started, soFar + n) : Uni.createFrom().item(soFar + n);
        });
    }
}
