package dev.calltracker.http;

/**
 * A failure that is an answer, not a bug: mapped to a {@link Problem} with its own status, so it carries no stack
 * trace.
 */
public abstract class AnsweredFailure extends RuntimeException {

    private final int status;

    protected AnsweredFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
