package dev.calltracker.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plays Twilio against the service under test: form-encoded, signed requests exactly as Twilio sends
 * them. Signs with its own small implementation of the algorithm (not the service's code), so a bug in
 * the service's validator cannot hide itself. Requests go to the public base URL, as Twilio sends them.
 *
 * <p>By default it signs as Twilio does without Webhook Rules: HMAC-SHA1 with the Auth Token, over the URL
 * without the callback fragment. {@link #withSharedKey} signs as a Webhook Rule does (HMAC-SHA256 with a
 * SharedKey, named in {@code X-Twilio-Webhooks-Signature-Settings}, as twilio-node 6.3's
 * {@code lib/webhooks/webhooks.js} validates it), {@link #signingTheFragment} over the URL with the
 * connection-override fragment, as Twilio would if it signs the URL exactly as the TwiML wrote it.
 */
public record TwilioFake(
        String publicBaseUrl,
        String secret,
        /* The JCA name of the HMAC: HmacSHA1 for the Auth Token, HmacSHA256 for a SharedKey. */
        String hmac,
        /* The SETTINGS_HEADER header sent, or null for none. */
        String settingsHeader,
        /* Appended to the URL that is signed (never to the one requested: a fragment is never sent). */
        String signedFragment) {

    public static final String TEST_AUTH_TOKEN = "test-auth-token-not-a-secret";
    /** The SharedKeys of the test profile ({@code %test.twilio.webhook-shared-keys}): a rotation in progress. */
    public static final String SHARED_KEY_ID = "webhooks_sharedkey_test_current";
    public static final String SHARED_KEY_SECRET = "test-shared-key-current-not-a-secret";
    public static final String PREVIOUS_SHARED_KEY_ID = "webhooks_sharedkey_test_previous";
    /** Ends in {@code =}, as a Base64 secret might: the configuration splits each pair at its first {@code =}. */
    public static final String PREVIOUS_SHARED_KEY_SECRET = "test-shared-key-previous-not-a-secret==";
    /** {@code calling.callback-url-fragment}'s default, which the TwiML appends to every callback URL. */
    public static final String CALLBACK_FRAGMENT = "#ct=2000&rt=7000&tt=15000&rc=3&rp=ct,rt,5xx";
    public static final String SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings";
    public static final String ACCOUNT_SID = "AC" + "0".repeat(32);
    public static final String VOICE_PATH = "/api/webhooks/twilio/voice-client";
    public static final String WEBHOOK_PATH = "/api/calling/webhook";
    public static final String RECORDING_PATH = "/api/calling/recording";
    public static final String AMD_PATH = "/api/calling/amd";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public TwilioFake(String publicBaseUrl, String authToken) {
        this(publicBaseUrl, authToken, "HmacSHA1", null, "");
    }

    /**
     * The fake for the service under test, signing for the public base URL of the test profile's
     * configuration ({@code calling.public-base-url}: the test port, see application.properties).
     */
    public static TwilioFake forTests() {
        return new TwilioFake(ConfigProvider.getConfig().getValue("calling.public-base-url", String.class), TEST_AUTH_TOKEN);
    }

    /** The same service, signed with another token (a stale or stolen one). */
    public TwilioFake withAuthToken(String otherToken) {
        return new TwilioFake(publicBaseUrl, otherToken, "HmacSHA1", null, signedFragment);
    }

    /** Signs as a Webhook Rule with this SharedKey: HMAC-SHA256, {@code key=<id>,algorithm=HMAC_SHA256}. */
    public TwilioFake withSharedKey(String keyId, String keySecret) {
        return new TwilioFake(publicBaseUrl, keySecret, "HmacSHA256", "key=" + keyId + ",algorithm=HMAC_SHA256",
                signedFragment);
    }

    /** Signs as before, but sends this {@value #SETTINGS_HEADER} (null: none), whatever it says. */
    public TwilioFake withSettingsHeader(String header) {
        return new TwilioFake(publicBaseUrl, secret, hmac, header, signedFragment);
    }

    /** Signs with this HMAC (a JCA name such as {@code HmacSHA1}) and the same secret and header. */
    public TwilioFake withHmac(String jcaName) {
        return new TwilioFake(publicBaseUrl, secret, jcaName, settingsHeader, signedFragment);
    }

    /** Signs the URL with this fragment appended, as it is written in the TwiML (the request still goes without). */
    public TwilioFake signingTheFragment(String fragment) {
        return new TwilioFake(publicBaseUrl, secret, hmac, settingsHeader, fragment);
    }

    /** Signs the URL with {@link #CALLBACK_FRAGMENT}. */
    public TwilioFake signingTheFragment() {
        return signingTheFragment(CALLBACK_FRAGMENT);
    }

    public static String newSid(String kind) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return kind + HexFormat.of().formatHex(bytes);
    }

    public static String rfc2822(OffsetDateTime t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    public String sign(String path, Map<String, String> params) {
        StringBuilder data = new StringBuilder(publicBaseUrl).append(path).append(signedFragment);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), hmac));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a signed form to the service. */
    public Response post(String path, Map<String, String> params) {
        var request = given()
                .baseUri(publicBaseUrl).port(-1)
                .urlEncodingEnabled(true)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", sign(path, params));
        if (settingsHeader != null) {
            request.header(SETTINGS_HEADER, settingsHeader);
        }
        return request.formParams(params).post(path);
    }

    /**
     * Plays the dial of a call whose voice request was answered: the dialed leg's status callbacks, each
     * answered 204, then the action request, answered with TwiML that hangs up.
     */
    public void playTheDial(BrowserCall call) {
        for (Map<String, String> callback : call.dialedLeg()) {
            post(WEBHOOK_PATH, callback).then().statusCode(204);
        }
        post(WEBHOOK_PATH, call.action()).then().statusCode(200).body(containsString("<Hangup"));
    }

    /** POSTs a signed form with the JDK's client (cheap to use from many threads); returns the status, -1 without one. */
    public int send(String path, Map<String, String> params) {
        HttpResponse<Void> response = exchange(path, params, Duration.ofSeconds(30));
        return response == null ? -1 : response.statusCode();
    }

    /**
     * POSTs a signed form as Twilio does, giving up after {@code readTimeout} (Twilio's {@code rt}); the answer, or
     * null when none came in time (or the connection failed).
     */
    public HttpResponse<Void> exchange(String path, Map<String, String> params, Duration readTimeout) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(publicBaseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", sign(path, params))
                .timeout(readTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (settingsHeader != null) {
            request.header(SETTINGS_HEADER, settingsHeader);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Sends one of Twilio's requests to the endpoint it belongs to ({@link #pathOf}); returns the status. */
    public int send(Map<String, String> request) {
        return send(pathOf(request), request);
    }

    /** The path a callback goes to: recording and AMD callbacks have their own endpoints. */
    public static String pathOf(Map<String, String> request) {
        if (request.containsKey("RecordingSid")) {
            return RECORDING_PATH;
        }
        if (request.containsKey("AnsweredBy")) {
            return AMD_PATH;
        }
        return request.containsKey("To") && !request.containsKey("ParentCallSid") && request.containsKey("Caller")
                ? VOICE_PATH : WEBHOOK_PATH;
    }

    // --- the requests of one browser call ------------------------------------------------------

    public static Map<String, String> voice(String callSid, String to, String leadId) {
        Map<String, String> p = base(callSid);
        p.put("From", "client:agent-1");
        p.put("Caller", "client:agent-1");
        p.put("To", to);
        p.put("Direction", "inbound");
        p.put("CallStatus", "ringing");
        p.put("ApiVersion", "2010-04-01");
        if (leadId != null) {
            p.put("LeadId", leadId);
        }
        return p;
    }

    /** A status callback of the dialed leg: initiated (0), ringing (1), in-progress (2), terminal (3). */
    public static Map<String, String> dialedStatus(String parentSid, String childSid, String status, int sequence,
                                                   OffsetDateTime at, Integer duration) {
        Map<String, String> p = base(childSid);
        p.put("ParentCallSid", parentSid);
        p.put("CallStatus", status);
        p.put("SequenceNumber", Integer.toString(sequence));
        p.put("Timestamp", rfc2822(at));
        p.put("CallbackSource", "call-progress-events");
        p.put("Direction", "outbound-dial");
        p.put("From", "+15005550006");
        p.put("To", "+15551230000");
        if (duration != null) {
            p.put("CallDuration", duration.toString());
            p.put("Duration", Integer.toString((duration + 59) / 60));
        }
        return p;
    }

    public static Map<String, String> dialAction(String parentSid, String childSid, String dialStatus, Integer duration) {
        Map<String, String> p = base(parentSid);
        p.put("CallStatus", "in-progress");
        p.put("DialCallStatus", dialStatus);
        if (childSid != null) {
            p.put("DialCallSid", childSid);
        }
        if (duration != null) {
            p.put("DialCallDuration", duration.toString());
        }
        p.put("DialBridged", Boolean.toString("completed".equals(dialStatus)));
        p.put("Direction", "inbound");
        return p;
    }

    public static Map<String, String> parentStatus(String parentSid, String status, OffsetDateTime at, Integer duration) {
        Map<String, String> p = base(parentSid);
        p.put("CallStatus", status);
        p.put("Timestamp", rfc2822(at));
        p.put("Direction", "inbound");
        if (duration != null) {
            p.put("CallDuration", duration.toString());
        }
        return p;
    }

    public static Map<String, String> recording(String parentSid, String recordingSid, int duration) {
        Map<String, String> p = base(parentSid);
        p.put("RecordingSid", recordingSid);
        p.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + recordingSid);
        p.put("RecordingStatus", "completed");
        p.put("RecordingDuration", Integer.toString(duration));
        p.put("RecordingChannels", "1");
        p.put("RecordingSource", "DialVerb");
        p.put("RecordingStartTime", rfc2822(OffsetDateTime.now()));
        return p;
    }

    /** Twilio's answering-machine detection callback: CallSid is the dialed leg, and no ParentCallSid comes with it. */
    public static Map<String, String> amd(String dialedSid, String answeredBy) {
        Map<String, String> p = base(dialedSid);
        p.put("AnsweredBy", answeredBy);
        p.put("MachineDetectionDuration", "2410");
        return p;
    }

    private static Map<String, String> base(String callSid) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", ACCOUNT_SID);
        p.put("CallSid", callSid);
        return p;
    }
}
