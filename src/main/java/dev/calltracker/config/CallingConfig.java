package dev.calltracker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the service dials and where Twilio reaches it. Environment variables: {@code CALLING_*}. */
@ConfigMapping(prefix = "calling")
public interface CallingConfig {

    /** Public base URL Twilio calls (scheme, host, optional port; a trailing slash is dropped). Signature checks use it. */
    @WithConverter(BaseUrlConverter.class)
    String publicBaseUrl();

    /** E.164 caller id put on {@code <Dial callerId>}. */
    String callerId();

    /** E.164 prefixes that may be dialed, e.g. {@code +1,+44}. */
    @WithDefault("+1")
    List<String> allowedPrefixes();

    /**
     * E.164 prefixes never dialed even inside an allowed prefix. The default blocks the toll-fraud targets
     * inside {@code +1}: the area codes of the North American plan's countries other than the US and Canada
     * (the Caribbean and Bermuda, billed at international rates) and the premium-rate ranges 900 and 976
     * (the list and its source: docs/security.md#toll-fraud).
     */
    @WithDefault(DEFAULT_BLOCKED_PREFIXES)
    List<String> blockedPrefixes();

    /**
     * The default of {@link #blockedPrefixes()}: NANP area codes assigned to countries other than the US and
     * Canada (NANPA, "NANP countries"), then premium rate.
     */
    String DEFAULT_BLOCKED_PREFIXES = "+1242,+1246,+1264,+1268,+1284,+1345,+1441,+1473,+1649,+1658,+1664,+1721,"
            + "+1758,+1767,+1784,+1809,+1829,+1849,+1868,+1869,+1876,"
            + "+1900,+1976";

    /**
     * Whether the voice webhook may dial without a {@code LeadId}. Off: every dial names a lead whose phone is
     * the destination, so a browser can only call the CRM's leads (and every call is on a lead's timeline).
     */
    @WithDefault("false")
    boolean allowDialsWithoutLead();

    /** {@code <Dial timeLimit>}: Twilio ends the dialed leg after this long. */
    @WithDefault("14400s")
    Duration timeLimit();

    /**
     * Connection overrides appended to every callback URL: short connect and read timeouts and retries on
     * connect failures, read timeouts and 5xx, so that one retry fits in Twilio's 15 s after a database deadline
     * answered 503 (the arithmetic: docs/reliability.md). Twilio reads the fragment and never sends it back; whether it signs it is undocumented, so the signature check
     * accepts the callback URLs with and without it ({@code twilio/TwilioSignatureVerifier}).
     */
    @WithDefault("#ct=2000&rt=7000&tt=15000&rc=3&rp=ct,rt,5xx")
    String callbackUrlFragment();

    /** The value of {@link #machineDetection()} that dials without answering-machine detection. */
    String MACHINE_DETECTION_OFF = "off";

    /**
     * Answering-machine detection on {@code <Number machineDetection>}: {@code off}, {@code Enable} or
     * {@code DetectMessageEnd}. When on, only a person answering contacts a lead ({@code call/ContactRule}).
     */
    @WithDefault(MACHINE_DETECTION_OFF)
    String machineDetection();

    /** {@code <Number machineDetectionTimeout>}: after this long (3–59 s) Twilio answers {@code unknown}. */
    @WithDefault("30s")
    Duration machineDetectionTimeout();

    /**
     * The TwiML App whose Voice URL is this service ({@code AP...}): the outgoing grant of the access tokens
     * {@code POST /api/calling/token} mints. Unset: that endpoint answers 503, the rest of the service runs.
     */
    Optional<String> twimlAppSid();

    /**
     * The claim of the CRM user's token that names the agent: its value becomes the access token's identity,
     * which Twilio sends back as {@code From=client:<identity>}. Read like {@code auth.crm-user-claim} (a dotted
     * name reads into an object claim).
     */
    @WithDefault("sub")
    String identityClaim();

    /** How long a minted access token is valid: Twilio accepts at most 24 hours. */
    @WithDefault("1h")
    Duration tokenTtl();

    /** Whether calls are dialed with answering-machine detection. */
    static boolean detects(CallingConfig calling) {
        return !MACHINE_DETECTION_OFF.equals(calling.machineDetection());
    }
}
