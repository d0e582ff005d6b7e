package dev.calltracker.voice;

import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

@QuarkusTest
class VoiceWebhookTest extends ServiceTest {

    static final String FRAGMENT = "#ct=2000&rt=7000&tt=15000&rc=3&rp=ct,rt,5xx";

    /** Where the TwiML sends Twilio: the public base URL. */
    final String base = twilio.publicBaseUrl();

    static Document xml(Response response) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(response.asString().getBytes(StandardCharsets.UTF_8)));
    }

    long callsNamed(String sid) {
        return sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = $1", sid) + sql.eventsOf(sid);
    }

    @Test
    void dialsTheLeadWithStatusCallbacksOnNumberAndNoneOnDial() throws Exception {
        UUID lead = sql.insertLead("new", "+1 (555) 123-0001");
        String sid = newSid("CA");
        Response response = twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+15551230001", lead.toString()));
        response.then().statusCode(200).contentType(containsString("text/xml"));

        Document doc = xml(response);
        Element dial = (Element) doc.getElementsByTagName("Dial").item(0);
        assertThat(dial.getAttribute("callerId")).isEqualTo("+15005550006");
        assertThat(dial.getAttribute("record")).isEqualTo("record-from-answer");
        assertThat(dial.getAttribute("answerOnBridge")).isEqualTo("true");
        assertThat(dial.getAttribute("timeLimit")).isEqualTo("14400");
        assertThat(dial.getAttribute("action")).isEqualTo(base + "/api/calling/webhook" + FRAGMENT);
        assertThat(dial.getAttribute("method")).isEqualTo("POST");
        assertThat(dial.getAttribute("recordingStatusCallback")).isEqualTo(base + "/api/calling/recording" + FRAGMENT);
        assertThat(dial.getAttribute("recordingStatusCallbackEvent")).isEqualTo("completed");
        assertThat(dial.getAttribute("recordingStatusCallbackMethod")).isEqualTo("POST");
        assertThat(dial.hasAttribute("statusCallback")).as("Twilio ignores statusCallback on <Dial>").isFalse();
        assertThat(dial.hasAttribute("statusCallbackEvent")).isFalse();
        assertThat(dial.hasAttribute("statusCallbackMethod")).isFalse();

        Element number = (Element) dial.getElementsByTagName("Number").item(0);
        assertThat(number.getTextContent()).isEqualTo("+15551230001");
        assertThat(number.getAttribute("statusCallback")).isEqualTo(base + "/api/calling/webhook" + FRAGMENT);
        assertThat(number.getAttribute("statusCallbackEvent")).isEqualTo("initiated ringing answered completed");
        assertThat(number.getAttribute("statusCallbackMethod")).isEqualTo("POST");

        var call = sql.call(sid);
        assertThat(call.getString("status")).isEqualTo("initiated");
        assertThat(call.getUUID("lead_id")).isEqualTo(lead);
        assertThat(call.getString("to_number")).isEqualTo("+15551230001");
        assertThat(call.getString("caller")).isEqualTo("client:agent-1");
        assertThat(sql.activitiesOf(lead)).isEqualTo(1);
    }

    @Test
    void aRetriedVoiceRequestRecordsTheCallOnce() {
        String sid = newSid("CA");
        String lead = sql.insertLead("new", "+15551230002").toString();
        twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+15551230002", lead)).then().statusCode(200);
        twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+15551230002", lead)).then().statusCode(200)
                .body(containsString("<Number"));
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = $1", sid)).isEqualTo(1);
        assertThat(sql.eventsOf(sid)).isEqualTo(1);
    }

    @Test
    void refusesDestinationsThatMayNotBeDialedWithTwimlAndWritesNothing() throws Exception {
        for (String to : new String[] {"+447700900123", "+19005551234", "+18765551234", "5551230000", "+1555<Hangup/>",
                "+1555123\"/><Dial>+4477", "client:someone", "sip:x@evil.example", "+1 555 123 0000"}) {
            String sid = newSid("CA");
            Response response = twilio.post(TwilioFake.VOICE_PATH, voice(sid, to, null));
            response.then().statusCode(200).contentType(containsString("text/xml"));
            Document doc = xml(response);
            assertThat(doc.getElementsByTagName("Dial").getLength()).as(to).isZero();
            assertThat(doc.getElementsByTagName("Say").getLength()).isEqualTo(1);
            assertThat(doc.getElementsByTagName("Hangup").getLength()).isEqualTo(1);
            assertThat(callsNamed(sid)).as(to).isZero();
        }
    }

    /** The TwiML refusal's spoken reason, after checking that nothing is dialed and nothing is written for the call. */
    String refusal(String sid, String to, String leadId) throws Exception {
        Response response = twilio.post(TwilioFake.VOICE_PATH, voice(sid, to, leadId));
        response.then().statusCode(200).contentType(containsString("text/xml"));
        Document doc = xml(response);
        assertThat(doc.getElementsByTagName("Dial").getLength()).as("dialed %s", to).isZero();
        assertThat(callsNamed(sid)).as("rows written for %s", to).isZero();
        return doc.getElementsByTagName("Say").item(0).getTextContent();
    }

    @Test
    void aDialWithoutLeadIsRefusedAndWritesNothing() throws Exception {
        assertThat(refusal(newSid("CA"), "+15551230010", null)).contains("names no lead");
    }

    @Test
    void aLeadWithoutPhoneLetsNoNumberThrough() throws Exception {
        for (String phone : new String[] {null, "", "  "}) {
            String lead = sql.insertLead("new", phone).toString();
            assertThat(refusal(newSid("CA"), "+15551230011", lead)).as("phone '%s'", phone).contains("has no phone number");
        }
    }

    @Test
    void aLeadPhoneWithoutCountryCodeIsReadAsNorthAmericanNeverMatchedBySuffix() throws Exception {
        String national = sql.insertLead("new", "(555) 123-0012").toString();
        twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+15551230012", national)).then().statusCode(200)
                .body(containsString("<Number"));
        // Seven digits used to match the end of any number: +1 with any area code before them.
        String local = sql.insertLead("new", "123-0013").toString();
        assertThat(refusal(newSid("CA"), "+15551230013", local)).contains("not the lead's phone number");
        assertThat(refusal(newSid("CA"), "+12121230013", local)).contains("not the lead's phone number");
        // A national number is North American only: it does not stand for the same digits in another country.
        String withPlus = sql.insertLead("new", "+44 5551230014").toString();
        assertThat(refusal(newSid("CA"), "+15551230014", withPlus)).contains("not the lead's phone number");
    }

    @Test
    void caribbeanAndPremiumNumbersInsidePlusOneAreRefusedEvenAsTheLeadsPhone() throws Exception {
        // Jamaica, the Dominican Republic (three codes), the British Virgin Islands, Grenada, Turks and Caicos,
        // Bermuda; premium rate 900.
        for (String to : new String[] {"+18765550100", "+18095550100", "+18295550100", "+18495550100", "+12845550100",
                "+14735550100", "+16495550100", "+14415550100", "+19005550100"}) {
            String lead = sql.insertLead("new", to).toString();
            assertThat(refusal(newSid("CA"), to, lead)).as(to).contains("blocked");
        }
    }

    @Test
    void theParentLegOfARefusedDialLeavesNoCallBehind() throws Exception {
        String sid = newSid("CA");
        refusal(sid, "+18765550101", null);
        twilio.post(TwilioFake.WEBHOOK_PATH, TwilioFake.parentStatus(sid, "completed", java.time.OffsetDateTime.now(), 3))
                .then().statusCode(204);
        assertThat(callsNamed(sid)).as("the parent leg's end of a refused dial writes nothing").isZero();
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("calltracker_twilio_requests_total{endpoint=\"webhook\",result=\"unknown-call\"}"));
    }

    @Test
    void refusesANumberThatIsNotTheLeadsAndAnUnknownLead() throws Exception {
        UUID lead = sql.insertLead("new", "+15551230003");
        String sid = newSid("CA");
        Document doc = xml(twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+15551230004", lead.toString())));
        assertThat(doc.getElementsByTagName("Dial").getLength()).isZero();
        assertThat(doc.getElementsByTagName("Say").item(0).getTextContent()).contains("not the lead's phone number");

        String sid2 = newSid("CA");
        Document doc2 = xml(twilio.post(TwilioFake.VOICE_PATH, voice(sid2, "+15551230004", UUID.randomUUID().toString())));
        assertThat(doc2.getElementsByTagName("Dial").getLength()).isZero();
        assertThat(callsNamed(sid) + callsNamed(sid2)).isZero();
    }

    @Test
    void aForgedSignatureIsRefusedAndWritesNothing() {
        String sid = newSid("CA");
        Map<String, String> params = voice(sid, "+15551230005", null);
        given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl")
                .formParams(params).post(TwilioFake.VOICE_PATH)
                .then().statusCode(403).body("error", containsString("X-Twilio-Signature"));
        given().contentType("application/x-www-form-urlencoded").formParams(params).post(TwilioFake.VOICE_PATH)
                .then().statusCode(403);
        // Signed by someone with another token.
        twilio.withAuthToken("another-token").post(TwilioFake.VOICE_PATH, params).then().statusCode(403);
        // Signed for another URL (a replay against another endpoint).
        String signature = twilio.sign(TwilioFake.WEBHOOK_PATH, params);
        given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .formParams(params).post(TwilioFake.VOICE_PATH).then().statusCode(403);
        assertThat(callsNamed(sid)).isZero();
    }

    @Test
    void malformedValuesAreRefusedWithTheFieldNamed() {
        Map<String, String> badSid = voice("CA'; DROP TABLE leads; --", "+15551230006", null);
        twilio.post(TwilioFake.VOICE_PATH, badSid).then().statusCode(400)
                .body("field", equalTo("CallSid")).body("error", containsString("CallSid"));
        String sid = newSid("CA");
        twilio.post(TwilioFake.VOICE_PATH, voice(sid, "+15551230006", "not-a-uuid")).then().statusCode(400)
                .body("field", equalTo("LeadId"));
        Map<String, String> noTo = voice(sid, "+15551230006", null);
        noTo.remove("To");
        twilio.post(TwilioFake.VOICE_PATH, noTo).then().statusCode(400).body("field", equalTo("To"));
        assertThat(callsNamed(sid)).isZero();
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("calltracker_twilio_requests_total{endpoint=\"voice\",result=\"invalid\"}"));
    }

    @Test
    void wrongContentTypeOversizedBodyAndBrokenEncodingAreRefused() {
        given().contentType("application/json").body("{\"CallSid\":\"x\"}").post(TwilioFake.VOICE_PATH)
                .then().statusCode(415).body("error", containsString("application/x-www-form-urlencoded"));
        given().contentType("application/x-www-form-urlencoded").body("To=" + "1".repeat(70_000))
                .post(TwilioFake.WEBHOOK_PATH).then().statusCode(413);
        given().contentType("application/x-www-form-urlencoded").body("CallSid=%zz").post(TwilioFake.WEBHOOK_PATH)
                .then().statusCode(400).body("error", containsString("percent-encoding"));
    }
}
