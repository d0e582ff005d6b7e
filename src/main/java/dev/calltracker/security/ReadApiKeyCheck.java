package dev.calltracker.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The read API is closed without a key to verify the CRM's tokens: every request answers 401 (nothing is ever
 * open by default). Says so once at start, with what to set.
 */
@ApplicationScoped
public class ReadApiKeyCheck {

    private static final Logger LOG = Logger.getLogger(ReadApiKeyCheck.class);

    private final boolean keyConfigured;

    public ReadApiKeyCheck(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
                           @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key,
                           @ConfigProperty(name = "smallrye.jwt.verify.secretkey") Optional<String> sharedSecret) {
        this.keyConfigured = keyLocation.isPresent() || key.isPresent() || sharedSecret.isPresent();
    }

    void onStart(@Observes StartupEvent start) {
        if (!keyConfigured) {
            LOG.warn("The read API is closed (401 to everyone): no key to verify the CRM's tokens. Set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (a JWKS URL such as https://<ref>.supabase.co/auth/v1/.well-known/jwks.json, "
                    + "or a PEM/JWK file), MP_JWT_VERIFY_ISSUER and MP_JWT_VERIFY_AUDIENCES");
        }
    }
}
