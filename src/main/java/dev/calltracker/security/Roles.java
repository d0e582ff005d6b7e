package dev.calltracker.security;

/** The roles endpoints declare with {@code @RolesAllowed}. */
public final class Roles {

    /** Runs the service: admin actions and diagnostics. Granted by the admin bearer token. */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
