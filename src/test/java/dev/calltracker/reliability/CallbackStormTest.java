package dev.calltracker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.CallStorm;
import dev.calltracker.testing.ConcurrentDelivery;
import dev.calltracker.testing.ConcurrentDelivery.Answer;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Suite 1: a callback storm. 500 calls with mixed outcomes, every request of each call shuffled with
 * the others (in two waves: a parent leg's end comes after its voice request), 20% delivered twice, by 32
 * concurrent clients, signed as Twilio signs. The final state of
 * every call, lead and timeline must equal what in-order delivery gives.
 */
@QuarkusTest
class CallbackStormTest extends ServiceTest {

    static final int CALLS = 500;
    static final int CLIENTS = 32;


    @Test
    void aShuffledDuplicatedConcurrentStormEndsAsInOrderDeliveryWould() {
        Random random = new Random(20261125);
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, CALLS, "+1555200", CallStorm.everyOutcomeInTurn());
        List<List<Map<String, String>>> waves = CallStorm.allShuffled(calls, random);
        int requests = waves.stream().mapToInt(List::size).sum();
        int duplicates = requests - calls.stream().mapToInt(c -> c.requests().size()).sum();

        List<Answer> answers = new ArrayList<>();
        for (List<Map<String, String>> wave : waves) {
            answers.addAll(ConcurrentDelivery.byClients(CLIENTS).send(wave, twilio::send));
        }
        assertThat(answers.stream().filter(a -> !a.acknowledged()).toList()).as("requests not answered 2xx").isEmpty();

        List<String> problems = sql.mismatches(calls);
        System.out.printf("Callback storm: calls=%d requests=%d duplicates=%d clients=%d mismatches=%d%n",
                CALLS, requests, duplicates, CLIENTS, problems.size());
        assertThat(problems).as("calls whose final state differs from in-order delivery").isEmpty();
    }
}
