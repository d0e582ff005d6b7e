package dev.calltracker.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * A statement kept in {@code src/main/resources/sql/}: plain SQL with {@code $n} parameters, readable and
 * runnable on its own, and the same text the benchmark's pgbench script is generated from. Read once, by the
 * repository that runs it; whole-line comments stay in the file and are not sent (the reactive client caches
 * prepared statements only below 2,048 characters).
 */
public final class SqlFile {

    private SqlFile() {
    }

    /** The statement in {@code sql/<name>}, without its whole-line comments. */
    public static String load(String name) {
        String path = "sql/" + name;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.stripLeading().startsWith("--") && !line.isBlank())
                    .map(String::stripTrailing)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read SQL resource " + path, e);
        }
    }
}
