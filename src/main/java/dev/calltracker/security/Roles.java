package dev.calltracker.security;

/** The roles endpoints declare with {@code @RolesAllowed}. */
public final class Roles {

    /** Runs the service: admin actions and diagnostics. Granted by the admin bearer token. */
    public static final String OPERATOR = "operator";

    /** Uses the CRM: reads calls and lead timelines. Granted by the identity provider's token ({@link AuthConfig}). */
    public static final String CRM_USER = "crm-user";

    private Roles() {
    }
}
