package dev.calltracker.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The fields of Twilio's Call resource the reconciler reads (REST API 2010-04-01). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record TwilioCall(
        String sid,
        @JsonProperty("parent_call_sid") String parentCallSid,
        String status,
        /** Seconds, as a string; empty or null while ongoing or when never answered. */
        String duration,
        /** RFC 2822. */
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        String to,
        /** The answering-machine detection result; null when the call was dialed without detection. */
        @JsonProperty("answered_by") String answeredBy) {

    /** A page of {@code Calls.json}. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page(List<TwilioCall> calls) {
    }
}
