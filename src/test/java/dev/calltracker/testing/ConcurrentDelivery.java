package dev.calltracker.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;

/**
 * Twilio under load: requests sent by many clients at once, each answer kept with its request. A hook
 * after each answer lets a test break something mid-storm (stop the database, kill the process).
 */
public final class ConcurrentDelivery {

    /** One request and the status it was answered with (-1: no answer, the connection failed). */
    public record Answer(Map<String, String> request, int status) {

        public boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    private final int clients;
    private IntConsumer afterEachAnswer = answered -> { };

    private ConcurrentDelivery(int clients) {
        this.clients = clients;
    }

    public static ConcurrentDelivery byClients(int clients) {
        return new ConcurrentDelivery(clients);
    }

    /** Runs on the client's thread after each answer, with the number of answers so far. */
    public ConcurrentDelivery afterEachAnswer(IntConsumer hook) {
        this.afterEachAnswer = hook;
        return this;
    }

    /** Sends every request with {@code sender} (which returns the status) and waits for all the answers. */
    public List<Answer> send(List<Map<String, String>> requests, ToIntFunction<Map<String, String>> sender) {
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (Map<String, String> request : requests) {
                sent.add(threads.submit(() -> {
                    answers.add(new Answer(request, sender.applyAsInt(request)));
                    afterEachAnswer.accept(answered.incrementAndGet());
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            threads.shutdownNow();
        }
        return List.copyOf(answers);
    }

    /** The requests answered 2xx. */
    public static List<Map<String, String>> acknowledged(List<Answer> answers) {
        return answers.stream().filter(Answer::acknowledged).map(Answer::request).toList();
    }

    /** The requests not answered 2xx, which Twilio delivers again. */
    public static List<Map<String, String>> refused(List<Answer> answers) {
        return answers.stream().filter(a -> !a.acknowledged()).map(Answer::request).toList();
    }
}
