package dev.calltracker.testing;

/**
 * A test of the running service (a {@code @QuarkusTest}, or an {@code *IT} against the packaged artifact): its
 * database, and Twilio sending it requests exactly as Twilio does.
 */
public abstract class ServiceTest {

    /** The phone number of the lead most tests call. */
    protected static final String LEAD_PHONE = "+15551230000";

    protected final TestSql sql = TestSql.forTests();
    protected final TwilioFake twilio = TwilioFake.forTests();
}
