package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import org.junit.Test;

public class OutageTest {
  private final List<String> log = new ArrayList<>();
  private long now = 1_000_000;
  private final Outage outage = new Outage(log::add, () -> now);
  private final HeluoConfig config = HeluoConfig.resolve(new Properties(), new HashMap<>(), k -> null);

  private static HeluoException unavailable() {
    return new HeluoException("heluo at x: Lookup failed: UNAVAILABLE", "UNAVAILABLE", null);
  }

  @Test
  public void logsOneLineWhenDownAndOneWhenBack() {
    outage.succeeded(config);
    assertEquals(0, log.size());
    for (int i = 0; i < 5; i++) outage.failed(unavailable());
    assertEquals(1, log.size());
    assertTrue(log.get(0), log.get(0).startsWith("heluo at x: Lookup failed: UNAVAILABLE; the heluo panes stay empty"));
    now += 12_000;
    outage.succeeded(config);
    outage.succeeded(config);
    assertEquals(2, log.size());
    assertTrue(log.get(1), log.get(1).contains("answers again after 12 s (4 calls failed or skipped meanwhile"));
    outage.failed(unavailable());
    assertEquals(3, log.size());
  }

  @Test
  public void skipsCallsForTenSecondsAfterAFailureThenTriesOne() {
    assertFalse("nothing is skipped while heluo answers", outage.skip());
    outage.failed(unavailable());
    now += 1_000;
    assertTrue(outage.skip());
    now += Outage.RETRY_MILLIS;
    assertFalse("one retry after the pause", outage.skip());
    assertTrue("the others wait for the retry's answer", outage.skip());
    outage.failed(unavailable());
    assertTrue(outage.skip());
    now += Outage.RETRY_MILLIS;
    assertFalse(outage.skip());
    outage.succeeded(config);
    assertFalse(outage.skip());
    assertFalse(outage.skip());
    assertEquals(2, log.size());
  }
}
