package dev.calltracker.call;

import java.time.OffsetDateTime;

/**
 * What one event (a Twilio callback or a reconciler answer) says about a call: the facts it reports, in the shape of
 * a call's state, where every field may be null (an event says what it knows and nothing else; it never decides a
 * resolution).
 *
 * @param reported       its {@code status} is the dialed leg's status it reports, null when it reports none
 *                       (recording, parent leg, an unknown status word)
 * @param recordingFinal true for a {@code completed} recording callback, whose URL replaces earlier ones
 */
public record CallObservation(Source source, CallState reported, boolean recordingFinal) {

    public CallStatus status() {
        return reported.status();
    }

    public String dialedSid() {
        return reported.dialedSid();
    }

    /** The answering-machine detection result (AMD callback, or Twilio's REST API). */
    public AnsweredBy answeredBy() {
        return reported.answeredBy();
    }

    /**
     * This observation with the AMD result stored for the call's dialed leg before the call could know it (the
     * AMD callback names only the dialed leg); unchanged when there is none or this one carries its own.
     */
    public CallObservation withAnsweredBy(AnsweredBy stored) {
        if (stored == null || answeredBy() != null) {
            return this;
        }
        return new CallObservation(source, reported.withAnsweredBy(stored), recordingFinal);
    }

    public static Builder from(Source source) {
        return new Builder(source);
    }

    /** Builds observations field by field; the parsers set only what their request carries. */
    public static final class Builder {
        private final Source source;
        private CallStatus status;
        private String dialedSid;
        private String toNumber;
        private OffsetDateTime answeredAt;
        private OffsetDateTime endedAt;
        private boolean endedAtEstimated;
        private Integer durationSeconds;
        private String recordingSid;
        private String recordingUrl;
        private Integer recordingDurationSeconds;
        private boolean recordingFinal;
        private OffsetDateTime parentEndedAt;
        private AnsweredBy answeredBy;

        private Builder(Source source) {
            this.source = source;
        }

        /**
         * The dialed leg reached {@code status} at {@code at}: sets the answer time for {@code in-progress}
         * and the end time for terminal statuses.
         */
        public Builder status(CallStatus status, OffsetDateTime at, boolean atIsEstimate) {
            this.status = status;
            if (status == CallStatus.IN_PROGRESS) {
                this.answeredAt = at;
            } else if (status.isTerminal()) {
                this.endedAt = at;
                this.endedAtEstimated = atIsEstimate;
            }
            return this;
        }

        public Builder answeredAt(OffsetDateTime at) {
            this.answeredAt = at;
            return this;
        }

        public Builder endedAt(OffsetDateTime at, boolean estimate) {
            this.endedAt = at;
            this.endedAtEstimated = estimate;
            return this;
        }

        public Builder dialedSid(String sid) {
            this.dialedSid = sid;
            return this;
        }

        public Builder toNumber(String to) {
            this.toNumber = to;
            return this;
        }

        public Builder durationSeconds(Integer seconds) {
            this.durationSeconds = seconds;
            return this;
        }

        public Builder recording(String sid, String url, Integer durationSeconds, boolean isFinal) {
            this.recordingSid = sid;
            this.recordingUrl = url;
            this.recordingDurationSeconds = durationSeconds;
            this.recordingFinal = isFinal;
            return this;
        }

        public Builder parentEndedAt(OffsetDateTime at) {
            this.parentEndedAt = at;
            return this;
        }

        public Builder answeredBy(AnsweredBy who) {
            this.answeredBy = who;
            return this;
        }

        public CallObservation build() {
            return new CallObservation(source, new CallState(status, dialedSid, toNumber, answeredAt, endedAt,
                    endedAtEstimated, durationSeconds, recordingSid, recordingUrl, recordingDurationSeconds, parentEndedAt,
                    null, answeredBy), recordingFinal);
        }
    }
}
