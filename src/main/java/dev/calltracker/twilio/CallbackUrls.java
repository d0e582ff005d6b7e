package dev.calltracker.twilio;

import dev.calltracker.config.CallingConfig;
import java.util.Set;

/**
 * The URLs the service hands Twilio in its TwiML for the callbacks (the dialed leg's status, the
 * {@code <Dial action>}, the recording status, the AMD result), each with the connection overrides of
 * {@code calling.callback-url-fragment}. Written once: {@code TwimlBuilder} puts them in the TwiML, and the
 * signature check accepts the fragment on exactly these URLs, since Twilio does not document whether it
 * signs it. The voice URL is configured in the TwiML App, not here: it never carries the fragment.
 */
public final class CallbackUrls {

    public static final String WEBHOOK_PATH = "/api/calling/webhook";
    public static final String RECORDING_PATH = "/api/calling/recording";
    public static final String AMD_PATH = "/api/calling/amd";
    private static final Set<String> PATHS = Set.of(WEBHOOK_PATH, RECORDING_PATH, AMD_PATH);

    private final String publicBaseUrl;
    private final String fragment;

    public CallbackUrls(CallingConfig calling) {
        this(calling.publicBaseUrl(), calling.callbackUrlFragment());
    }

    CallbackUrls(String publicBaseUrl, String fragment) {
        this.publicBaseUrl = publicBaseUrl;
        this.fragment = fragment;
    }

    /** Status callbacks of the dialed leg and the {@code <Dial action>}. */
    public String webhook() {
        return publicBaseUrl + WEBHOOK_PATH + fragment;
    }

    public String recording() {
        return publicBaseUrl + RECORDING_PATH + fragment;
    }

    /** Answering-machine detection results ({@code <Number amdStatusCallback>}). */
    public String amd() {
        return publicBaseUrl + AMD_PATH + fragment;
    }

    /** The connection-override fragment (e.g. {@code #ct=2000&rt=7000&tt=15000&rc=3&rp=ct,rt,5xx}), or empty. */
    public String fragment() {
        return fragment;
    }

    /**
     * Whether a request to this path and query (null: none) may have been signed over its URL with the
     * fragment: it is one of the callback URLs, and a fragment is configured.
     */
    public boolean mayBeSignedWithFragment(String path, String query) {
        return !fragment.isEmpty() && query == null && PATHS.contains(path);
    }
}
