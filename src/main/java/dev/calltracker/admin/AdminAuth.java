package dev.calltracker.admin;

import dev.calltracker.http.RequestRejected;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <admin.token>} on the operator endpoints. */
@ApplicationScoped
public class AdminAuth {

    private static final String BEARER = "Bearer ";
    private final byte[] token;

    public AdminAuth(AdminConfig config) {
        this.token = config.token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Throws 404 when no token is configured (the endpoints are off), 401 when the header is missing or wrong. */
    public void check(String authorization) {
        if (token == null) {
            throw new RequestRejected(404, "not found", null);
        }
        byte[] given = authorization != null && authorization.startsWith(BEARER)
                ? authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            throw new RequestRejected(401, "missing or wrong admin bearer token", null);
        }
    }
}
