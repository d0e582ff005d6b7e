package dev.calltracker.lead;

import dev.calltracker.http.QueryValues;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** The lead's timeline, newest first: what the CRM's lead page shows. */
@Path("/api/leads/{id}/activities")
@RolesAllowed({Roles.CRM_USER, Roles.OPERATOR})
@NoStore
public class LeadActivityResource {

    private static final int MAX_LIMIT = 500;

    private final LeadRepository leads;

    public LeadActivityResource(LeadRepository leads) {
        this.leads = leads;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<LeadActivity>> activities(@PathParam("id") String id, @QueryParam("limit") String limitParam) {
        UUID leadId = QueryValues.uuid("id", id);
        int limit = QueryValues.intBetween("limit", limitParam, 100, 1, MAX_LIMIT);
        return leads.activities(leadId, limit)
                .map(found -> found.orElseThrow(() -> new RequestRejected(404, "lead not found", "id")));
    }
}
