package dev.calltracker.twilio;

import dev.calltracker.config.CallingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Builds the TwiML answers. Always through an XML writer, never by concatenation: {@code To} is
 * attacker-controlled and comes out escaped.
 *
 * <p>The dialed leg's status callbacks are configured on {@code <Number>}, where Twilio reads them.
 * {@code <Dial>} has no {@code statusCallback} attribute: Twilio ignores it there with warning 12200, and the
 * dialed leg would report nothing.
 */
@ApplicationScoped
public class TwimlBuilder {

    /**
     * Per bean, created at run time: a static factory would be built into the native image heap with
     * a cached writer holding a seeded {@code Random}, which the image builder refuses.
     */
    private final XMLOutputFactory xml = XMLOutputFactory.newFactory();

    private final CallingConfig config;
    private final String hangup;
    private final String callbackUrl;
    private final String recordingUrl;
    private final String amdUrl;

    public TwimlBuilder(CallingConfig config) {
        this.config = config;
        CallbackUrls callbacks = new CallbackUrls(config);
        this.callbackUrl = callbacks.webhook();
        this.recordingUrl = callbacks.recording();
        this.amdUrl = callbacks.amd();
        this.hangup = write(w -> w.writeEmptyElement("Hangup"));
    }

    /** Dials {@code to} (already checked by the destination policy) with every callback this service needs. */
    public String dial(String to) {
        return write(w -> {
            w.writeStartElement("Dial");
            w.writeAttribute("callerId", config.callerId());
            w.writeAttribute("record", "record-from-answer");
            w.writeAttribute("answerOnBridge", "true");
            w.writeAttribute("timeLimit", Long.toString(config.timeLimit().toSeconds()));
            w.writeAttribute("action", callbackUrl);
            w.writeAttribute("method", "POST");
            w.writeAttribute("recordingStatusCallback", recordingUrl);
            w.writeAttribute("recordingStatusCallbackEvent", "completed");
            w.writeAttribute("recordingStatusCallbackMethod", "POST");
            w.writeStartElement("Number");
            w.writeAttribute("statusCallback", callbackUrl);
            w.writeAttribute("statusCallbackEvent", "initiated ringing answered completed");
            w.writeAttribute("statusCallbackMethod", "POST");
            if (CallingConfig.detects(config)) {
                // Detection runs on the dialed leg before it is bridged: the agent hears the callee only
                // after it (DetectMessageEnd: after the greeting), and Twilio bills it per call.
                w.writeAttribute("machineDetection", config.machineDetection());
                w.writeAttribute("machineDetectionTimeout", Long.toString(config.machineDetectionTimeout().toSeconds()));
                w.writeAttribute("amdStatusCallback", amdUrl);
                w.writeAttribute("amdStatusCallbackMethod", "POST");
            }
            w.writeCharacters(to);
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    /** Refuses the call: a short message to the agent, then hang up. Nothing is dialed. */
    public String refuse(String message) {
        return write(w -> {
            w.writeStartElement("Say");
            w.writeCharacters(message);
            w.writeEndElement();
            w.writeEmptyElement("Hangup");
        });
    }

    /** The answer to the {@code <Dial action>} request: the dial is over, end the browser leg. */
    public String hangup() {
        return hangup;
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private String write(Body body) {
        StringWriter out = new StringWriter(512);
        try {
            XMLStreamWriter w = xml.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("Response");
            body.write(w);
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write TwiML", e);
        }
        return out.toString();
    }
}
