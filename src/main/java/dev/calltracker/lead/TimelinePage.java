package dev.calltracker.lead;

import java.util.List;
import java.util.Optional;

/** One page of a lead's timeline, and where the next one starts (empty on the last page). */
public record TimelinePage(List<LeadActivity> activities, Optional<TimelineCursor> next) {
}
