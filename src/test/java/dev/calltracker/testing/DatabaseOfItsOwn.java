package dev.calltracker.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A test profile that gives a test class a fresh database of its own (with the fake Twilio API and identity provider as usual),
 * for classes whose subject works on whole tables and so would meet the rows other classes leave behind.
 * Each class declares its own subclass: Quarkus restarts, with new resources, for each profile class.
 */
public abstract class DatabaseOfItsOwn implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresTestResource.class, Map.of(databaseKind(), "true")),
                new TestResourceEntry(TwilioApiTestResource.class), new TestResourceEntry(IdentityProviderTestResource.class));
    }

    /** Which fresh database: {@link PostgresTestResource#OWN_DATABASE}, or another of its init arguments. */
    protected String databaseKind() {
        return PostgresTestResource.OWN_DATABASE;
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
