package dev.calltracker.security;

import jakarta.inject.Inject;
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

    @Inject
    AuthConfig config;

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
        Object actual = TokenClaims.value(token, claim);
        if (actual instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> value.equals(TokenClaims.unquoted(v)));
        }
        return actual != null && value.equals(TokenClaims.unquoted(actual));
    }
}
