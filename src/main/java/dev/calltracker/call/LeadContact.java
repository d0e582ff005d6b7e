package dev.calltracker.call;

import java.time.OffsetDateTime;

/**
 * The write a call makes on its lead: the lead is contacted at {@code contactedAt}, which replaces
 * {@code replaces}, the contact time this same call had set before (an estimate it now corrects), if any.
 */
public record LeadContact(OffsetDateTime contactedAt, OffsetDateTime replaces) {
}
