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

    /** The claim that makes a token's holder a CRM user; Supabase puts {@code role: authenticated} in its tokens. */
    @WithDefault("role")
    String crmUserClaim();

    /** The value {@link #crmUserClaim()} must have (or contain, when it is a list). */
    @WithDefault("authenticated")
    String crmUserValue();

    /** A claim that makes a token's holder an operator too (optional; the admin token always does). */
    Optional<String> operatorClaim();

    /** The value {@link #operatorClaim()} must have (or contain). */
    Optional<String> operatorValue();
}
