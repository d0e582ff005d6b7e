package dev.calltracker.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The roles of a caller authenticated by the identity provider's JWT are decided here and only here, from the
 * claims {@link AuthConfig} names. Roles MicroProfile JWT would derive on its own (its {@code groups} claim)
 * are dropped: what a token's holder may do is this service's decision, not whatever the token carries.
 */
@ApplicationScoped
public class TokenRoles implements SecurityIdentityAugmentor {

    private final AuthConfig config;

    public TokenRoles(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = new HashSet<>();
        if (config.crmUserClaim().isPresent() && config.crmUserValue().isPresent()
                && hasClaim(token, config.crmUserClaim().get(), config.crmUserValue().get())) {
            roles.add(Roles.CRM_USER);
        }
        if (config.operatorClaim().isPresent() && config.operatorValue().isPresent()
                && hasClaim(token, config.operatorClaim().get(), config.operatorValue().get())) {
            roles.add(Roles.OPERATOR);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(token)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .build());
    }

    private static boolean hasClaim(JsonWebToken token, String claim, String value) {
        Object actual = claimValue(token, claim);
        if (actual instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> value.equals(unquoted(v)));
        }
        return actual != null && value.equals(unquoted(actual));
    }

    /**
     * The claim named, or for a dotted name the member it leads to inside object claims ({@code app_metadata.crm_role}:
     * Supabase's {@code app_metadata} only the project's server side can write, unlike {@code user_metadata}).
     */
    private static Object claimValue(JsonWebToken token, String claim) {
        if (claim.indexOf('.') < 0) {
            return token.getClaim(claim);
        }
        String[] path = claim.split("\\.");
        Object value = token.getClaim(path[0]);
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof jakarta.json.JsonObject object ? object.get(path[i])
                    : value instanceof java.util.Map<?, ?> map ? map.get(path[i]) : null;
        }
        if (value instanceof jakarta.json.JsonArray array) {
            return array.stream().toList();
        }
        return value;
    }

    /** Claims arrive as JSON values (a JsonString prints with its quotes). */
    private static String unquoted(Object value) {
        if (value instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return String.valueOf(value);
    }
}
