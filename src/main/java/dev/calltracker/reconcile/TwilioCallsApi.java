package dev.calltracker.reconcile;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Twilio's REST API, the two calls the reconciler needs. Base URL: {@code twilio.api-base-url}. */
@RegisterRestClient(configKey = "twilio-api")
@Path("/2010-04-01/Accounts/{accountSid}")
public interface TwilioCallsApi {

    @GET
    @Path("/Calls/{callSid}.json")
    Uni<TwilioCall> fetchCall(@HeaderParam("Authorization") String authorization,
                              @PathParam("accountSid") String accountSid, @PathParam("callSid") String callSid);

    @GET
    @Path("/Calls.json")
    Uni<TwilioCall.Page> childCalls(@HeaderParam("Authorization") String authorization,
                                    @PathParam("accountSid") String accountSid,
                                    @QueryParam("ParentCallSid") String parentCallSid);
}
