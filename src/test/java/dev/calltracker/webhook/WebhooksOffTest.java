package dev.calltracker.webhook;

import dev.calltracker.testing.ServiceTest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Without WEBHOOKS_URL (the default) a call that contacts its lead writes no event and the deliverer sends nothing. */
@QuarkusTest
class WebhooksOffTest extends ServiceTest {

    @Inject
    WebhookDeliverer deliverer;

    @Test
    void anAnsweredCallLeavesTheOutboxEmpty() {
        UUID lead = sql.insertLead("new", "+15551230000");
        BrowserCall call = BrowserCall.to(lead, "+15551230000", Outcome.COMPLETED);
        call.requests().forEach(request -> assertThat(twilio.post(TwilioFake.pathOf(request), request).then().extract()
                .statusCode()).isIn(200, 204));

        assertThat(sql.lead(lead).getString("status")).isEqualTo("contacted");
        assertThat(sql.count("SELECT count(*) FROM webhook_outbox")).isZero();
        assertThat(deliverer.deliverDue().await().atMost(Duration.ofSeconds(5)).claimed()).isZero();
    }
}
