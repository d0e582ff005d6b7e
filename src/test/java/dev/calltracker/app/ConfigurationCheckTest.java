package dev.calltracker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.calltracker.config.CallingConfig;
import dev.calltracker.config.TwilioConfig;
import dev.calltracker.config.WebhooksConfig;
import dev.calltracker.reconcile.ReconcileConfig;
import dev.calltracker.retention.RetentionConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The start-up check on the real configuration mappings, built by SmallRye Config from the properties
 * each test gives (an empty value is an unset variable, as in the environment). The check throwing is
 * what refuses the start: it is a {@code @Startup} bean.
 */
class ConfigurationCheckTest {

    static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    static final String API_KEY_SID = "SK" + "fedcba9876543210".repeat(2);
    static final String API_KEY_SECRET = "the-api-key-secret-never-echoed";

    /** What a production deployment with an API key sets. */
    static Map<String, String> production() {
        Map<String, String> p = new HashMap<>();
        p.put("calling.public-base-url", "https://calls.example.com");
        p.put("calling.caller-id", "+15005550006");
        p.put("twilio.auth-token", "0123456789abcdef0123456789abcdef");
        p.put("twilio.account-sid", ACCOUNT_SID);
        p.put("twilio.api-key-sid", API_KEY_SID);
        p.put("twilio.api-key-secret", API_KEY_SECRET);
        return p;
    }

    static void start(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                // Quarkus' duration syntax (10m, 6h), as the service reads it.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(CallingConfig.class).withMapping(TwilioConfig.class).withMapping(ReconcileConfig.class)
                .withMapping(RetentionConfig.class)
                .withMapping(WebhooksConfig.class)
                .build();
        new ConfigurationCheck(config.getConfigMapping(CallingConfig.class), config.getConfigMapping(TwilioConfig.class),
                config.getConfigMapping(ReconcileConfig.class), config.getConfigMapping(RetentionConfig.class),
                config.getConfigMapping(WebhooksConfig.class));
    }

    /** The message start-up is refused with, after the given changes to the production settings. */
    /** The properties with some set to other values. */
    static Map<String, String> with(Map<String, String> properties, String... propertyValuePairs) {
        for (int i = 0; i < propertyValuePairs.length; i += 2) {
            properties.put(propertyValuePairs[i], propertyValuePairs[i + 1]);
        }
        return properties;
    }

    static String refusal(String... propertyValuePairs) {
        Map<String, String> properties = with(production(), propertyValuePairs);
        Throwable refused = catchThrowable(() -> start(properties));
        assertThat(refused).as("start-up refused").isInstanceOf(IllegalStateException.class);
        assertThat(refused.getMessage()).startsWith("Invalid configuration: ").doesNotContain(API_KEY_SECRET);
        return refused.getMessage();
    }

    @Test
    void machineDetectionTakesTwiliosWordsAndRange() {
        for (String on : new String[] {"Enable", "DetectMessageEnd"}) {
            Map<String, String> properties = with(production(), "calling.machine-detection", on);
            assertThatCode(() -> start(properties)).doesNotThrowAnyException();
        }
        assertThat(refusal("calling.machine-detection", "enable")).contains("CALLING_MACHINE_DETECTION must be");
        assertThat(refusal("calling.machine-detection", "DetectMessageEnd", "calling.machine-detection-timeout", "60s"))
                .contains("CALLING_MACHINE_DETECTION_TIMEOUT must be between 3s and 59s");
    }

    @Test
    void productionSettingsStart() {
        assertThatCode(() -> start(production())).doesNotThrowAnyException();
    }

    @Test
    void withoutRestApiCredentialsItStarts() {
        Map<String, String> properties = with(production(), "twilio.account-sid", "",
                "twilio.api-key-sid", "", "twilio.api-key-secret", "");
        assertThatCode(() -> start(properties)).as("the reconciler then decides from evidence only").doesNotThrowAnyException();
    }

    @Test
    void theAuthTokenAloneIsEnoughForTheRestApi() {
        Map<String, String> properties = with(production(), "twilio.api-key-sid", "", "twilio.api-key-secret", "");
        assertThatCode(() -> start(properties)).doesNotThrowAnyException();
    }

    @Test
    void anApiKeySidWithoutItsSecretIsRefused() {
        assertThat(refusal("twilio.api-key-secret", ""))
                .contains("TWILIO_API_KEY_SID is set without TWILIO_API_KEY_SECRET");
        assertThat(refusal("twilio.api-key-secret", "   ")).as("a blank secret is no secret")
                .contains("TWILIO_API_KEY_SID is set without TWILIO_API_KEY_SECRET");
    }

    @Test
    void anApiKeySecretWithoutItsSidIsRefused() {
        assertThat(refusal("twilio.api-key-sid", ""))
                .contains("TWILIO_API_KEY_SECRET is set without TWILIO_API_KEY_SID");
    }

    @Test
    void anApiKeyWithoutTheAccountSidIsRefused() {
        assertThat(refusal("twilio.account-sid", ""))
                .contains("TWILIO_API_KEY_SID is set without TWILIO_ACCOUNT_SID");
    }

