package dev.calltracker.app;

import dev.calltracker.config.CallingConfig;
import dev.calltracker.config.TwilioConfig;
import dev.calltracker.config.WebhooksConfig;
import dev.calltracker.reconcile.ReconcileConfig;
import dev.calltracker.retention.RetentionConfig;
import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.webhook.WebhookSigner;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start with settings that cannot work: that would make the TwiML wrong, the signature check
 * fail for every request, the reconciler unable to ask Twilio, or close live calls. Every problem found
 * is named in one message, by its environment variable; secrets are never echoed.
 */
@Startup
@ApplicationScoped
public class ConfigurationCheck {

    /**
     * How much longer than {@code calling.time-limit} a call can last: Twilio rings the dialed number for
     * up to 10 minutes (the maximum {@code <Dial timeout>}) before the time limit starts counting.
     */
    static final Duration LONGEST_RING = Duration.ofMinutes(10);
    /**
     * Twilio publishes no number for its per-account limit of concurrent REST requests; more than this from
     * one replica is surely a typo (and would only buy 429s: the service's limit halves on each).
     */
    static final int MOST_TWILIO_CONCURRENCY = 100;

    /** Rows per retention statement at most: each batch is one transaction holding its rows' locks. */
    static final int MOST_RETENTION_BATCH = 10_000;
    /** Twilio refuses access tokens valid longer than a day. */
    static final Duration MOST_TOKEN_TTL = Duration.ofHours(24);

    /** {@code <Number machineDetection>} takes Twilio's words as they are; {@code off} leaves it out. */
    static final java.util.Set<String> MACHINE_DETECTION_VALUES =
            java.util.Set.of(CallingConfig.MACHINE_DETECTION_OFF, "Enable", "DetectMessageEnd");

