package dev.calltracker.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioSignatureTest {

    static final Map<String, String> VECTOR_PARAMS_1 = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675310",
            "Digits", "1234", "From", "+14158675310", "To", "+18005551212");
    static final Map<String, String> VECTOR_PARAMS_2 = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
            "Digits", "1234", "From", "+14158675309", "To", "+18005551212");

    final TwilioSignature signature = TwilioSignature.authToken("12345");

    static Map<String, List<String>> multi(Map<String, String> params) {
        return params.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }

    /**
     * The Auth Token's vectors are Twilio's documented ones. The SharedKey ones (Webhook Rules: HMAC-SHA256 over the
     * same string, Base64) come from twilio-node's own signer, as twilio-java 13.0.1 has no validator for them: the
     * npm package twilio 6.3.1, {@code lib/webhooks/webhooks.js}, {@code getExpectedTwilioSignature(secret, url,
     * params, "HMAC_SHA256")}, each also accepted by its {@code validateRequest(..., "HMAC_SHA256")}.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            auth-token | https://example.com/myapp.php?foo=1&bar=2       | 1 | L/OH5YylLD5NRKLltdqwSvS0BnU=
            auth-token | https://mycompany.com/myapp.php?foo=1&bar=2     | 2 | RSOYDt4T1cUTdK1PDd93/VVr8B8=
            auth-token | https://mycompany.com:443/myapp.php?foo=1&bar=2 | 2 | kvajT1Ptam85bY51eRf/AJRuM3w=
            auth-token | https://mycompany.com/myapp.php?foo=1&bar=2     | 0 | zYQTYrRWXE7LtzbG4PfP7/bkkGo=
            shared-key | https://mycompany.com/myapp.php?foo=1&bar=2     | 2 | 033hgUJA9M/hXIZsYjwkerEP/DBm35nEri5FhCYjA5s=
            shared-key | https://mycompany.com:443/myapp.php?foo=1&bar=2 | 2 | grxRoa/VNtXxd524NGLxIdev83nh23xhrRUVm50Umq4=
            shared-key | https://mycompany.com/myapp.php?foo=1&bar=2     | 0 | M5sDn7HQLZ2oOEt/pdNtlwOrdCfzOTE0f6NWiCCM6Tg=
            """)
    void computesTheReferenceVectors(String algorithm, String url, int vectorParams, String expected) {
        TwilioSignature signer = "auth-token".equals(algorithm) ? signature : TwilioSignature.sharedKey("12345");
        Map<String, String> params = switch (vectorParams) {
            case 1 -> VECTOR_PARAMS_1;
            case 2 -> VECTOR_PARAMS_2;
            default -> Map.of();
        };
        assertThat(signer.sign(url, multi(params))).isEqualTo(expected);
    }

    @Test
    void acceptsTheUrlWithOrWithoutTheDefaultPort() {
        assertThat(signature.isValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2),
                "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
        assertThat(signature.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2),
                "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
    }

    @Test
    void refusesMissingWrongAndAlteredSignatures() {
        String url = "https://example.com/myapp.php?foo=1&bar=2";
        assertThat(signature.isValid(url, multi(VECTOR_PARAMS_1), null)).isFalse();
        assertThat(signature.isValid(url, multi(VECTOR_PARAMS_1), "")).isFalse();
        assertThat(signature.isValid(url, multi(VECTOR_PARAMS_1), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        Map<String, String> altered = new LinkedHashMap<>(VECTOR_PARAMS_1);
        altered.put("To", "+19005551212");
        assertThat(signature.isValid(url, multi(altered), "L/OH5YylLD5NRKLltdqwSvS0BnU=")).isFalse();
        assertThat(TwilioSignature.authToken("54321").isValid(url, multi(VECTOR_PARAMS_1), "L/OH5YylLD5NRKLltdqwSvS0BnU="))
                .isFalse();
    }

    /** The official validator (twilio-java) as oracle, over generated URLs, parameters and tokens. */
    @Test
    void agreesWithTwiliosReferenceValidatorOnGeneratedInputs() {
        Random random = new Random(20261125);
        String[] hosts = {"https://example.com", "https://example.com:443", "http://localhost:8080", "http://10.0.0.1",
                "https://calls.example.org:8443", "http://example.com:80"};
        for (int i = 0; i < 2_000; i++) {
            String token = randomText(random, 1 + random.nextInt(40), false);
            String url = hosts[random.nextInt(hosts.length)] + "/" + randomText(random, random.nextInt(12), true)
                    + (random.nextBoolean() ? "?q=" + randomText(random, random.nextInt(8), true) : "");
            Map<String, String> params = new LinkedHashMap<>();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                params.put(randomText(random, 1 + random.nextInt(10), true), randomText(random, random.nextInt(30), false));
            }
            TwilioSignature ours = TwilioSignature.authToken(token);
            RequestValidator reference = new RequestValidator(token);
            String signed = ours.sign(url, multi(params));
            assertThat(reference.validate(url, params, signed)).as("reference accepts ours for %s %s", url, params).isTrue();
            assertThat(ours.isValid(url, multi(params), signed)).isTrue();

            String forged = forge(random, signed);
            assertThat(ours.isValid(url, multi(params), forged)).as("forged %s", forged).isFalse();
            assertThat(reference.validate(url, params, forged)).isFalse();
            if (!params.isEmpty()) {
                Map<String, String> changed = new LinkedHashMap<>(params);
                String key = changed.keySet().iterator().next();
                changed.put(key, changed.get(key) + "x");
                assertThat(ours.isValid(url, multi(changed), signed)).isFalse();
                assertThat(reference.validate(url, changed, signed)).isFalse();
            }
        }
    }

    /** A SharedKey signature is checked with the port toggled too, and is never taken for the Auth Token's. */
    @Test
    void checksSharedKeySignaturesAsTwilioNodeDoes() {
        TwilioSignature sharedKey = TwilioSignature.sharedKey("12345");
        assertThat(sharedKey.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2),
                "grxRoa/VNtXxd524NGLxIdev83nh23xhrRUVm50Umq4=")).as("port toggled").isTrue();
        // The same request signed with the Auth Token's algorithm and the same secret is another signature.
        assertThat(sharedKey.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2),
                "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
        assertThat(signature.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2),
                "033hgUJA9M/hXIZsYjwkerEP/DBm35nEri5FhCYjA5s=")).isFalse();
    }

    /** A dialed leg's status callback as this service receives it, signed by twilio-node 6.3.1 (see above). */
    static final Map<String, String> CALLBACK = Map.ofEntries(Map.entry("AccountSid", "AC" + "0".repeat(32)),
            Map.entry("CallSid", "CA" + "1".repeat(32)), Map.entry("ParentCallSid", "CA" + "2".repeat(32)),
            Map.entry("CallStatus", "completed"), Map.entry("SequenceNumber", "3"), Map.entry("CallDuration", "30"),
            Map.entry("CallbackSource", "call-progress-events"), Map.entry("Direction", "outbound-dial"),
            Map.entry("From", "+15005550006"), Map.entry("To", "+15551230000"),
            Map.entry("Timestamp", "Tue, 01 Dec 2026 15:00:00 +0000"));

    @Test
    void computesCallbackSignaturesOfBothKeysOfARotationAsTwilioNodeDoes() {
        String url = "https://calls.example.com/api/calling/webhook";
        String fragment = "#rc=3&rp=ct,rt,5xx";
        TwilioSignature current = TwilioSignature.sharedKey("shared-key-secret-current");
        TwilioSignature previous = TwilioSignature.sharedKey("shared-key-secret-previous=");
        assertThat(current.sign(url, multi(CALLBACK))).isEqualTo("O9je4b8bR1R7HC0MsOcYU3/CV0285gobahptCBXbJKY=");
        assertThat(current.sign(url + fragment, multi(CALLBACK))).isEqualTo("lxqQyigHgXk0s/yaGY67ptLvMCcJGRENgHe8UHbEFC0=");
        assertThat(current.sign("https://calls.example.com:443/api/calling/webhook" + fragment, multi(CALLBACK)))
                .isEqualTo("NTD90d0kX4oONDaYkt7O93ANufUvLN/6Ecb57gX1C2E=");
        assertThat(previous.sign(url, multi(CALLBACK))).isEqualTo("Vrj9kt+Lr5IcauAoaHWnkCFJEnIdG9YsdY1LR1ZdN+A=");
        assertThat(previous.sign(url + fragment, multi(CALLBACK))).isEqualTo("m4TdinklKQmVCphaXVDPb4fuWxPOUQLjvXh+jGov8hk=");
        assertThat(previous.sign("https://calls.example.com:443/api/calling/webhook" + fragment, multi(CALLBACK)))
                .isEqualTo("cfQI+uTUYrkV+j2ZY8HwoHBdOf1bGhR8H3Rsv+R8PVc=");
        // The Auth Token over the URL with the fragment: twilio-node 6.3.1 and twilio-java agree.
        String withFragment = TwilioSignature.authToken("test-auth-token-not-a-secret").sign(url + fragment, multi(CALLBACK));
        assertThat(withFragment).isEqualTo("NptLV6QA56IDbW4Kmnp6/5h7wjE=");
        assertThat(new RequestValidator("test-auth-token-not-a-secret").validate(url + fragment, CALLBACK, withFragment))
                .isTrue();
    }

    /**
     * Over generated inputs, SharedKey signatures equal an independent implementation of twilio-node 6.3's
     * algorithm written here with javax.crypto (the string, the HMAC-SHA256, the Base64, as in
     * {@code getExpectedTwilioSignature}), and a changed parameter, URL or secret does not verify.
     */
    @Test
    void sharedKeySignaturesAgreeWithTheAlgorithmOnGeneratedInputs() throws Exception {
        Random random = new Random(20261201);
        for (int i = 0; i < 1_000; i++) {
            String secret = randomText(random, 1 + random.nextInt(40), false);
            String url = "https://calls.example.org/" + randomText(random, random.nextInt(12), true)
                    + (random.nextBoolean() ? "#rc=" + random.nextInt(6) : "");
            Map<String, String> params = new LinkedHashMap<>();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                params.put(randomText(random, 1 + random.nextInt(10), true), randomText(random, random.nextInt(30), false));
            }
            StringBuilder data = new StringBuilder(url);
            new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));

            TwilioSignature ours = TwilioSignature.sharedKey(secret);
            assertThat(ours.sign(url, multi(params))).as("%s %s", url, params).isEqualTo(expected);
            assertThat(ours.isValid(url, multi(params), expected)).isTrue();
            assertThat(ours.isValid(url, multi(params), forge(random, expected))).isFalse();
            assertThat(ours.isValid(url + "x", multi(params), expected)).isFalse();
            assertThat(TwilioSignature.sharedKey(secret + "x").isValid(url, multi(params), expected)).isFalse();
            if (!params.isEmpty()) {
                Map<String, String> changed = new LinkedHashMap<>(params);
                String key = changed.keySet().iterator().next();
                changed.put(key, changed.get(key) + "x");
                assertThat(ours.isValid(url, multi(changed), expected)).isFalse();
            }
        }
    }

    @Test
    void reportsEveryCandidateUrlThatMatches() {
        List<String> urls = List.of("https://a.example/x", "https://a.example:443/x", "https://a.example/x#f",
                "https://a.example:443/x#f");
        byte[] params = TwilioSignature.signedParameters(multi(VECTOR_PARAMS_1));
        for (int i = 0; i < urls.size(); i++) {
            byte[] given = signature.sign(urls.get(i), multi(VECTOR_PARAMS_1)).getBytes(StandardCharsets.UTF_8);
            assertThat(signature.matches(urls, params, given)).as(urls.get(i)).isEqualTo(1 << i);
        }
        assertThat(signature.matches(urls, params, "nope".getBytes(StandardCharsets.UTF_8))).isZero();
    }

    private static String forge(Random random, String signature) {
        char[] chars = signature.toCharArray();
        int i = random.nextInt(chars.length - 1);
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    private static String randomText(Random random, int length, boolean identifier) {
        String alphabet = identifier ? "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
                : "abcXYZ019 +-_.:/=&?%#<>\"'éü中\u00a0\t";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
