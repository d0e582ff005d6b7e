package dev.calltracker.admin;

import jakarta.inject.Inject;
import dev.calltracker.http.ApiContract;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.calltracker.http.QueryValues;
import dev.calltracker.retention.PersonalDataEraser;
import dev.calltracker.retention.PersonalDataErasure;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.OperatorEndpoints;
import dev.calltracker.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Erasure of one lead's personal data (a data subject's request). Idempotent: an unknown lead, or one erased
 * before, is answered 200 with zero counts, so the CRM can simply repeat a request whose answer it lost.
 */
@Tag(name = ApiContract.TAG_OPERATIONS)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path(OperatorEndpoints.ADMIN + "/leads/{id}/personal-data")
@RolesAllowed(Roles.OPERATOR)
@NoStore
public class PersonalDataResource {

    @Inject
    PersonalDataEraser eraser;

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<PersonalDataErasure> erase(@PathParam("id") String id) {
        return eraser.erase(QueryValues.uuid("id", id));
    }
}
