package dev.calltracker.webhook;

import dev.calltracker.config.WebhooksConfig;
import dev.calltracker.webhook.WebhookOutbox.ClaimedWebhook;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Sends due events from the outbox: claims a batch (a lease no other replica shares), POSTs each one signed, then
 * deletes the delivered ones and reschedules the others with exponential back-off and jitter, until the last
 * attempt marks one dead. At least once: a POST whose answer is lost (a timeout, a crash) is sent again, with the
 * same {@code webhook-id}, which the CRM uses to drop the duplicate.
 */
@ApplicationScoped
public class WebhookDeliverer {

    private static final Logger LOG = Logger.getLogger(WebhookDeliverer.class);

    /** What one run did. */
    public record Run(int claimed, int delivered, int failed) {
        static final Run NONE = new Run(0, 0, 0);
    }

    private final WebhooksConfig config;
    private final WebhookOutbox outbox;
    private final WebhookSigner signer;
    private final WebhookMetrics metrics;
    private final Clock clock;
    private final WebClient client;

    public WebhookDeliverer(WebhooksConfig config, WebhookOutbox outbox, WebhookSigner signer, WebhookMetrics metrics,
                            Clock clock, Vertx vertx) {
        this.config = config;
        this.outbox = outbox;
        this.signer = signer;
        this.metrics = metrics;
        this.clock = clock;
        int timeoutMillis = Math.toIntExact(config.timeout().toMillis());
        this.client = config.enabled() ? WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis)
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                .setFollowRedirects(false).setUserAgent("call-tracker-webhooks")) : null;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /**
     * Batch after batch while each is full, so that a backlog drains without waiting for ticks; then the outbox's
     * gauges, read once (the read counts the whole outbox: not once per batch).
     */
    public Uni<Void> deliverAllDue() {
        return Multi.createBy().repeating().uni(this::deliverDue)
                .whilst(run -> run.claimed() == config.batchSize())
                .collect().last()
                .call(() -> outbox.backlog().invoke(metrics::outboxIs))
                .replaceWithVoid();
    }

    /** One batch: claimed, posted concurrently, each outcome written. Nothing while webhooks are off. */
    public Uni<Run> deliverDue() {
        if (client == null) {
            return Uni.createFrom().item(Run.NONE);
        }
        return outbox.claim(config.batchSize(), lease()).flatMap(claimed -> Multi.createFrom().iterable(claimed)
                .onItem().transformToUniAndMerge(this::deliver)
                .collect().asList()
                .map(outcomes -> run(claimed, outcomes)));
    }

    /** A claimed row is not due again before its POST and the write of its outcome are surely over. */
    private Duration lease() {
        return config.timeout().multipliedBy(2).plusSeconds(10);
    }

    private static Run run(List<ClaimedWebhook> claimed, List<Boolean> outcomes) {
        int delivered = (int) outcomes.stream().filter(Boolean::booleanValue).count();
        return new Run(claimed.size(), delivered, claimed.size() - delivered);
    }

    private Uni<Boolean> deliver(ClaimedWebhook event) {
        long timestamp = clock.instant().getEpochSecond();
        return client.postAbs(config.url().orElseThrow())
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .putHeader("webhook-id", event.id().toString())
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", signer.sign(event.id().toString(), timestamp, event.body()))
                .timeout(config.timeout().toMillis())
                .sendBuffer(Buffer.buffer(event.body()))
                // The request's timeout ends a silence; this ends a CRM that answers slowly, within the lease.
                .ifNoItem().after(config.timeout()).fail()
                .map(response -> response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode())
                // The reason is the failure's kind only: its message may echo the URL, which may hold a token.
                .onFailure().recoverWithItem(failure -> failure.getClass().getSimpleName())
                .flatMap(failure -> failure == null
                        ? outbox.delivered(event.id()).invoke(() -> metrics.delivered(event.type())).replaceWith(true)
                        : failed(event, failure).replaceWith(false));
    }

    private Uni<Void> failed(ClaimedWebhook event, String reason) {
        boolean dead = event.attempt() >= config.maxAttempts();
        Duration retryAfter = retryAfter(event.attempt());
        // Ids, type and reason: the event's body (lead and call ids, statuses) stays out of the log.
        if (dead) {
            LOG.warnf("Webhook %s (%s) failed attempt %d of %d (%s): dead, kept in webhook_outbox", event.id(), event.type(),
                    event.attempt(), config.maxAttempts(), reason);
        } else {
            LOG.warnf("Webhook %s (%s) failed attempt %d of %d (%s): retried in %d ms", event.id(), event.type(),
                    event.attempt(), config.maxAttempts(), reason, retryAfter.toMillis());
        }
        return outbox.failed(event.id(), retryAfter, reason, dead).invoke(() -> metrics.failed(event.type(), dead));
    }

    /**
     * The wait after failed attempt {@code attempt}: the first wait doubled per earlier failure, capped, then a
     * random half of it taken off, so that events failed together (the CRM down) do not all come back together.
     */
    Duration retryAfter(int attempt) {
        long first = config.firstRetryAfter().toMillis();
        long capped = Math.min(config.maxRetryAfter().toMillis(), first << Math.min(attempt - 1, 30));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
