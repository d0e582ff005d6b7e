package dev.calltracker.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    static final Map<String, String> VECTOR_PARAMS_1 = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675310",
            "Digits", "1234", "From", "+14158675310", "To", "+18005551212");
    static final Map<String, String> VECTOR_PARAMS_2 = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
            "Digits", "1234", "From", "+14158675309", "To", "+18005551212");

    final TwilioSignature signature = new TwilioSignature("12345");

    static Map<String, List<String>> multi(Map<String, String> params) {
        return params.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }

    @Test
    void computesTheDocumentedTestVectors() {
        assertThat(signature.sign("https://example.com/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_1)))
                .isEqualTo("L/OH5YylLD5NRKLltdqwSvS0BnU=");
        assertThat(signature.sign("https://mycompany.com/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2)))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(signature.sign("https://mycompany.com:443/myapp.php?foo=1&bar=2", multi(VECTOR_PARAMS_2)))
                .isEqualTo("kvajT1Ptam85bY51eRf/AJRuM3w=");
        assertThat(signature.sign("https://mycompany.com/myapp.php?foo=1&bar=2", Map.of()))
                .isEqualTo("zYQTYrRWXE7LtzbG4PfP7/bkkGo=");
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
        assertThat(new TwilioSignature("54321").isValid(url, multi(VECTOR_PARAMS_1), "L/OH5YylLD5NRKLltdqwSvS0BnU="))
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
            TwilioSignature ours = new TwilioSignature(token);
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
