package dev.calltracker.http;

/** A request the client can fix. Thrown before anything is written; mapped to {@link Problem}. */
public class RequestRejected extends AnsweredFailure {

    private final String field;

    public RequestRejected(int status, String message, String field) {
        super(status, message);
        this.field = field;
    }

    public static RequestRejected badField(String field, String message) {
        return new RequestRejected(400, message, field);
    }

    public String field() {
        return field;
    }
}
