package dev.calltracker.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureSettingsTest {

    @Test
    void readsTheKeyAndAlgorithmTwilioSends() {
        SignatureSettings settings = SignatureSettings.parse("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256");
        assertThat(settings.keyId()).isEqualTo("webhooks_sharedkey_1");
        assertThat(settings.isHmacSha256()).isTrue();
    }

    @Test
    void readsItAsTwilioNodeDoesInOrderSpacingAndCase() {
        // twilio-node 6.3 trims each part and compares the algorithm case-insensitively.
        SignatureSettings settings = SignatureSettings.parse(" algorithm = hmac_sha256 , key = KS0123:a.b-c ");
        assertThat(settings.keyId()).isEqualTo("KS0123:a.b-c");
        assertThat(settings.isHmacSha256()).isTrue();
    }

    @Test
    void ignoresParametersItDoesNotKnow() {
        assertThat(SignatureSettings.parse("key=k1,algorithm=HMAC_SHA256,version=2").keyId()).isEqualTo("k1");
    }

    @Test
    void otherAlgorithmsAreReadButAreNotHmacSha256() {
        for (String algorithm : List.of("HMAC_SHA1", "HMAC_SHA512", "none", "HMAC_SHA256X")) {
            assertThat(SignatureSettings.parse("key=k1,algorithm=" + algorithm).isHmacSha256()).as(algorithm).isFalse();
        }
    }

    @Test
    void malformedHeadersAreRefusedWithoutRepeatingThem() {
        for (String header : List.of("", "garbage", "key=k1", "algorithm=HMAC_SHA256", "key=,algorithm=HMAC_SHA256",
                "key=k1,algorithm=", "=k1,algorithm=HMAC_SHA256", "key=k1,,algorithm=HMAC_SHA256",
                "key=k1;algorithm=HMAC_SHA256", "key=k1,key=k2,algorithm=HMAC_SHA256",
                "key=k1,algorithm=HMAC_SHA256,algorithm=HMAC_SHA1", "key=k1 k2,algorithm=HMAC_SHA256",
                "key=' OR 1=1 --,algorithm=HMAC_SHA256", "key=<script>,algorithm=HMAC_SHA256",
                "key=k1,algorithm=HMAC SHA256", "key=" + "k".repeat(129) + ",algorithm=HMAC_SHA256",
                "key=k1,algorithm=HMAC_SHA256," + "x=y,".repeat(200) + "z=1", "key=k1,algorithm=HMAC_SHA256,",
                "key=k1,algorithm=HMAC_SHA256,1x=y")) {
            assertThatThrownBy(() -> SignatureSettings.parse(header)).as(header)
                    .isInstanceOf(SignatureSettings.Malformed.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("OR 1=1", "<script>"));
        }
    }
}
