package dev.calltracker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The start-up check on the real {@link AuthConfig} mapping, built by SmallRye Config from the properties each test
 * gives. The check throwing is what refuses the start: it is a {@code @Startup} bean.
 */
class CrmUserClaimCheckTest {

    static final String JWKS = "https://ref.supabase.co/auth/v1/.well-known/jwks.json";

    static void start(Optional<String> keyLocation, String... propertyValuePairs) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < propertyValuePairs.length; i += 2) {
            properties.put(propertyValuePairs[i], propertyValuePairs[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withMapping(AuthConfig.class).build();
        new CrmUserClaimCheck(config.getConfigMapping(AuthConfig.class), keyLocation, Optional.empty(), Optional.empty());
    }

    static String refusal(String... propertyValuePairs) {
        Throwable refused = catchThrowable(() -> start(Optional.of(JWKS), propertyValuePairs));
        assertThat(refused).as("start-up refused").isInstanceOf(IllegalStateException.class);
        assertThat(refused.getMessage()).startsWith("Invalid configuration: ");
        return refused.getMessage();
    }

    @Test
    void aClaimOnlyCrmUsersCarryStarts() {
        assertThatCode(() -> start(Optional.of(JWKS), "auth.crm-user-claim", "app_metadata.crm_role",
                "auth.crm-user-value", "agent")).doesNotThrowAnyException();
    }

    @Test
    void withTokensVerifiedTheClaimAndValueAreRequired() {
        assertThat(refusal()).contains("AUTH_CRM_USER_CLAIM and AUTH_CRM_USER_VALUE must be set")
                .contains("app_metadata.crm_role");
        assertThat(refusal("auth.crm-user-claim", "app_metadata.crm_role")).contains("AUTH_CRM_USER_VALUE must be set");
        assertThat(refusal("auth.crm-user-value", "agent")).contains("AUTH_CRM_USER_CLAIM and");
    }

    @Test
    void withoutAKeyNothingIsRequired() {
        // The read API is closed then (401 to everyone, ReadApiKeyCheck says so).
        assertThatCode(() -> start(Optional.empty())).doesNotThrowAnyException();
    }

    @Test
    void whatEverySignedInSupabaseUserHasIsRefusedUnlessAllowedOnPurpose() {
        assertThat(refusal("auth.crm-user-claim", "role", "auth.crm-user-value", "authenticated"))
                .contains("makes every user who signs up a CRM user").contains("AUTH_ALLOW_EVERY_SIGNED_IN_USER");
        assertThat(refusal("auth.crm-user-claim", "aud", "auth.crm-user-value", "authenticated"))
                .contains("makes every user who signs up a CRM user");
        assertThatCode(() -> start(Optional.of(JWKS), "auth.crm-user-claim", "role", "auth.crm-user-value", "authenticated",
                "auth.allow-every-signed-in-user", "true")).doesNotThrowAnyException();
    }

    @Test
    void thePublicAnonKeysRoleIsNeverACrmUser() {
        assertThat(refusal("auth.crm-user-claim", "role", "auth.crm-user-value", "anon",
                "auth.allow-every-signed-in-user", "true")).contains("names the public anon key");
    }
}