    public ConfigurationCheck(CallingConfig calling, TwilioConfig twilio, ReconcileConfig reconcile,
                              RetentionConfig retention, WebhooksConfig webhooks) {
        List<String> problems = new ArrayList<>();
        checkCalling(calling, problems);
        checkTwilio(twilio, problems);
        checkAccessTokens(calling, twilio, problems);
        checkReconciler(reconcile, calling, problems);
        checkRetention(retention, problems);
        checkWebhooks(webhooks, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    private static void checkCalling(CallingConfig calling, List<String> problems) {
        if (!TwilioFormats.isE164(calling.callerId())) {
            problems.add("CALLING_CALLER_ID must be an E.164 number such as +15005550006");
        }
        if (!isBaseUrl(calling.publicBaseUrl())) {
            problems.add("CALLING_PUBLIC_BASE_URL must be the http(s) URL Twilio calls, such as "
                    + "https://calls.example.com (no path, query or fragment)");
        }
        calling.allowedPrefixes().stream().filter(p -> !TwilioFormats.isE164Prefix(p.trim()))
                .forEach(p -> problems.add("CALLING_ALLOWED_PREFIXES has '" + p + "': prefixes look like +1 or +44"));
        calling.blockedPrefixes().stream().filter(p -> !TwilioFormats.isE164Prefix(p.trim()))
                .forEach(p -> problems.add("CALLING_BLOCKED_PREFIXES has '" + p + "': prefixes look like +1900"));
        if (!isPositive(calling.timeLimit()) || calling.timeLimit().toHours() > 24) {
            problems.add("CALLING_TIME_LIMIT must be between 1s and 24h");
        }
        if (!MACHINE_DETECTION_VALUES.contains(calling.machineDetection())) {
            problems.add("CALLING_MACHINE_DETECTION must be off, Enable or DetectMessageEnd (Twilio's words), not '"
                    + calling.machineDetection() + "'");
        }
        long amdTimeout = calling.machineDetectionTimeout().toMillis();
        if (amdTimeout < 3_000 || amdTimeout > 59_000) {
            problems.add("CALLING_MACHINE_DETECTION_TIMEOUT must be between 3s and 59s (Twilio's range), not "
                    + calling.machineDetectionTimeout());
        }
        String fragment = calling.callbackUrlFragment();
        if (!fragment.isEmpty() && (!fragment.startsWith("#") || fragment.chars().anyMatch(c -> c <= ' ' || c == '"'))) {
            problems.add("CALLING_CALLBACK_URL_FRAGMENT must be empty or start with # (e.g. #rc=3&rp=ct,rt,5xx)");
        }
    }

    private static void checkTwilio(TwilioConfig twilio, List<String> problems) {
        if (twilio.authToken().isBlank()) {
            problems.add("TWILIO_AUTH_TOKEN must not be empty");
        }
        Optional<String> account = twilio.accountSid();
        Optional<String> keySid = twilio.apiKeySid();
        Optional<String> keySecret = twilio.apiKeySecret().filter(secret -> !secret.isBlank());
        if (account.isPresent() && !TwilioFormats.isSid(account.get(), TwilioFormats.ACCOUNT_SID_PREFIX)) {
            problems.add("TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits (Twilio Console, Account Info)");
        }
        if (keySid.isPresent() && !TwilioFormats.isSid(keySid.get(), TwilioFormats.API_KEY_SID_PREFIX)) {
            problems.add("TWILIO_API_KEY_SID must be SK followed by 32 hex digits (the API key's sid, not its secret)");
        }
        // Either half alone fails silently at run time: every request of the reconciler would be answered 401.
        if (keySid.isPresent() && keySecret.isEmpty()) {
            problems.add("TWILIO_API_KEY_SID is set without TWILIO_API_KEY_SECRET: set both, or neither to use the auth token");
        }
        if (keySid.isEmpty() && keySecret.isPresent()) {
            problems.add("TWILIO_API_KEY_SECRET is set without TWILIO_API_KEY_SID: set both, or neither to use the auth token");
        }
        // The REST API's URLs name the account: without it the reconciler never asks Twilio, whatever the key.
        if (keySid.isPresent() && account.isEmpty()) {
            problems.add("TWILIO_API_KEY_SID is set without TWILIO_ACCOUNT_SID: the reconciler needs the account to ask Twilio");
        }
        if (!isHttpUrl(twilio.apiBaseUrl())) {
            problems.add("TWILIO_API_BASE_URL must be an http(s) URL such as https://api.twilio.com");
        }
    }

    /**
     * Access tokens need the TwiML App, the API key (it signs them) and the account (their subject): a TwiML App
     * without the key could only answer 503. Without the TwiML App the token endpoint is off and nothing is required.
     */
    private static void checkAccessTokens(CallingConfig calling, TwilioConfig twilio, List<String> problems) {
        if (!isPositive(calling.tokenTtl()) || calling.tokenTtl().compareTo(Duration.ofMinutes(1)) < 0
                || calling.tokenTtl().compareTo(MOST_TOKEN_TTL) > 0) {
            problems.add("CALLING_TOKEN_TTL must be between 1m and 24h (Twilio refuses access tokens valid longer), not "
                    + calling.tokenTtl());
        }
        if (calling.identityClaim().isBlank()) {
            problems.add("CALLING_IDENTITY_CLAIM must name a claim of the CRM users' tokens, such as sub");
        }
        Optional<String> app = calling.twimlAppSid();
        if (app.isEmpty()) {
            return;
        }
        if (!TwilioFormats.isSid(app.get(), TwilioFormats.APPLICATION_SID_PREFIX)) {
            problems.add("CALLING_TWIML_APP_SID must be AP followed by 32 hex digits (Twilio Console, Voice, TwiML Apps)");
        }
        if (twilio.apiKeySid().isEmpty() || twilio.apiKeySecret().filter(secret -> !secret.isBlank()).isEmpty()) {
            problems.add("CALLING_TWIML_APP_SID is set without TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET: "
                    + "access tokens are signed with an API key");
        } else if (twilio.apiKeySecret().get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            problems.add("TWILIO_API_KEY_SECRET is shorter than an API key's secret (32 characters): "
                    + "access tokens cannot be signed with it");
        }
        if (twilio.accountSid().isEmpty()) {
            problems.add("CALLING_TWIML_APP_SID is set without TWILIO_ACCOUNT_SID: access tokens name the account");
        }
    }

    private static void checkReconciler(ReconcileConfig reconcile, CallingConfig calling, List<String> problems) {
        if (!isEveryExpression(reconcile.every())) {
            problems.add("RECONCILE_EVERY must be a positive duration such as 1m or 30s, or off");
        }
        if (!isPositive(reconcile.staleAfter())) {
            problems.add("RECONCILE_STALE_AFTER must be a positive duration (every call would be a candidate at once)");
        }
        if (reconcile.parentEndedGrace().isNegative()) {
            problems.add("RECONCILE_PARENT_ENDED_GRACE must not be negative");
        }
        if (reconcile.batchSize() < 1) {
            problems.add("RECONCILE_BATCH_SIZE must be at least 1");
        }
        Duration longestCall = calling.timeLimit().plus(LONGEST_RING);
        if (reconcile.giveUpAfter().compareTo(longestCall) <= 0) {
            problems.add("RECONCILE_GIVE_UP_AFTER (" + reconcile.giveUpAfter() + ") must be longer than CALLING_TIME_LIMIT ("
                    + calling.timeLimit() + ") plus " + LONGEST_RING.toMinutes() + " minutes of ringing: "
                    + "a shorter one would close calls that may still be live as unknown");
        }
        if (!isPositive(reconcile.alertAfter())) {
            problems.add("RECONCILE_ALERT_AFTER must be a positive duration");
        }
        if (!isPositive(reconcile.claimTimeout())) {
            problems.add("RECONCILE_CLAIM_TIMEOUT must be a positive duration (a claim would expire before the run asks Twilio)");
        }
        if (!isPositive(reconcile.runTimeLimit())) {
            problems.add("RECONCILE_RUN_TIME_LIMIT must be a positive duration");
        }
        if (reconcile.twilioConcurrency() < 1 || reconcile.twilioConcurrency() > MOST_TWILIO_CONCURRENCY) {
            problems.add("RECONCILE_TWILIO_CONCURRENCY must be between 1 and " + MOST_TWILIO_CONCURRENCY
                    + " (requests in flight per replica; the sum over replicas must stay below Twilio's limit for the account)");
        }
        if (!isPositive(reconcile.recheckAfter())) {
            problems.add("RECONCILE_RECHECK_AFTER must be a positive duration (a live call would be asked about again at once)");
        }
        if (reconcile.recheckMax().compareTo(reconcile.recheckAfter()) < 0) {
            problems.add("RECONCILE_RECHECK_MAX must not be shorter than RECONCILE_RECHECK_AFTER");
        }
    }

    private static void checkRetention(RetentionConfig retention, List<String> problems) {
        if (!isEveryExpression(retention.every())) {
            problems.add("RETENTION_EVERY must be a positive duration such as 1h, or off");
        }
        checkPeriod("RETENTION_EVENT_PARAMS", retention.eventParams(), problems);
        checkPeriod("RETENTION_RECONCILE_RUNS", retention.reconcileRuns(), problems);
        checkPeriod("RETENTION_WEBHOOKS_DEAD", retention.webhooksDead(), problems);
        if (retention.batchSize() < 1 || retention.batchSize() > MOST_RETENTION_BATCH) {
            problems.add("RETENTION_BATCH_SIZE must be between 1 and " + MOST_RETENTION_BATCH
                    + " (rows per statement: a bigger batch holds its row locks longer)");
        }
        if (!isPositive(retention.runTimeLimit())) {
            problems.add("RETENTION_RUN_TIME_LIMIT must be a positive duration");
        }
    }

    private static void checkPeriod(String variable, String value, List<String> problems) {
        try {
            RetentionConfig.period(value);
        } catch (IllegalArgumentException e) {
            problems.add(variable + " must be a positive duration such as 90d or 12h, or off (kept for ever), not '"
                    + value + "'");
        }
    }

    private static void checkWebhooks(WebhooksConfig webhooks, List<String> problems) {
        if (!webhooks.enabled()) {
            return;
        }
        if (!isHttpUrl(webhooks.url().get())) {
            problems.add("WEBHOOKS_URL must be the CRM's http(s) URL that receives the events");
        }
        Optional<byte[]> key = webhooks.secret().flatMap(WebhookSigner::keyOf);
        if (key.isEmpty() || key.get().length < WebhookSigner.MIN_KEY_BYTES) {
            problems.add("WEBHOOKS_SECRET must be set with WEBHOOKS_URL and hold at least " + WebhookSigner.MIN_KEY_BYTES
                    + " bytes: whsec_ and base64 (e.g. whsec_$(openssl rand -base64 32)), or a string that long");
        }
        if (!isEveryExpression(webhooks.every())) {
            problems.add("WEBHOOKS_EVERY must be a positive duration such as 2s, or off");
        }
        if (webhooks.batchSize() < 1 || webhooks.batchSize() > 1000) {
            problems.add("WEBHOOKS_BATCH_SIZE must be between 1 and 1000");
        }
        if (!isPositive(webhooks.timeout()) || webhooks.timeout().toMinutes() > 5) {
            problems.add("WEBHOOKS_TIMEOUT must be between 1ms and 5m");
        }
        if (webhooks.maxAttempts() < 1) {
            problems.add("WEBHOOKS_MAX_ATTEMPTS must be at least 1");
        }
        if (!isPositive(webhooks.firstRetryAfter()) || webhooks.maxRetryAfter().compareTo(webhooks.firstRetryAfter()) < 0
                || webhooks.maxRetryAfter().toDays() > 7) {
            problems.add("WEBHOOKS_FIRST_RETRY_AFTER must be positive and WEBHOOKS_MAX_RETRY_AFTER between it and 7d");
        }
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    /** What {@code @Scheduled(every = ...)} accepts, parsed as the scheduler parses it; zero or negative never fires sensibly. */
    private static boolean isEveryExpression(String every) {
        String value = every.trim();
        if (ReconcileConfig.isOff(value)) {
            return true;
        }
        try {
            Duration duration = DurationConverter.parseDuration(value);
            return duration != null && isPositive(duration);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isBaseUrl(String url) {
        try {
            URI uri = new URI(url);
            return isHttpUrl(url) && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
