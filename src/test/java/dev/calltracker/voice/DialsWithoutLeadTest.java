package dev.calltracker.voice;

import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.voice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CALLING_ALLOW_DIALS_WITHOUT_LEAD=true: a dial without LeadId goes out, still inside the destination policy. */
@QuarkusTest
@TestProfile(DialsWithoutLeadTest.Allowed.class)
class DialsWithoutLeadTest extends ServiceTest {

    @Test
    void aDialWithoutLeadIsDialedAndRecordedWithoutLead() {
        String sid = newSid("CA");
        twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+15551230020", null)).then().statusCode(200)
                .body(containsString("<Number")).body(containsString("+15551230020"));
        assertThat(sql.call(sid).getUUID("lead_id")).isNull();
    }

    @Test
    void theDestinationPolicyStillApplies() {
        String sid = newSid("CA");
        twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+18765550100", null)).then().statusCode(200)
                .body(not(containsString("<Dial"))).body(containsString("blocked"));
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = $1", sid)).isZero();
    }

    public static class Allowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("calling.allow-dials-without-lead", "true");
        }
    }
}
