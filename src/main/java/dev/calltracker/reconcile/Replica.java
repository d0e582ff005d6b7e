package dev.calltracker.reconcile;

import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One replica of the service as the reconciler sees it: the name its claims carry, unique per process (two
 * processes on one host, or a restart, never share a claim), and the one run it may have under way.
 */
@Singleton
public class Replica {

    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();

    /** This process: its host name (the pod's, on Kubernetes) and a random suffix. */
    public Replica() {
        this(hostName() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    Replica(String name) {
        this.name = name;
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "replica";
        }
    }

    public String name() {
        return name;
    }

    /** Takes the replica's one run, or answers false when a run is already under way. */
    boolean startRun() {
        return running.compareAndSet(false, true);
    }

    void endRun() {
        running.set(false);
    }
}