    @Test
    void malformedSidsAreRefusedWithoutEchoingThem() {
        assertThat(refusal("twilio.account-sid", "AC123")).contains("TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits");
        assertThat(refusal("twilio.account-sid", API_KEY_SID)).contains("TWILIO_ACCOUNT_SID must be AC");
        assertThat(refusal("twilio.api-key-sid", ACCOUNT_SID)).contains("TWILIO_API_KEY_SID must be SK followed by 32 hex digits");
        // The secret pasted into the sid's variable: named, never printed.
        assertThat(refusal("twilio.api-key-sid", API_KEY_SECRET)).contains("TWILIO_API_KEY_SID must be SK");
    }

    static final String TWIML_APP_SID = "AP" + "0123456789abcdef".repeat(2);
    /** An API key's secret is 32 characters: HS256 needs a key of at least 256 bits. */
    static final String SIGNING_SECRET = "the-32-character-api-key-secret!";

    /** Production with the TwiML App: the access token endpoint on. */
    static Map<String, String> withAccessTokens() {
        Map<String, String> p = production();
        p.put("calling.twiml-app-sid", TWIML_APP_SID);
        p.put("twilio.api-key-secret", SIGNING_SECRET);
        return p;
    }

    @Test
    void accessTokensStartWithTheTwimlAppTheApiKeyAndTheAccount() {
        assertThatCode(() -> start(withAccessTokens())).doesNotThrowAnyException();
        Map<String, String> longest = with(withAccessTokens(), "calling.token-ttl", "24h",
                "calling.identity-claim", "app_metadata.agent_id");
        assertThatCode(() -> start(longest)).doesNotThrowAnyException();
    }

