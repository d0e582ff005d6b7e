package dev.calltracker.lead;

import static dev.calltracker.testing.ReadApi.asCrmUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.calltracker.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /api/leads/{id}/activities in pages: limit, an opaque cursor, the next page named in the Link header. */
@QuarkusTest
class LeadTimelinePagesTest {

    static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    final TestSql sql = TestSql.forTests();

    /** A lead with {@code n} activities, three at a time starting in the same second (ties the id must order). */
    UUID leadWithActivities(int n) {
        UUID lead = sql.insertLead("new", "+15550002222");
        sql.execute("""
                INSERT INTO lead_activities (lead_id, type, status, started_at, lead_seq)
                SELECT $1, 'call', 'completed', date_trunc('second', now()) - (g / 3) * interval '1 minute', g
                  FROM generate_series(1, $2) g""", lead, n);
        return lead;
    }

    /** The timeline in its documented order, from the table. */
    List<String> timelineInTheDatabase(UUID lead) {
        return sql.rows("SELECT id FROM lead_activities WHERE lead_id = $1 ORDER BY started_at DESC, id DESC", lead)
                .stream().map(r -> r.getUUID("id").toString()).toList();
    }

    static String next(Response page) {
        String link = page.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        assertThat(m.matches()).as(link).isTrue();
        return m.group(1);
    }

    @Test
    void followingTheLinksReadsTheWholeTimelineWithoutGapsOrDuplicates() {
        UUID lead = leadWithActivities(250);
        List<String> read = new ArrayList<>();
        String path = "/api/leads/" + lead + "/activities?limit=40";
        int pages = 0;
        while (path != null) {
            Response page = asCrmUser().get(path).then().statusCode(200).extract().response();
            List<String> ids = page.jsonPath().getList("id");
            assertThat(ids.size()).isBetween(1, 40);
            read.addAll(ids);
            path = next(page);
            pages++;
        }
        assertThat(pages).isEqualTo(7);
        assertThat(read).containsExactlyElementsOf(timelineInTheDatabase(lead));
    }

    @Test
    void aClientThatNamesNothingGetsTheNewestHundredAsBefore() {
        UUID lead = leadWithActivities(130);
        Response page = asCrmUser().get("/api/leads/" + lead + "/activities").then().statusCode(200).extract().response();
        assertThat(page.jsonPath().getList("id")).containsExactlyElementsOf(timelineInTheDatabase(lead).subList(0, 100));
        assertThat(next(page)).startsWith("/api/leads/" + lead + "/activities?limit=100&cursor=");
    }

    @Test
    void aPageThatEndsTheTimelineNamesNoNext() {
        UUID lead = leadWithActivities(40);
        asCrmUser().get("/api/leads/" + lead + "/activities?limit=40").then().statusCode(200)
                .body("size()", equalTo(40)).header("Link", nullValue());
        UUID empty = sql.insertLead("new", "+15550002223");
        asCrmUser().get("/api/leads/" + empty + "/activities").then().statusCode(200)
                .body("size()", equalTo(0)).header("Link", nullValue());
        asCrmUser().get("/api/leads/" + UUID.randomUUID() + "/activities").then().statusCode(404);
    }

    @Test
    void limitBounds() {
        UUID lead = leadWithActivities(3);
        asCrmUser().get("/api/leads/" + lead + "/activities?limit=1").then().statusCode(200).body("size()", equalTo(1));
        asCrmUser().get("/api/leads/" + lead + "/activities?limit=500").then().statusCode(200).body("size()", equalTo(3));
        for (String limit : List.of("0", "501", "-1", "ten", "1.5")) {
            asCrmUser().get("/api/leads/" + lead + "/activities?limit=" + limit).then().statusCode(400)
                    .body("field", equalTo("limit"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "djE6eDp5", "djE6MTIzOm5vdC1hLXV1aWQ", "djI6MTIzOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA"})
    void aCursorThisServiceDidNotWriteIsRefused(String cursor) {
        UUID lead = leadWithActivities(3);
        asCrmUser().get("/api/leads/" + lead + "/activities?cursor=" + cursor).then().statusCode(400)
                .body("field", equalTo("cursor"));
    }

    @Test
    void theCursorIsOpaqueButItsEntryIsTheLastOfThePage() {
        UUID lead = leadWithActivities(5);
        Response page = asCrmUser().get("/api/leads/" + lead + "/activities?limit=2").then().statusCode(200).extract().response();
        String cursor = next(page).substring(next(page).indexOf("cursor=") + 7);
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        assertThat(decoded).endsWith(":" + page.jsonPath().getList("id").get(1));
    }
}
