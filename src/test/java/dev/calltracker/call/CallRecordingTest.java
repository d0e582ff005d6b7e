package dev.calltracker.call;

import dev.calltracker.testing.ServiceTest;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.calltracker.testing.ReadApi.as;
import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.ReadApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.calltracker.testing.AccessTokenVerifier;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.InjectWireMock;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call's recording streamed from Twilio's API (WireMock serving audio bytes where Twilio serves the MP3), with
 * the account's API key: ranges, a body of megabytes handed on while Twilio is still sending it, Twilio's errors,
 * stored URLs that are not Twilio's, and who may listen.
 */
@QuarkusTest
class CallRecordingTest extends ServiceTest {

    /** The test profile's API key (application.properties): the REST credentials Twilio must receive. */
    static final BasicCredentials API_KEY = new BasicCredentials(AccessTokenVerifier.API_KEY_SID,
            AccessTokenVerifier.API_KEY_SECRET);
    static final String RECORDINGS = "/2010-04-01/Accounts/" + TwilioFake.ACCOUNT_SID + "/Recordings/";

    @InjectWireMock
    WireMockServer twilioApi;

    @BeforeEach
    void forgetEarlierRequests() {
        twilioApi.resetAll();
    }

    /** A completed call whose recording callback came: its recording is stored with Twilio's URL. */
    BrowserCall recordedCall() {
        UUID lead = sql.insertLead("new", "+15551230501");
        BrowserCall c = BrowserCall.to(lead, "+15551230501", BrowserCall.Outcome.COMPLETED);
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200);
        twilio.playTheDial(c);
        twilio.post(TwilioFake.RECORDING_PATH, c.recording()).then().statusCode(204);
        return c;
    }

    static String mp3Of(BrowserCall c) {
        return RECORDINGS + c.recording().get("RecordingSid") + ".mp3";
    }

    static byte[] audio(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String path(BrowserCall c) {
        return "/api/calls/" + c.parentSid() + "/recording";
    }

    @Test
    void aCrmUserHearsTheRecordingStreamedWithTheAccountsCredentialsNeverCached() {
        BrowserCall c = recordedCall();
        byte[] mp3 = audio(3 * 1024 * 1024);
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).withBasicAuth(API_KEY.username, API_KEY.password)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "audio/mpeg")
                        .withHeader("Accept-Ranges", "bytes").withBody(mp3)));

        Response answer = asCrmUser().get(path(c));
        answer.then().statusCode(200).header("Content-Type", "audio/mpeg").header("Accept-Ranges", "bytes")
                .header("Cache-Control", "no-store");
        assertThat(answer.asByteArray()).isEqualTo(mp3);
        // The dialed leg's sid finds the same call; operators may listen too.
        assertThat(asOperator().get("/api/calls/" + c.dialedSid() + "/recording").then().statusCode(200)
                .extract().asByteArray()).isEqualTo(mp3);
        twilioApi.verify(2, getRequestedFor(urlEqualTo(mp3Of(c))).withBasicAuth(API_KEY));
    }

    @Test
    void aRangeIsAskedOfTwilioAndItsPartialAnswerComesBack() {
        BrowserCall c = recordedCall();
        byte[] mp3 = audio(100_000);
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).withHeader("Range", equalTo("bytes=1000-1999"))
                .willReturn(aResponse().withStatus(206).withHeader("Content-Type", "audio/mpeg")
                        .withHeader("Accept-Ranges", "bytes").withHeader("Content-Range", "bytes 1000-1999/100000")
                        .withBody(Arrays.copyOfRange(mp3, 1000, 2000))));

        Response answer = asCrmUser().header("Range", "bytes=1000-1999").get(path(c));
        answer.then().statusCode(206).header("Content-Range", "bytes 1000-1999/100000").header("Accept-Ranges", "bytes")
                .header("Content-Type", "audio/mpeg").header("Cache-Control", "no-store");
        assertThat(answer.asByteArray()).isEqualTo(Arrays.copyOfRange(mp3, 1000, 2000));
    }

    @Test
    void aRangeOutsideTheRecordingIs416AndANonsenseRangeIsIgnored() {
        BrowserCall c = recordedCall();
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).withHeader("Range", equalTo("bytes=900000-"))
                .willReturn(aResponse().withStatus(416)));
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).withHeader("Range", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "audio/mpeg").withBody(audio(10))));

        asCrmUser().header("Range", "bytes=900000-").get(path(c)).then().statusCode(416)
                .body("field", org.hamcrest.Matchers.equalTo("Range"));
        asCrmUser().header("Range", "lines=1-2\r\nX-Injected: 1").get(path(c)).then().statusCode(200);
        asCrmUser().header("Range", "lines=1-2").get(path(c)).then().statusCode(200);
    }

    /** Megabytes Twilio sends slowly reach the client as they come: the service holds no whole file. */
    @Test
    void aLargeRecordingIsHandedOnWhileTwilioIsStillSendingIt() throws Exception {
        BrowserCall c = recordedCall();
        byte[] mp3 = audio(4 * 1024 * 1024);
        int sendingMillis = 6_000;
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "audio/mpeg").withBody(mp3).withChunkedDribbleDelay(12, sendingMillis)));

        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path(c)))
                .header("Authorization", "Bearer " + IdentityProviderFake.crmUser()).build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(1024);
            long firstBytesMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(firstBytesMillis).as("the first bytes came before Twilio finished sending")
                    .isLessThan(sendingMillis / 2);
            byte[] rest = body.readAllBytes();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertThat(all).isEqualTo(mp3);
        }
    }

    @Test
    void anUnknownCallACallWithoutRecordingAndADeletedRecordingAre404() {
        asCrmUser().get("/api/calls/" + TwilioFake.newSid("CA") + "/recording").then().statusCode(404)
                .header("Cache-Control", "no-store").body("error", containsString("call not found"));
        UUID lead = sql.insertLead("new", "+15551230502");
        BrowserCall busy = BrowserCall.to(lead, "+15551230502", BrowserCall.Outcome.BUSY);
        twilio.post(TwilioFake.VOICE_PATH, busy.voice()).then().statusCode(200);
        twilio.playTheDial(busy);
        asCrmUser().get(path(busy)).then().statusCode(404).body("error", containsString("no recording"));

        BrowserCall c = recordedCall();
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":20404,\"status\":404}")));
        asCrmUser().get(path(c)).then().statusCode(404).header("Content-Type", containsString("application/problem+json"))
                .body("error", containsString("recording not found at Twilio"));
        asCrmUser().get("/api/calls/not-a-sid/recording").then().statusCode(400);
    }

    @Test
    void twilioFailingIsAProblemNeverAPartialFile() {
        BrowserCall c = recordedCall();
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).willReturn(aResponse().withStatus(500).withBody("oops")));
        asCrmUser().get(path(c)).then().statusCode(502).header("Cache-Control", "no-store")
                .header("Content-Type", containsString("application/problem+json"))
                .body("error", containsString("Twilio answered HTTP 500"));

        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).willReturn(aResponse().withStatus(401)));
        asCrmUser().get(path(c)).then().statusCode(502).body("error", containsString("credentials"));

        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        asCrmUser().get(path(c)).then().statusCode(503).header("Retry-After", "3");

        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        asCrmUser().get(path(c)).then().statusCode(503).header("Retry-After", "1")
                .body("error", containsString("did not answer"));
    }

    @Test
    void aStoredUrlThatIsNotTwiliosApiIsNeverFetched() {
        BrowserCall c = recordedCall();
        String recordingSid = c.recording().get("RecordingSid");
        String otherAccount = "AC" + "1".repeat(32);
        for (String url : new String[] {
                "https://evil.example" + RECORDINGS + recordingSid,
                "https://api.twilio.com.evil.example" + RECORDINGS + recordingSid,
                "https://api.twilio.com/2010-04-01/Accounts/" + otherAccount + "/Recordings/" + recordingSid,
                "https://api.twilio.com" + RECORDINGS + TwilioFake.newSid("RE"),
                "https://api.twilio.com" + RECORDINGS + recordingSid + "/../../../Calls.json",
                "https://api.twilio.com" + RECORDINGS + recordingSid + "?redirect=https://evil.example"}) {
            sql.execute("UPDATE call_recordings SET recording_url = $2 WHERE call_sid = $1", c.parentSid(), url);
            asCrmUser().get(path(c)).then().statusCode(502).body("error", containsString("not fetched"));
        }
        assertThat(twilioApi.getAllServeEvents()).isEmpty();
    }

    @Test
    void aRedirectToTwiliosCdnIsFollowedWithoutTheCredentials() {
        BrowserCall c = recordedCall();
        byte[] mp3 = audio(50_000);
        // Another host name for the same fake: the redirect leaves the API's origin.
        String cdn = twilioApi.baseUrl().replace("localhost", "127.0.0.1") + "/cdn/" + c.recording().get("RecordingSid") + ".mp3";
        twilioApi.stubFor(get(urlEqualTo(mp3Of(c))).withBasicAuth(API_KEY.username, API_KEY.password)
                .willReturn(aResponse().withStatus(302).withHeader("Location", cdn)));
        // A CDN may name the type its own way: the client gets the type the file is served with.
        twilioApi.stubFor(get(urlPathMatching("/cdn/.*")).withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(mp3)));

        assertThat(asCrmUser().get(path(c)).then().statusCode(200).header("Content-Type", "application/octet-stream")
                .header("Cache-Control", "no-store").extract().asByteArray()).isEqualTo(mp3);
        twilioApi.verify(1, getRequestedFor(urlPathMatching("/cdn/.*")).withHeader("Authorization", absent()));
    }

    @Test
    void withoutATokenIs401AndWithoutTheCrmRoleIs403() {
        BrowserCall c = recordedCall();
        given().get(path(c)).then().statusCode(401).header("WWW-Authenticate", containsStringIgnoringCase("bearer"));
        as("not-a-jwt").get(path(c)).then().statusCode(401);
        as(IdentityProviderFake.crmUserWith(Map.of("app_metadata", Map.of("provider", "email")))).get(path(c)).then()
                .statusCode(403);
        assertThat(twilioApi.getAllServeEvents()).isEmpty();
    }

    static String baseUrl() {
        return "http://localhost:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }
}
