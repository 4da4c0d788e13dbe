package org.heluo.omegat.client;

import java.util.function.Consumer;

/**
 * Keeps OmegaT's log readable while the server is down: the first failure is logged as one line, further
 * failures are counted silently, and the first success afterwards logs one line saying heluo is back.
 */
public final class Outage {
  private final Consumer<String> log;
  private boolean down;
  private long suppressed;

  public Outage(Consumer<String> log) {
    this.log = log;
  }

  public synchronized void failed(HeluoException e) {
    if (down) {
      suppressed++;
      return;
    }
    down = true;
    suppressed = 0;
    log.accept(e.getMessage() + "; the heluo panes stay empty until it answers");
  }

  public synchronized void succeeded(HeluoConfig config) {
    if (!down) return;
    down = false;
    log.accept("heluo at " + config + " answers again (" + suppressed + " more failed calls not logged)");
  }
}
