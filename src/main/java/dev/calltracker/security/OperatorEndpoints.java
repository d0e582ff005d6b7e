package dev.calltracker.security;

import jakarta.inject.Inject;
import dev.calltracker.http.RequestRejected;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The operator endpoints exist only when {@code ADMIN_TOKEN} is set: without it they answer 404 to everyone,
 * before authentication is even asked for. Pre-matching, because {@code @RolesAllowed} is checked before
 * ordinary filters run.
 */
public class OperatorEndpoints {

    public static final String ADMIN = "/api/admin";
    public static final String DIAGNOSTICS = "/api/diagnostics";

    @Inject
    OperatorTokenAuthenticationMechanism operators;

    @ServerRequestFilter(preMatching = true)
    public void hideWhenDisabled(ContainerRequestContext request) {
        if (!operators.operatorsEnabled()) {
            String path = request.getUriInfo().getPath();
            if (isUnder(path, ADMIN) || isUnder(path, DIAGNOSTICS)) {
                throw new RequestRejected(404, "not found", null);
            }
        }
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
