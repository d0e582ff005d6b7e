package dev.calltracker.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesPlusPercentAndEmptyValues() {
        FormBody form = FormBody.parse(bytes("To=%2B15551230000&Name=Ada+Lovelace&Empty=&Flag&Utf=%C3%A9%E4%B8%AD"));
        assertThat(form.first("To")).isEqualTo("+15551230000");
        assertThat(form.first("Name")).isEqualTo("Ada Lovelace");
        assertThat(form.first("Empty")).isEmpty();
        assertThat(form.first("Flag")).isEmpty();
        assertThat(form.first("Utf")).isEqualTo("é中");
        assertThat(form.first("Missing")).isNull();
    }

    @Test
    void keepsRepeatedParametersInOrder() {
        FormBody form = FormBody.parse(bytes("a=1&b=2&a=3"));
        assertThat(form.all().get("a")).containsExactly("1", "3");
        assertThat(form.first("a")).isEqualTo("1");
    }

    @Test
    void refusesBrokenEncodingAndInvalidUtf8() {
        assertThatThrownBy(() -> FormBody.parse(bytes("a=%2"))).hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> FormBody.parse(bytes("a=%zz"))).hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> FormBody.parse(bytes("a=%C3%28"))).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> FormBody.parse(new byte[] {'a', '=', (byte) 0xff})).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> FormBody.parse(bytes("=value"))).hasMessageContaining("empty name");
    }

    @Test
    void parsesWhatJavaEncodesForGeneratedParameters() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int j = random.nextInt(8); j > 0; j--) {
                params.put("k" + random.nextInt(1000) + text(random), text(random));
            }
            String body = params.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            assertThat(FormBody.parse(body.getBytes(StandardCharsets.US_ASCII)).firstValues()).isEqualTo(params);
        }
    }

    private static String text(Random random) {
        String alphabet = "aZ09 +&=%?#/\\\"'<>é中😀\n\t";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
            s.appendCodePoint(cp);
        }
        return s.toString();
    }
}
