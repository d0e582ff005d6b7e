package dev.calltracker.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Declares on each operation the problem answers that follow from who may call it (its security requirements), as
 * the shared filters and mappers answer them: a resource says who its callers are, not every refusal again.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        Set<String> schemes = schemes(operation.getSecurity());
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            return operation;
        }
        if (schemes.contains(ApiContract.TWILIO_SIGNATURE)) {
            add(responses, "400", ApiContract.BAD_REQUEST);
            add(responses, "403", ApiContract.SIGNATURE_REFUSED);
            add(responses, "413", ApiContract.BODY_REFUSED);
            add(responses, "415", ApiContract.BODY_REFUSED);
        }
        List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
        if (!parameters.isEmpty()) {
            // QueryValues and the resources refuse a malformed parameter, naming it.
            add(responses, "400", ApiContract.BAD_REQUEST);
        }
        if (parameters.stream().anyMatch(parameter -> parameter.getIn() == Parameter.In.PATH)) {
            // A path names one thing (a call, a lead): unknown is 404.
            add(responses, "404", ApiContract.NOT_FOUND);
        }
        if (schemes.contains(ApiContract.CRM_USER) || schemes.contains(ApiContract.OPERATOR)) {
            add(responses, "401", ApiContract.UNAUTHORIZED);
            add(responses, "403", ApiContract.FORBIDDEN);
        }
        if (schemes.equals(Set.of(ApiContract.OPERATOR))) {
            // OperatorEndpoints hides them while ADMIN_TOKEN is unset.
            add(responses, "404", ApiContract.NOT_FOUND);
        }
        if (!schemes.isEmpty()) {
            add(responses, "503", ApiContract.UNAVAILABLE);
        }
        return operation;
    }

    private static Set<String> schemes(List<SecurityRequirement> security) {
        if (security == null) {
            return Set.of();
        }
        return security.stream().flatMap(requirement -> requirement.getSchemes().keySet().stream()).collect(Collectors.toSet());
    }

    private static void add(APIResponses responses, String status, String ref) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(ref));
        }
    }
}
