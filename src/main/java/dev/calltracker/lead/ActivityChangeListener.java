package dev.calltracker.lead;

import dev.calltracker.db.DatabaseConfig;
import dev.calltracker.db.DatabasePoolCreator;
import dev.calltracker.db.ListeningConnection;
import dev.calltracker.db.Watches;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This replica's one listening connection: {@code LISTEN lead_activity}, where every replica's writes announce
 * a lead's activity change when they commit (payload {@code <lead id>/<change number>}, see save-transition.sql),
 * if someone watches the lead: the connection watches the leads this replica streams ({@link Watches#LEAD_ACTIVITY}).
 * It wakes up the streams of that lead on this replica. The connection is pinged and replaced when it stops
 * answering ({@link ListeningConnection}); once it listens and watches again every stream is woken up, because
 * changes committed meanwhile were announced to nobody: the streams read them from the database.
 */
@ApplicationScoped
public class ActivityChangeListener {

    static final String CHANNEL = "lead_activity";
    /** A wake-up that says "something may have changed", without a number: the stream reads what is there. */
    static final long ANY_CHANGE = Long.MAX_VALUE;

    private static final Logger LOG = Logger.getLogger(ActivityChangeListener.class);

    private final Map<UUID, Set<MultiEmitter<? super Long>>> streamsByLead = new ConcurrentHashMap<>();
    private final ListeningConnection listener;

    public ActivityChangeListener(Vertx vertx, LiveStreamConfig config, DatabaseConfig database, MeterRegistry registry,
                                  @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
                                  @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                                  @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        PgConnectOptions options = PgConnectOptions.fromUri(firstUrl(reactiveUrl));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        listener = new ListeningConnection(vertx, DatabasePoolCreator.forService(options, database),
                new ListeningConnection.Settings(CHANNEL, Watches.LEAD_ACTIVITY, config.listenerPing(), database.connectTimeout(),
                        config.reconnectDelay(), config.reconnectMaxDelay()),
                registry, this::announced, this::listening);
        registry.gauge("calltracker.live.listener.connected", listener, l -> l.listening() ? 1 : 0);
    }

    /** Listens before the service is ready, so the first callbacks' changes are announced to it. */
    void start(@Observes StartupEvent startup) {
        listener.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        listener.stop();
    }

    /**
     * Wake-ups for one stream of this lead: first {@link #ANY_CHANGE} once the lead is watched, then the number of
     * each change announced, or {@link #ANY_CHANGE} after a reconnect. A stream busy reading gets only the latest
     * wake-up: a read returns every change after the stream's position, so earlier ones add nothing.
     */
    public Multi<Long> wakeUps(UUID leadId) {
        int key = Watches.keyOf(leadId);
        return Multi.createFrom().<Long>emitter(emitter -> {
            // Registered, and the lead watched, before the first wake-up: every change committed after the first
            // read started is announced, and one committing meanwhile made the watch wait for it (Watches).
            streamsByLead.compute(leadId, (id, streams) -> {
                Set<MultiEmitter<? super Long>> set = streams != null ? streams : ConcurrentHashMap.newKeySet();
                set.add(emitter);
                return set;
            });
            emitter.onTermination(() -> {
                streamsByLead.computeIfPresent(leadId, (id, streams) -> {
                    streams.remove(emitter);
                    return streams.isEmpty() ? null : streams;
                });
                listener.unwatch(key);
            });
            listener.watch(key).onSuccess(watched -> emitter.emit(ANY_CHANGE));
        }, BackPressureStrategy.LATEST);
    }

    private void announced(String payload) {
        int slash = payload.indexOf('/');
        try {
            UUID leadId = UUID.fromString(payload.substring(0, slash));
            long seq = Long.parseLong(payload.substring(slash + 1));
            streamsByLead.getOrDefault(leadId, Set.of()).forEach(stream -> stream.emit(seq));
        } catch (RuntimeException e) {
            LOG.warnf("Live streams: ignored a notification that is not <lead id>/<number>: %s", payload);
        }
    }

    private void listening() {
        LOG.debug("Live streams: listening on the database connection");
        streamsByLead.values().forEach(streams -> streams.forEach(stream -> stream.emit(ANY_CHANGE)));
    }

    /** The reactive URL as PgConnectOptions reads it: the first of a list, without Quarkus' optional prefix. */
    static String firstUrl(String reactiveUrl) {
        return reactiveUrl.split(",")[0].trim().replaceFirst("^vertx-reactive:", "");
    }
}
