package dev.calltracker.testing;

/**
 * A test of the running service (a {@code @QuarkusTest}, or an {@code *IT} against the packaged artifact): its
 * database, and Twilio sending it requests exactly as Twilio does.
 */
public abstract class ServiceTest {

    protected final TestSql sql = TestSql.forTests();
    protected final TwilioFake twilio = TwilioFake.forTests();
}
