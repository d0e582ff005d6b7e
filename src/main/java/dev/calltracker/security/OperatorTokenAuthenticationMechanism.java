package dev.calltracker.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * {@code Authorization: Bearer <ADMIN_TOKEN>} makes the caller an {@link Roles#OPERATOR}. Any other request
 * stays anonymous here (another mechanism may still authenticate it); endpoints decide with
 * {@code @RolesAllowed}. The token is compared in constant time.
 */
@ApplicationScoped
public class OperatorTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";
    private static final ChallengeData CHALLENGE = new ChallengeData(401, "WWW-Authenticate", "Bearer");
    private final SecurityIdentity operator = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("operator"))
            .addRole(Roles.OPERATOR)
            .build();
    private final byte[] token;

    public OperatorTokenAuthenticationMechanism(AdminConfig config) {
        this.token = config.token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Whether operator endpoints exist: only when an admin token is configured. */
    public boolean operatorsEnabled() {
        return token != null;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviders) {
        String authorization = context.request().getHeader("Authorization");
        if (token == null || authorization == null || !authorization.startsWith(BEARER)) {
            return Uni.createFrom().nullItem();
        }
        byte[] given = authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given) ? Uni.createFrom().item(operator) : Uni.createFrom().nullItem();
    }

    /** Before the JWT mechanism: the admin token is not a JWT, and that mechanism refuses what it cannot parse. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        // Checked here against one configured value: no identity provider behind it.
        return Set.of();
    }
}
