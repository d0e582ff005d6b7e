package dev.calltracker.testing;

import dev.calltracker.testing.BrowserCall.Outcome;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.IdentityHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/** Many browser calls at once, to leads of their own, and the orders a storm delivers their requests in. */
public final class CallStorm {

    /** The share of requests Twilio delivers twice (a retry after a slow answer). */
    public static final double REDELIVERED = 0.20;

    private CallStorm() {
    }

    /** Every outcome in turn, so that each is played as often as the others. */
    public static IntFunction<Outcome> everyOutcomeInTurn() {
        return i -> Outcome.values()[i % Outcome.values().length];
    }

    public static IntFunction<Outcome> randomOutcomes(Random random) {
        return i -> Outcome.values()[random.nextInt(Outcome.values().length)];
    }

    /**
     * {@code n} calls dialed an hour ago, a second apart, each to a new lead of its own whose phone is
     * {@code phonePrefix} followed by four digits.
     */
    public static List<BrowserCall> callsToNewLeads(TestSql sql, int n, String phonePrefix, IntFunction<Outcome> outcomeOfCall) {
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        List<BrowserCall> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String phone = phonePrefix + "%04d".formatted(i);
            UUID lead = sql.insertLead("new", phone);
            calls.add(BrowserCall.to(lead, phone, outcomeOfCall.apply(i), base.plusSeconds(i)));
        }
        return calls;
    }

    /**
     * Every request of every call, {@link #REDELIVERED} of them twice, shuffled together in two waves sent one after
     * the other: even the voice request may arrive after the call's callbacks (Twilio would not do that for a first
     * delivery, but a slow first attempt and its retry can cross). The first wave holds every voice request and
     * about half of the dialed legs' callbacks; the second the rest, with each parent leg's end: the parent leg
     * ends only after the voice answer, which is sent once the call is recorded (a parent-leg end no call knows is
     * that of a refused dial, and is stored nowhere).
     */
    public static List<List<Map<String, String>>> allShuffled(List<BrowserCall> calls, Random random) {
        List<Map<String, String>> first = new ArrayList<>();
        List<Map<String, String>> second = new ArrayList<>();
        for (BrowserCall c : calls) {
            for (Map<String, String> r : c.requests()) {
                boolean early = r == c.voice() || (r != c.parentEnd() && random.nextBoolean());
                (early ? first : second).add(r);
                if (random.nextDouble() < REDELIVERED) {
                    (early ? first : second).add(r);
                }
            }
        }
        Collections.shuffle(first, random);
        Collections.shuffle(second, random);
        return List.of(first, second);
    }

    /**
     * {@code requests} in two waves, to be sent one after the other (each wave's answers awaited): all but the calls'
     * parent-leg ends, in their order, then those ends. Twilio sends a parent leg's end only after the voice answer,
     * which is sent once the call is recorded; a parent-leg end for a call not recorded is a refused dial's and is
     * stored nowhere, so a concurrent storm must not let it overtake its voice request.
     */
    public static List<List<Map<String, String>>> parentEndsLast(List<BrowserCall> calls, List<Map<String, String>> requests) {
        java.util.Set<Map<String, String>> ends = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        calls.forEach(c -> ends.add(c.parentEnd()));
        List<Map<String, String>> first = new ArrayList<>();
        List<Map<String, String>> last = new ArrayList<>();
        for (Map<String, String> r : requests) {
            (ends.contains(r) ? last : first).add(r);
        }
        return List.of(first, last);
    }

    /**
     * {@code sender}, except that a call's parent-leg end waits until the call's voice request has been answered
     * (whatever the answer), as with Twilio. For lists whose voice requests all come first (a parent end then never
     * waits for a request queued behind it).
     */
    public static ToIntFunction<Map<String, String>> parentEndAfterItsVoice(List<BrowserCall> calls,
                                                                           ToIntFunction<Map<String, String>> sender) {
        Map<Map<String, String>, CompletableFuture<Void>> voiceAnswered = new IdentityHashMap<>();
        Map<Map<String, String>, CompletableFuture<Void>> endWaitsFor = new IdentityHashMap<>();
        for (BrowserCall c : calls) {
            CompletableFuture<Void> answered = new CompletableFuture<>();
            voiceAnswered.put(c.voice(), answered);
            endWaitsFor.put(c.parentEnd(), answered);
        }
        return r -> {
            CompletableFuture<Void> voice = endWaitsFor.get(r);
            if (voice != null) {
                voice.orTimeout(60, TimeUnit.SECONDS).join();
            }
            try {
                return sender.applyAsInt(r);
            } finally {
                CompletableFuture<Void> answered = voiceAnswered.get(r);
                if (answered != null) {
                    answered.complete(null);
                }
            }
        };
    }

    /** Voice requests first (Twilio dials only after them), then everything else shuffled, {@link #REDELIVERED} twice. */
    public static List<Map<String, String>> voiceFirstThenShuffled(List<BrowserCall> calls, Random random) {
        List<Map<String, String>> first = new ArrayList<>();
        List<Map<String, String>> rest = new ArrayList<>();
        for (BrowserCall c : calls) {
            first.add(c.voice());
            rest.addAll(c.requests().subList(1, c.requests().size()));
            c.requests().stream().filter(r -> random.nextDouble() < REDELIVERED).forEach(rest::add);
        }
        Collections.shuffle(first, random);
        Collections.shuffle(rest, random);
        first.addAll(rest);
        return first;
    }
}
