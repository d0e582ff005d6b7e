package dev.calltracker.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentIdentityTest {

    @ParameterizedTest
    @CsvSource({
            "0b6f0c1e-7d1a-4a55-9a3e-3c2b1f0e9d11, 0b6f0c1e_7d1a_4a55_9a3e_3c2b1f0e9d11",
            "agent_7, agent_7",
            "Agent7, Agent7"})
    void lettersDigitsAndUnderscoresStayHyphensBecomeUnderscores(String claim, String identity) {
        assertThat(AgentIdentity.fromClaimValue(claim)).contains(identity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "agent one", "agent.one@example.com", "client:agent", "agent/1", "é", "a\nb"})
    void anythingElseIsNoIdentity(String claim) {
        assertThat(AgentIdentity.fromClaimValue(claim)).isEqualTo(Optional.empty());
    }

    @org.junit.jupiter.api.Test
    void atMost256Characters() {
        assertThat(AgentIdentity.fromClaimValue("a".repeat(256))).isPresent();
        assertThat(AgentIdentity.fromClaimValue("a".repeat(257))).isEmpty();
    }
}
