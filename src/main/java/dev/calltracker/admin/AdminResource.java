package dev.calltracker.admin;

import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import dev.calltracker.http.ApiContract;

import dev.calltracker.reconcile.ReconcileReport;
import dev.calltracker.reconcile.StuckCallReconciler;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.OperatorEndpoints;
import dev.calltracker.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Operator actions. */
@Tag(name = ApiContract.TAG_OPERATIONS)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path(OperatorEndpoints.ADMIN)
@RolesAllowed(Roles.OPERATOR)
@NoStore
public class AdminResource {

    @Inject
    StuckCallReconciler reconciler;

    /** Runs the reconciler now on this replica and answers what it decided. */
    @POST
    @Path("/reconcile")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReconcileReport> reconcile() {
        return reconciler.run("admin");
    }
}
