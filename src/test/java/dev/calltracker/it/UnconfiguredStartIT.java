package dev.calltracker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.ServiceProcess;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact started with no configuration at all exits non-zero and names what to set: it never
 * falls back to an embedded database or to the demo credentials written in the repository.
 */
@QuarkusIntegrationTest
class UnconfiguredStartIT {

    @Test
    void anUnconfiguredArtifactRefusesToStartAndNamesWhatToSet() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ServiceProcess.command(List.of())).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as("exit code; output:\n" + output).isNotZero();
        assertThat(output).contains("QUARKUS_DATASOURCE_JDBC_URL").contains("TWILIO_AUTH_TOKEN")
                .contains("CALLING_PUBLIC_BASE_URL").doesNotContain("embedded PostgreSQL with its data");
    }
}
