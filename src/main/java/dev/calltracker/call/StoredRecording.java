package dev.calltracker.call;

/**
 * A call's recording as stored from Twilio's recording callback: both null until one came (or when the call was
 * not recorded). The URL is Twilio's; only its sids are used to fetch the audio ({@code twilio/TwilioMedia}).
 */
public record StoredRecording(String recordingSid, String recordingUrl) {

    public boolean exists() {
        return recordingSid != null || (recordingUrl != null && !recordingUrl.isBlank());
    }
}
