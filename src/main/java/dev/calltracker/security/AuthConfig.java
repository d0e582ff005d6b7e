package dev.calltracker.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Which identity-provider tokens make a caller a CRM user or an operator. Environment variables:
 * {@code AUTH_*}. The token itself is verified by MicroProfile JWT ({@code MP_JWT_VERIFY_*}).
 */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /**
     * The claim that makes a token's holder a CRM user; a dotted name reads into an object claim
     * ({@code app_metadata.crm_role}). Required when the read API verifies tokens ({@code security/CrmUserClaimCheck}):
     * no default, because every default an identity provider puts in all its tokens (Supabase: {@code role:
     * authenticated}) would make everyone who signs up a CRM user.
     */
    Optional<String> crmUserClaim();

    /** The value {@link #crmUserClaim()} must have (or contain, when it is a list). Required with it. */
    Optional<String> crmUserValue();

    /**
     * Lets {@link #crmUserClaim()} be a claim every signed-in user of the identity provider has ({@code role} or
     * {@code aud} = {@code authenticated} on Supabase): only for a project where signing up is closed.
     */
    @WithDefault("false")
    boolean allowEverySignedInUser();

    /** A claim that makes a token's holder an operator too (optional; the admin token always does). */
    Optional<String> operatorClaim();

    /** The value {@link #operatorClaim()} must have (or contain). */
    Optional<String> operatorValue();
}
