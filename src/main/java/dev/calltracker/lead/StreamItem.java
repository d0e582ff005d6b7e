package dev.calltracker.lead;


/** What a live stream sends: an activity as its latest change left it, or a heartbeat (no change). */
public record StreamItem(NumberedActivity change) {

    static final StreamItem HEARTBEAT = new StreamItem(null);

    public boolean isHeartbeat() {
        return change == null;
    }
}
