package dev.calltracker.voice;

import jakarta.inject.Inject;
import dev.calltracker.http.ApiContract;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.calltracker.config.CallingConfig;
import dev.calltracker.http.CannotAnswer;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.Roles;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The browser's way to place calls: a Twilio Voice access token for the signed-in agent, whose outgoing calls
 * reach the TwiML App, that is this service's voice webhook. Only CRM users with the identity provider's token:
 * the identity comes from one of its claims. Without the API key or the TwiML App configured it answers 503
 * naming what to set; the rest of the service runs without them.
 */
@Tag(name = ApiContract.TAG_CRM)
@SecurityRequirement(name = ApiContract.CRM_USER)
@Path("/api/calling/token")
@RolesAllowed(Roles.CRM_USER)
@NoStore
public class AccessTokenResource {

    @Inject
    VoiceAccessTokens tokens;
    @Inject
    CallingConfig calling;

    /** An HMAC over a few hundred bytes: no I/O, so it runs on the event loop. */
    @POST
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public AccessToken token(@Context SecurityContext caller) {
        List<String> missing = tokens.missingSettings();
        if (!missing.isEmpty()) {
            throw new CannotAnswer(503, "access tokens are not configured: set " + String.join(", ", missing), null);
        }
        JsonWebToken token = (JsonWebToken) caller.getUserPrincipal();
        return tokens.mint(AgentIdentity.of(token, calling.identityClaim()));
    }
}
