package dev.calltracker.reconcile;

import jakarta.inject.Inject;
import dev.calltracker.call.CallEventKind;
import dev.calltracker.call.CallEventRecorder;
import dev.calltracker.call.CallEventRecorder.Outcome;
import dev.calltracker.call.ContactRule;
import dev.calltracker.call.ReconcilerFinding;
import dev.calltracker.reconcile.StuckCallPolicy.Decision;
import dev.calltracker.reconcile.StuckCallPolicy.DialedLeg;
import dev.calltracker.reconcile.StuckCallPolicy.NoQuestion;
import dev.calltracker.reconcile.StuckCallPolicy.ParentAndItsLegs;
import dev.calltracker.reconcile.StuckCallPolicy.Question;
import dev.calltracker.reconcile.StuckCallPolicy.WhoAnswered;
import dev.calltracker.twilio.TwilioCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Decides one claimed call: asks Twilio the question {@link StuckCallPolicy} chooses, and applies the decision
 * through the same rule as callbacks ({@link CallEventRecorder}), unless the call moved on since it was claimed.
 */
@ApplicationScoped
public class StuckCallDecider {

    private static final Logger LOG = Logger.getLogger(StuckCallReconciler.class);

    @Inject
    TwilioCallsGateway twilio;
    @Inject
    TwilioCredentials credentials;
    @Inject
    CallEventRecorder recorder;
    @Inject
    ContactRule contactRule;
    @Inject
    ReconcilerMetrics metrics;
    @Inject
    ReconcileConfig config;
    @Inject
    Clock clock;

    /** Whether ended calls are claimed for a lost answering-machine detection result: detection on, and Twilio can be asked. */
    boolean asksWhoAnswered() {
        return contactRule.machineDetection() && credentials.present();
    }

    Uni<ReconcileReport.Entry> decide(StuckCall call, ReconcileRun run) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return answer(StuckCallPolicy.question(call, credentials.present(), now, config.giveUpAfter()), call, now)
                // Twilio being unreachable, or refusing our requests, is never a reason to guess: the call waits for the next run.
                .onFailure().recoverWithItem(f -> Decision.leave(f instanceof TwilioApiRefused
                        ? ReconcileOutcome.TWILIO_REFUSED : ReconcileOutcome.TWILIO_UNAVAILABLE, TwilioCallsGateway.describe(f)))
                .flatMap(d -> d.leavesCall() ? Uni.createFrom().item(entry(call, d, false)) : apply(call, d, run))
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("Reconciling call %s failed: %s", call.callSid(), f.toString());
                    return new ReconcileReport.Entry(call.callSid(), ReconcileOutcome.ERROR, ReconcileOutcome.ERROR.word(),
                            null, false, f.toString());
                })
                .invoke(metrics::decided);
    }

    private Uni<Decision> answer(Question question, StuckCall call, OffsetDateTime now) {
        if (question instanceof NoQuestion none) {
            return Uni.createFrom().item(none.decision());
        }
        if (question instanceof WhoAnswered who) {
            return twilio.fetchCall(who.legSid()).map(leg -> leg.map(StuckCallPolicy::answeredByOf)
                    .orElseGet(StuckCallPolicy::whoAnsweredUnknownLeg));
        }
        if (question instanceof DialedLeg dialed) {
            return twilio.fetchCall(dialed.sid()).map(leg -> leg
                    .map(l -> StuckCallPolicy.fromDialedLeg(l, now))
                    .orElseGet(() -> StuckCallPolicy.fromEvidence(call, now, config.giveUpAfter(),
                            "Twilio does not know the dialed leg")));
        }
        String parentSid = ((ParentAndItsLegs) question).parentSid();
        return twilio.childCalls(parentSid).flatMap(children -> {
            if (!children.isEmpty()) {
                return Uni.createFrom().item(StuckCallPolicy.fromDialedLeg(children.get(0), now));
            }
            return twilio.fetchCall(parentSid).map(parent -> parent
                    .map(p -> StuckCallPolicy.fromParentWithoutDialedLeg(p, now))
                    .orElseGet(() -> StuckCallPolicy.fromEvidence(call, now, config.giveUpAfter(),
                            "Twilio does not know the call")));
        });
    }

    private Uni<ReconcileReport.Entry> apply(StuckCall call, Decision decision, ReconcileRun run) {
        Map<String, String> params = new HashMap<>();
        decision.evidence().forEach((k, v) -> params.put(k, String.valueOf(v)));
        params.put("decision", decision.word());
        params.put("detail", decision.detail());
        params.put("run", run.id());
        params.put("replica", run.replica().name());
        ReconcilerFinding finding = new ReconcilerFinding(call.callSid(), decision.word(), decision.observation(),
                params, CallEventKind.RECONCILER.dedupeKey(call.callSid(), run.id()), OffsetDateTime.now(clock));
        return recorder.recordFinding(finding, call.id(), call.lastEventAt()).map(outcome -> outcome == Outcome.SUPERSEDED
                ? entry(call, Decision.leave(ReconcileOutcome.CHANGED,
                        "an event arrived while Twilio was asked; left for the next run"), false)
                : entry(call, decision, outcome == Outcome.APPLIED));
    }

    private static ReconcileReport.Entry entry(StuckCall call, Decision d, boolean applied) {
        String source = d.observation() == null ? null : d.observation().source().value();
        return new ReconcileReport.Entry(call.callSid(), d.outcome(), d.word(), source, applied, d.detail());
    }
}
