package dev.calltracker.logging;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A copy of a logged exception with phone numbers masked in its message, its causes' and its suppressed
 * exceptions' (a throwable's message cannot be changed, so the log record gets the copy). Stack frames are
 * kept. Its message is the original's {@code toString()} masked, so the original class stays named: the
 * console prints {@code java.lang.IllegalStateException: dialing +1********00} as before, and the JSON
 * log's {@code exception} has this class as {@code exceptionType} and the original's in its message.
 */
final class MaskedThrowable extends Throwable {

    private MaskedThrowable(String originalMasked) {
        super(originalMasked);
    }

    /** The exception itself when nothing in it needs masking (so it is logged exactly as thrown), else a masked copy. */
    static Throwable of(Throwable thrown) {
        return needsMasking(thrown, Collections.newSetFromMap(new IdentityHashMap<>()))
                ? copy(thrown, new IdentityHashMap<>()) : thrown;
    }

    @Override
    public String toString() {
        return getMessage();
    }

    /** The original's frames are copied in; capturing this constructor's own would only cost time. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    private static boolean needsMasking(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        String text = String.valueOf(t);
        if (!PhoneNumberMaskingFilter.mask(text).equals(text) || needsMasking(t.getCause(), seen)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (needsMasking(suppressed, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Copies the whole graph; a cause met twice (a cycle) gets the same copy, as formatters expect. */
    private static Throwable copy(Throwable t, Map<Throwable, Throwable> copies) {
        Throwable done = copies.get(t);
        if (done != null) {
            return done;
        }
        MaskedThrowable copy = new MaskedThrowable(PhoneNumberMaskingFilter.mask(String.valueOf(t)));
        copies.put(t, copy);
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            copy.initCause(copy(t.getCause(), copies));
        }
        for (Throwable suppressed : t.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, copies));
        }
        return copy;
    }
}
