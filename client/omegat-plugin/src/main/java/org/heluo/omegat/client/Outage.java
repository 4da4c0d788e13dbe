package org.heluo.omegat.client;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps OmegaT quick and its log readable while the server is down or not answering. The first failure is logged
 * as one line; for the next {@link #RETRY_MILLIS} ms calls are not even tried ({@link #skip()}), so a server that
 * swallows requests costs one deadline, not one per segment; then one call is tried again. Further failures are
 * counted silently, and the first success logs one line saying heluo is back.
 */
public final class Outage {
  public static final long RETRY_MILLIS = 10_000;

  private final Consumer<String> log;
  private final LongSupplier clockMillis;
  private boolean down;
  private long downSince;
  private long lastAttempt;
  private long suppressed;

  public Outage(Consumer<String> log) {
    this(log, System::currentTimeMillis);
  }

  Outage(Consumer<String> log, LongSupplier clockMillis) {
    this.log = log;
    this.clockMillis = clockMillis;
  }

  /** Whether to leave heluo out of this call: it failed less than RETRY_MILLIS ago. */
  public synchronized boolean skip() {
    if (!down) return false;
    long now = clockMillis.getAsLong();
    if (now - lastAttempt < RETRY_MILLIS) {
      suppressed++;
      return true;
    }
    lastAttempt = now;  // This caller is the one retry; the others keep skipping until it reports.
    return false;
  }

  public synchronized void failed(HeluoException e) {
    lastAttempt = clockMillis.getAsLong();
    if (down) {
      suppressed++;
      return;
    }
    down = true;
    downSince = lastAttempt;
    suppressed = 0;
    log.accept(e.getMessage() + "; the heluo panes stay empty until it answers (retried every "
               + RETRY_MILLIS / 1000 + " s)");
  }

  public synchronized void succeeded(HeluoConfig config) {
    if (!down) return;
    down = false;
    log.accept("heluo at " + config + " answers again after " + (clockMillis.getAsLong() - downSince) / 1000
               + " s (" + suppressed + " calls failed or skipped meanwhile, not logged)");
  }
}
