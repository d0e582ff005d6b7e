package dev.calltracker.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The service's time: UTC. Injected wherever "now" is needed, so tests can set it instead of sleeping. */
public class Clocks {

    @Produces
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
