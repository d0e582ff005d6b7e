package dev.calltracker.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link com.github.tomakehurst.wiremock.WireMockServer} field of a {@code @QuarkusTest} or
 * {@code @QuarkusIntegrationTest} that {@link TwilioApiTestResource} sets to the WireMock server playing
 * Twilio's REST API:
 * <pre>{@code
 * @InjectWireMock
 * WireMockServer twilioApi;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectWireMock {
}
