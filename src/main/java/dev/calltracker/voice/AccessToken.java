package dev.calltracker.voice;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/**
 * What {@code POST /api/calling/token} answers: a Twilio Voice access token for {@code new Device(token)}.
 *
 * @param identity  the agent as Twilio will name it: the voice webhook sees {@code From=client:<identity>}
 * @param expiresAt when the token stops working; fetch a new one before (the Voice SDK's {@code tokenWillExpire})
 */
@RegisterForReflection
public record AccessToken(String token, String identity, OffsetDateTime expiresAt) {
}
