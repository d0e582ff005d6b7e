package dev.calltracker.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plays Twilio against the service under test: form-encoded, signed requests exactly as Twilio sends
 * them. Signs with its own small implementation of the algorithm (not the service's code), so a bug in
 * the service's validator cannot hide itself.
 */
public final class TwilioFake {

    public static final String TEST_AUTH_TOKEN = "test-auth-token-not-a-secret";
    public static final String ACCOUNT_SID = "AC" + "0".repeat(32);
    public static final String VOICE_PATH = "/api/webhooks/twilio/voice-client";
    public static final String WEBHOOK_PATH = "/api/calling/webhook";
    public static final String RECORDING_PATH = "/api/calling/recording";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String publicBaseUrl;
    private final String authToken;

    public TwilioFake(String publicBaseUrl, String authToken) {
        this.publicBaseUrl = publicBaseUrl;
        this.authToken = authToken;
    }

    /** The fake for the test profile's configuration. */
    public static TwilioFake forTests() {
        return new TwilioFake("http://localhost:8081", TEST_AUTH_TOKEN);
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
        StringBuilder data = new StringBuilder(publicBaseUrl).append(path);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a signed form to the service. */
    public Response post(String path, Map<String, String> params) {
        return given()
                .urlEncodingEnabled(true)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", sign(path, params))
                .formParams(params)
                .post(path);
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** POSTs a signed form with the JDK's client (cheap to use from many threads); returns the status. */
    public int send(String path, Map<String, String> params) {
        String body = params.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(publicBaseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", sign(path, params))
                .timeout(java.time.Duration.ofSeconds(30))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The path a callback goes to: recording callbacks have their own endpoint. */
    public static String pathOf(Map<String, String> request) {
        if (request.containsKey("RecordingSid")) {
            return RECORDING_PATH;
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

    private static Map<String, String> base(String callSid) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", ACCOUNT_SID);
        p.put("CallSid", callSid);
        return p;
    }
}
