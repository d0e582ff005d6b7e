package dev.calltracker.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged service as a separate process (the native binary when {@code native.image.path} points
 * at one, else the fast-jar), for tests that signal or kill it. Uses the test profile's settings and the
 * database {@link PostgresTestResource} started.
 */
public record ServiceProcess(Process process, int port, Path log) implements AutoCloseable {

    /**
     * Starts the service on a free port, on the test database, with the given extra properties
     * ({@code name=value}); returns once it is ready.
     */
    public static ServiceProcess start(String... extraProperties) throws IOException, InterruptedException {
        return start(freePort(), PostgresTestResource.jdbcUrl(), PostgresTestResource.user(), PostgresTestResource.password(),
                extraProperties);
    }

    /**
     * The command that starts the packaged artifact with these system properties ({@code name=value}): the
     * native executable when {@code native.image.path} points at one, else the fast-jar.
     */
    public static List<String> command(List<String> properties) {
        List<String> command = new ArrayList<>();
        String nativeImage = System.getProperty("native.image.path");
        boolean isNative = nativeImage != null && new File(nativeImage).canExecute();
        command.add(isNative ? nativeImage : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        properties.forEach(property -> command.add("-D" + property));
        if (!isNative) {
            command.add("-jar");
            command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toString());
        }
        return command;
    }

    public static ServiceProcess start(int port, String jdbcUrl, String user, String password, String... extraProperties)
            throws IOException, InterruptedException {
        String reactiveUrl = jdbcUrl.replaceFirst("^jdbc:", "");
        List<String> properties = new ArrayList<>(List.of(
                "quarkus.profile=test",
                "quarkus.http.port=" + port,
                "calling.public-base-url=http://localhost:" + port,
                "quarkus.datasource.jdbc.url=" + jdbcUrl,
                "quarkus.datasource.reactive.url=" + reactiveUrl,
                "quarkus.datasource.username=" + user,
                "quarkus.datasource.password=" + password,
                "quarkus.log.file.enabled=false"));
        properties.addAll(IdentityProviderTestResource.settings());
        properties.addAll(List.of(extraProperties));
        List<String> command = command(properties);
        Path log = Files.createTempFile("call-tracker-process", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        service.awaitReady(Duration.ofSeconds(60));
        return service;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Twilio, playing against this process. */
    public TwilioFake twilio() {
        return new TwilioFake(baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
    }

    public int readinessStatus() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited at start-up:\n" + output());
                }
                return readinessStatus() == 200;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the service did not become ready:\n" + output());
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Kubernetes sends it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no draining. */
    public void kill() {
        process.destroyForcibly();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(log);
    }
}
