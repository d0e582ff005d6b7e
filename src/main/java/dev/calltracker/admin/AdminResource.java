package dev.calltracker.admin;

import dev.calltracker.reconcile.ReconcileReport;
import dev.calltracker.reconcile.StuckCallReconciler;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Operator actions. */
@Path("/api/admin")
public class AdminResource {

    private final AdminAuth auth;
    private final StuckCallReconciler reconciler;

    public AdminResource(AdminAuth auth, StuckCallReconciler reconciler) {
        this.auth = auth;
        this.reconciler = reconciler;
    }

    /** Runs the reconciler now on this replica and answers what it decided. */
    @POST
    @Path("/reconcile")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ReconcileReport> reconcile(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        auth.check(authorization);
        return reconciler.run("admin");
    }
}
