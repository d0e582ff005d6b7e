package dev.calltracker.bench;

import dev.calltracker.config.CallingConfig;
import dev.calltracker.config.TwilioConfig;
import dev.calltracker.twilio.FormBody;
import dev.calltracker.twilio.TwilioSignature;
import dev.calltracker.twilio.TwilioSignatureVerifier;
import dev.calltracker.twilio.TwimlBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The in-process work of one Twilio request before and after the database: parse the form body, check
 * {@code X-Twilio-Signature}, build the TwiML answer. Input: a dialed-leg status callback as Twilio sends
 * it (31 parameters, about 900 bytes), signed with the Auth Token for an https public URL, checked by the
 * service's own {@link TwilioSignatureVerifier}: four URL forms on a callback path (with and without :443,
 * with and without the connection-override fragment), as in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {

    static final String TOKEN = "bench-token";
    static final String URL = "https://calls.example.com/api/calling/webhook";

    byte[] body;
    String signatureHeader;
    Map<String, List<String>> parsed;
    TwilioSignatureVerifier verifier;
    TwimlBuilder twiml;

    @Setup
    public void setup() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC6513270e269e0d37f2a74de452e6b438");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", "CA30d0a2b8544940e12a66f913ee7d0ae2");
        p.put("ParentCallSid", "CA145103c7ff5e1d1f1cfb0a06bb93c8eb");
        p.put("CallStatus", "completed");
        p.put("SequenceNumber", "3");
        p.put("Timestamp", "Thu, 01 Jan 2026 00:01:42 +0000");
        p.put("CallbackSource", "call-progress-events");
        p.put("Direction", "outbound-dial");
        for (String prefix : List.of("Called", "To", "Caller", "From")) {
            boolean dest = prefix.equals("Called") || prefix.equals("To");
            p.put(prefix, dest ? "+15559336111" : "+15005550006");
            p.put(prefix + "City", dest ? "SAN FRANCISCO" : "AUSTIN");
            p.put(prefix + "State", dest ? "CA" : "TX");
            p.put(prefix + "Zip", dest ? "94105" : "73301");
            p.put(prefix + "Country", "US");
        }
        p.put("CallDuration", "42");
        p.put("Duration", "1");
        p.put("SipResponseCode", "200");
        StringBuilder form = new StringBuilder();
        p.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        body = form.toString().getBytes(StandardCharsets.UTF_8);
        parsed = FormBody.parse(body).all();
        signatureHeader = TwilioSignature.authToken(TOKEN).sign(URL, parsed);
        verifier = new TwilioSignatureVerifier(new BenchConfig(), new BenchTwilioConfig());
        verify(parsed); // throws when the benchmark's own request does not verify
        twiml = new TwimlBuilder(new BenchConfig());
    }

    /** FormBody.parse of the request body (strict percent-decoding and UTF-8 check). */
    @Benchmark
    public FormBody parseForm() {
        return FormBody.parse(body);
    }

    /** The signature check on parsed parameters (HMAC-SHA1 per URL form, constant-time compare). */
    @Benchmark
    public TwilioSignatureVerifier.Verified validateSignature() {
        return verify(parsed);
    }

    /** What the request reader does per request before the shape checks: parse, then verify. */
    @Benchmark
    public TwilioSignatureVerifier.Verified parseAndValidate() {
        return verify(FormBody.parse(body).all());
    }

    private TwilioSignatureVerifier.Verified verify(Map<String, List<String>> params) {
        return verifier.verify("webhook", "/api/calling/webhook", null, null, signatureHeader, params);
    }

    /** The voice webhook's answer: {@code <Dial>} with every callback. */
    @Benchmark
    public String twimlDial() {
        return twiml.dial("+15559336111");
    }

    /** The {@code <Dial action>}'s answer. */
    @Benchmark
    public String twimlHangup() {
        return twiml.hangup();
    }

    /** The Twilio account as production sets it (TWILIO_* environment variables): the Auth Token only. */
    static final class BenchTwilioConfig implements TwilioConfig {
        @Override
        public String authToken() {
            return TOKEN;
        }

        @Override
        public Optional<List<String>> webhookSharedKeys() {
            return Optional.empty();
        }

        @Override
        public Optional<String> accountSid() {
            return Optional.empty();
        }

        @Override
        public Optional<String> apiKeySid() {
            return Optional.empty();
        }

        @Override
        public Optional<String> apiKeySecret() {
            return Optional.empty();
        }

        @Override
        public String apiBaseUrl() {
            return "https://api.twilio.com";
        }
    }

    /** The service's configuration as production sets it (CALLING_* environment variables). */
    static final class BenchConfig implements CallingConfig {
        @Override
        public String publicBaseUrl() {
            return "https://calls.example.com";
        }

        @Override
        public String callerId() {
            return "+15005550006";
        }

        @Override
        public List<String> allowedPrefixes() {
            return List.of("+1");
        }

        @Override
        public List<String> blockedPrefixes() {
            return List.of("+1900", "+1976");
        }

        @Override
        public Duration timeLimit() {
            return Duration.ofSeconds(14400);
        }

        @Override
        public String callbackUrlFragment() {
            return "#ct=2000&rt=7000&tt=15000&rc=3&rp=ct,rt,5xx";
        }
    }
}
