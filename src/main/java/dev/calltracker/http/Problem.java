package dev.calltracker.http;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

/**
 * The body of every 4xx/5xx the service answers, as {@code application/problem+json} (RFC 9457): {@code type},
 * {@code title}, {@code status}, {@code detail}; plus {@code error} (the same as {@code detail}) and {@code field}
 * (the parameter that was wrong, if one), the fields clients read before problem details.
 */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, String error, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** No problem type URIs of our own: the status says what kind of problem it is. */
    private static final String UNTYPED = "about:blank";

    public static Problem of(int status, String error) {
        return of(status, error, null);
    }

    public static Problem of(int status, String error, String field) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? Response.Status.Family.familyOf(status).name() : known.getReasonPhrase();
        return new Problem(UNTYPED, title, status, error, error, field);
    }
}
