package dev.calltracker.http;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON body of every 4xx/5xx the service answers: what was wrong, and with which field if one. */
@RegisterForReflection
public record Problem(int status, String error, String field) {

    public static Problem of(int status, String error) {
        return new Problem(status, error, null);
    }
}
