package dev.calltracker.retention;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;
import java.util.UUID;

/**
 * What an erasure changed: rows per table (0 for a lead erased before, or one the service never called).
 * {@code leadFound} says whether the CRM's lead row still exists: a lead the CRM deleted first has lost the link
 * to its calls (call_recordings.lead_id is set null), so nothing is found to erase.
 */
@RegisterForReflection
public record PersonalDataErasure(UUID leadId, boolean leadFound, long calls, Map<String, Long> erased) {
}
