package dev.calltracker.voice;

import jakarta.inject.Inject;
import dev.calltracker.call.CallChange;
import dev.calltracker.call.CallRepository;
import dev.calltracker.call.CallRepository.DialedCall;
import dev.calltracker.call.ContactRule;
import dev.calltracker.config.CallingConfig;
import dev.calltracker.db.Database;
import dev.calltracker.lead.LeadRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Decides whether a browser may dial, and records the call it places: the destination policy, the lead's
 * phone, the call linked to its lead, in one transaction.
 */
@ApplicationScoped
public class DialService {

    /** What became of a dial request. */
    public record Outcome(Result result, String to, String refusal) {

        public enum Result {
            /** Recorded now: dial it. */
            DIALED,
            /** Recorded before (Twilio retried the webhook): dial it, as the first answer said. */
            ALREADY_RECORDED,
            /** Not to be dialed, for the reason given; nothing recorded. */
            REFUSED
        }

        static Outcome refused(String reason) {
            return new Outcome(Result.REFUSED, null, reason);
        }
    }

    @Inject
    DestinationPolicy destinations;
    @Inject
    Database database;
    @Inject
    LeadRepository leads;
    @Inject
    CallRepository calls;
    @Inject
    ContactRule contactRule;
    @Inject
    CallingConfig calling;

    public Uni<Outcome> dial(DialRequest request) {
        Optional<String> refusal = destinations.refusal(request.to());
        if (refusal.isPresent()) {
            return Uni.createFrom().item(Outcome.refused(refusal.get()));
        }
        if (request.leadId() == null && !calling.allowDialsWithoutLead()) {
            return Uni.createFrom().item(Outcome.refused("the call names no lead"));
        }
        // Two round trips: BEGIN, the lead check and the record go together (a refused dial rolls the record
        // back: refusals are rare, a round trip on every accepted call is not), then COMMIT.
        return database.transaction(tx -> {
            Uni<Optional<DialedCall>> record = calls.recordDialedCall(tx.client(), request.callSid(), request.leadId(),
                    request.to(), request.caller(), request.receivedAt(), request.params());
            return tx.begin(leadRefusal(tx.client(), request), record).flatMap(checked -> {
                Optional<String> leadRefusal = checked.getItem1();
                if (leadRefusal.isPresent()) {
                    return tx.rollback().replaceWith(Outcome.refused(leadRefusal.get()));
                }
                Optional<DialedCall> recorded = checked.getItem2();
                // Twilio dials only after this answer, so the call's callbacks normally come later. If they came
                // first anyway, the lead linked now may have been reached already.
                Optional<CallChange> contact = recorded.filter(call -> !call.created())
                        .flatMap(call -> CallChange.leadLinked(call.row(), contactRule));
                Uni<Void> end = contact.isPresent() ? tx.commitWith(calls.save(tx.client(), contact.get())) : tx.commit();
                Outcome.Result result = recorded.isPresent() ? Outcome.Result.DIALED : Outcome.Result.ALREADY_RECORDED;
                return end.replaceWith(new Outcome(result, request.to(), null));
            });
        });
    }

    /**
     * Why the lead refuses this destination; empty when it accepts it. No lead named: no query, and a refusal
     * unless lead-less dials are allowed (checked before the transaction, in {@link #dial}).
     */
    private Uni<Optional<String>> leadRefusal(SqlClient db, DialRequest request) {
        if (request.leadId() == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return leads.findPhone(db, request.leadId()).map(phone -> {
            if (phone.isEmpty()) {
                return Optional.of("the lead does not exist");
            }
            if (phone.get().isBlank()) {
                return Optional.of("the lead has no phone number");
            }
            if (!DestinationPolicy.sameNumber(phone.get(), request.to())) {
                return Optional.of("the destination is not the lead's phone number");
            }
            return Optional.empty();
        });
    }
}
