package dev.calltracker.webhook;

import jakarta.inject.Inject;
import dev.calltracker.config.WebhooksConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Every replica delivers on its own schedule ({@code webhooks.every}); the claim keeps them from sending one event
 * twice.
 */
@ApplicationScoped
public class WebhookSchedule {

    private static final Logger LOG = Logger.getLogger(WebhookSchedule.class);

    @Inject
    WebhookDeliverer deliverer;
    @Inject
    WebhooksConfig config;

    @Scheduled(identity = "webhook-deliverer", every = "${webhooks.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return deliverer.deliverAllDue()
                .onFailure().invoke(f -> LOG.warnf("Webhook delivery failed: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
