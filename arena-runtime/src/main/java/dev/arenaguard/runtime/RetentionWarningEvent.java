package dev.arenaguard.runtime;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR event of the {@link WatchdogPolicy#JFR JFR} watchdog policy. */
@Name("dev.arenaguard.RetentionWarning")
@Label("Arena Retention Warning")
@Category({"arena-guard"})
@Description("An arena keeps growing without a reset: it is held by a long-lived owner.")
@StackTrace(true)
final class RetentionWarningEvent extends Event {
  @Label("Arena")
  String arena;

  @Label("Created At")
  String creationSite;

  @Label("Allocations Since Reset")
  long allocations;

  @Label("Bytes Allocated")
  @DataAmount
  long bytesAllocated;

  @Label("Growing For")
  @Timespan(Timespan.MILLISECONDS)
  long growingFor;

  @Label("Reason")
  String reason;

  static void commit(RetentionWarning warning) {
    RetentionWarningEvent event = new RetentionWarningEvent();
    if (event.isEnabled()) {
      event.arena = warning.arenaName();
      event.creationSite = warning.creationSite();
      event.allocations = warning.allocationsSinceReset();
      event.bytesAllocated = warning.bytesAllocated();
      event.growingFor = warning.growingFor().toMillis();
      event.reason = warning.reason();
      event.commit();
    }
  }
}
