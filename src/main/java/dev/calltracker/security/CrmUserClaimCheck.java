package dev.calltracker.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start when the read API verifies tokens but no claim says who is a CRM user, or the claim is one
 * every signed-in user has. Supabase gives every user who signs up {@code role: authenticated} (and
 * {@code aud: authenticated}); a project whose sign-up is open would make anyone a CRM user with it. The public
 * anon key carries {@code role: anon}: never a CRM user. Without a key the read API is closed (401 to everyone)
 * and nothing is required.
 */
@Startup
@ApplicationScoped
public class CrmUserClaimCheck {

    /** Claims and values Supabase puts in every signed-in user's token. */
    static final Set<String> EVERY_USERS_CLAIMS = Set.of("role", "aud");
    static final String EVERY_USERS_VALUE = "authenticated";

    public CrmUserClaimCheck(AuthConfig auth,
                             @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
                             @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key,
                             @ConfigProperty(name = "smallrye.jwt.verify.secretkey") Optional<String> sharedSecret) {
        boolean tokensVerified = keyLocation.isPresent() || key.isPresent() || sharedSecret.isPresent();
        List<String> problems = problems(auth, tokensVerified);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(AuthConfig auth, boolean tokensVerified) {
        List<String> problems = new ArrayList<>();
        if (!tokensVerified) {
            return problems;
        }
        Optional<String> claim = auth.crmUserClaim().map(String::trim).filter(c -> !c.isEmpty());
        Optional<String> value = auth.crmUserValue().map(String::trim).filter(v -> !v.isEmpty());
        if (claim.isEmpty() || value.isEmpty()) {
            problems.add("AUTH_CRM_USER_CLAIM and AUTH_CRM_USER_VALUE must be set when the read API verifies tokens "
                    + "(MP_JWT_VERIFY_PUBLICKEY_LOCATION is set): the claim only CRM users' tokens carry, e.g. "
                    + "AUTH_CRM_USER_CLAIM=app_metadata.crm_role and AUTH_CRM_USER_VALUE=agent on Supabase");
            return problems;
        }
        if ("role".equals(claim.get()) && "anon".equals(value.get())) {
            problems.add("AUTH_CRM_USER_CLAIM=role with AUTH_CRM_USER_VALUE=anon names the public anon key: "
                    + "use a claim only CRM users' tokens carry, e.g. app_metadata.crm_role=agent");
        }
        if (EVERY_USERS_CLAIMS.contains(claim.get()) && EVERY_USERS_VALUE.equals(value.get()) && !auth.allowEverySignedInUser()) {
            problems.add("AUTH_CRM_USER_CLAIM=" + claim.get() + " with AUTH_CRM_USER_VALUE=authenticated makes every user "
                    + "who signs up a CRM user (Supabase gives it to all of them): use a claim only CRM users' tokens "
                    + "carry, e.g. app_metadata.crm_role=agent, or set AUTH_ALLOW_EVERY_SIGNED_IN_USER=true if sign-up "
                    + "is closed");
        }
        return problems;
    }
}
