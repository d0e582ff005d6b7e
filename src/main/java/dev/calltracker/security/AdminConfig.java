package dev.calltracker.security;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Operator access. Environment variable: {@code ADMIN_TOKEN}. */
@ConfigMapping(prefix = "admin")
public interface AdminConfig {

    /** Bearer token of the admin and diagnostics endpoints; when absent those endpoints do not exist (404). */
    Optional<String> token();
}