    @Test
    void aTwimlAppWithoutWhatSignsTheTokensIsRefused() {
        Map<String, String> noKey = with(withAccessTokens(), "twilio.api-key-sid", "", "twilio.api-key-secret", "");
        Throwable refused = catchThrowable(() -> start(noKey));
        assertThat(refused).hasMessageContaining("CALLING_TWIML_APP_SID is set without TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET");

        Map<String, String> shortSecret = with(withAccessTokens(), "twilio.api-key-secret", API_KEY_SECRET);
        assertThat(catchThrowable(() -> start(shortSecret))).hasMessageContaining("TWILIO_API_KEY_SECRET is shorter")
                .hasMessageNotContaining(API_KEY_SECRET);

        Map<String, String> malformed = with(withAccessTokens(), "calling.twiml-app-sid", "AP123");
        assertThat(catchThrowable(() -> start(malformed))).hasMessageContaining("CALLING_TWIML_APP_SID must be AP");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"calling.token-ttl, 25h", "calling.token-ttl, 0s", "calling.token-ttl, 30s", "calling.token-ttl, -PT1H"})
    void aTokenTtlTwilioWouldRefuseIsRefused(String property, String value) {
        assertThat(refusal(property, value)).contains("CALLING_TOKEN_TTL must be between 1m and 24h");
    }

    @Test
    void anIdentityClaimMustNameAClaim() {
        assertThat(refusal("calling.identity-claim", " ")).contains("CALLING_IDENTITY_CLAIM must name a claim");
    }

    @Test
    void giveUpAfterMustOutlastTheLongestPossibleCall() {
        assertThat(refusal("calling.time-limit", "4h", "reconcile.give-up-after", "4h"))
                .contains("RECONCILE_GIVE_UP_AFTER (PT4H) must be longer than CALLING_TIME_LIMIT (PT4H) plus 10 minutes of ringing");
        assertThat(refusal("calling.time-limit", "4h", "reconcile.give-up-after", "3h")).contains("RECONCILE_GIVE_UP_AFTER");
        assertThat(refusal("calling.time-limit", "4h", "reconcile.give-up-after", "250m"))
                .as("exactly the longest call is not beyond it").contains("RECONCILE_GIVE_UP_AFTER");
        assertThat(refusal("calling.time-limit", "20h")).as("the 6h default under a longer time limit")
                .contains("RECONCILE_GIVE_UP_AFTER (PT6H)");

        Map<String, String> properties = with(production(), "calling.time-limit", "4h", "reconcile.give-up-after", "251m");
        assertThatCode(() -> start(properties)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "reconcile.stale-after, 0s, RECONCILE_STALE_AFTER must be a positive duration",
            "reconcile.stale-after, -PT10M, RECONCILE_STALE_AFTER must be a positive duration",
            "reconcile.batch-size, 0, RECONCILE_BATCH_SIZE must be at least 1",
            "reconcile.batch-size, -5, RECONCILE_BATCH_SIZE must be at least 1",
            "reconcile.claim-timeout, 0s, RECONCILE_CLAIM_TIMEOUT must be a positive duration",
            "reconcile.alert-after, 0s, RECONCILE_ALERT_AFTER must be a positive duration",
            "reconcile.parent-ended-grace, -PT1S, RECONCILE_PARENT_ENDED_GRACE must not be negative",
            "reconcile.every, 0s, RECONCILE_EVERY must be a positive duration",
            "reconcile.every, sometimes, RECONCILE_EVERY must be a positive duration",
            "reconcile.twilio-concurrency, 0, RECONCILE_TWILIO_CONCURRENCY must be between 1 and 100",
            "reconcile.twilio-concurrency, 101, RECONCILE_TWILIO_CONCURRENCY must be between 1 and 100",
            "reconcile.run-time-limit, 0s, RECONCILE_RUN_TIME_LIMIT must be a positive duration",
            "reconcile.recheck-after, 0s, RECONCILE_RECHECK_AFTER must be a positive duration",
            "reconcile.recheck-max, 1m, RECONCILE_RECHECK_MAX must not be shorter than RECONCILE_RECHECK_AFTER",
            "twilio.api-base-url, api.twilio.com, TWILIO_API_BASE_URL must be an http(s) URL",
            "twilio.auth-token, ' ', TWILIO_AUTH_TOKEN must not be empty",
            "calling.caller-id, 5005550006, CALLING_CALLER_ID must be an E.164 number",
            "calling.public-base-url, https://calls.example.com/twilio, CALLING_PUBLIC_BASE_URL must be",
            "calling.time-limit, 0s, CALLING_TIME_LIMIT must be between 1s and 24h",
            "retention.every, 0s, RETENTION_EVERY must be a positive duration",
            "retention.event-params, 0d, RETENTION_EVENT_PARAMS must be a positive duration such as 90d",
            "retention.event-params, forever, RETENTION_EVENT_PARAMS must be a positive duration such as 90d",
            "retention.reconcile-runs, -7d, RETENTION_RECONCILE_RUNS must be a positive duration",
            "retention.webhooks-dead, 1 month, RETENTION_WEBHOOKS_DEAD must be a positive duration",
            "retention.batch-size, 0, RETENTION_BATCH_SIZE must be between 1 and 10000",
            "retention.batch-size, 10001, RETENTION_BATCH_SIZE must be between 1 and 10000",
            "retention.run-time-limit, 0s, RETENTION_RUN_TIME_LIMIT must be a positive duration",
            "webhooks.url, crm.example.com/hooks, WEBHOOKS_URL must be the CRM's http(s) URL",
            "webhooks.url, https://crm.example.com/hooks, WEBHOOKS_SECRET must be set with WEBHOOKS_URL",
    })
    void settingsThatCannotWorkAreRefusedByTheirVariable(String property, String value, String message) {
        assertThat(refusal(property, value)).contains(message);
    }

    @Test
    void theSchedulesOwnWordsForOffAreAccepted() {
        for (String every : new String[] {"off", "disabled", "30s", "PT1M"}) {
            Map<String, String> properties = with(production(), "reconcile.every", every);
            assertThatCode(() -> start(properties)).as(every).doesNotThrowAnyException();
        }
    }

    @Test
    void retentionPeriodsAreDaysHoursOrOff() {
        for (String period : new String[] {"90d", "36h", "P30D", "off", "disabled"}) {
            Map<String, String> properties = with(production(), "retention.event-params", period,
                    "retention.reconcile-runs", period, "retention.webhooks-dead", period,
                    "retention.every", period.startsWith("P") ? "PT1H" : period);
            assertThatCode(() -> start(properties)).as(period).doesNotThrowAnyException();
        }
        assertThat(RetentionConfig.period("90d")).contains(Duration.ofDays(90));
        assertThat(RetentionConfig.period("off")).isEmpty();
    }

    @Test
    void aWebhookSecretMustHoldThirtyTwoBytes() {
        String url = "https://crm.example.com/hooks";
        assertThat(refusal("webhooks.url", url, "webhooks.secret", "x".repeat(31))).contains("WEBHOOKS_SECRET");
        assertThat(refusal("webhooks.url", url, "webhooks.secret", "whsec_" + Base64.getEncoder().encodeToString(new byte[31])))
                .contains("WEBHOOKS_SECRET").doesNotContain("AAAA");
        assertThat(refusal("webhooks.url", url, "webhooks.secret", "whsec_not*base64")).contains("WEBHOOKS_SECRET");
        assertThat(refusal("webhooks.url", url, "webhooks.secret", "x".repeat(32), "webhooks.timeout", "0s"))
                .contains("WEBHOOKS_TIMEOUT");
        for (String secret : new String[] {"x".repeat(32), "whsec_" + Base64.getEncoder().encodeToString(new byte[32])}) {
            Map<String, String> properties = with(production(), "webhooks.url", url, "webhooks.secret", secret);
            assertThatCode(() -> start(properties)).doesNotThrowAnyException();
        }
    }

    @Test
    void everyProblemIsNamedInOneMessage() {
        assertThat(refusal("twilio.api-key-secret", "", "reconcile.batch-size", "0", "reconcile.claim-timeout", "0s"))
                .contains("TWILIO_API_KEY_SECRET", "RECONCILE_BATCH_SIZE", "RECONCILE_CLAIM_TIMEOUT");
    }
}
