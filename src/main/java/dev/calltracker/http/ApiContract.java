package dev.calltracker.http;

/**
 * The names the resources' OpenAPI annotations share with {@code META-INF/openapi.yaml}, which defines them:
 * security schemes, tags and the problem answers.
 */
public final class ApiContract {

    public static final String CRM_USER = "crmUser";
    public static final String OPERATOR = "operator";
    public static final String TWILIO_SIGNATURE = "twilioSignature";

    public static final String TAG_TWILIO = "Twilio";
    public static final String TAG_CRM = "CRM";
    public static final String TAG_OPERATIONS = "Operations";

    public static final String BAD_REQUEST = "#/components/responses/BadRequest";
    public static final String UNAUTHORIZED = "#/components/responses/Unauthorized";
    public static final String FORBIDDEN = "#/components/responses/Forbidden";
    public static final String NOT_FOUND = "#/components/responses/NotFound";
    public static final String SIGNATURE_REFUSED = "#/components/responses/SignatureRefused";
    public static final String BODY_REFUSED = "#/components/responses/BodyRefused";
    public static final String UNAVAILABLE = "#/components/responses/Unavailable";

    private ApiContract() {
    }
}
