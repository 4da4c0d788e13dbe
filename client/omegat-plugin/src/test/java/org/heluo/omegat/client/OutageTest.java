package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import org.junit.Test;

public class OutageTest {
  @Test
  public void logsOneLineWhenDownAndOneWhenBack() {
    List<String> log = new ArrayList<>();
    Outage outage = new Outage(log::add);
    HeluoConfig config = HeluoConfig.resolve(new Properties(), new HashMap<>(), k -> null);
    outage.succeeded(config);
    assertEquals(0, log.size());
    for (int i = 0; i < 5; i++) outage.failed(new HeluoException("heluo at x: Lookup failed: UNAVAILABLE", "UNAVAILABLE", null));
    assertEquals(1, log.size());
    assertTrue(log.get(0).startsWith("heluo at x: Lookup failed: UNAVAILABLE"));
    outage.succeeded(config);
    outage.succeeded(config);
    assertEquals(2, log.size());
    assertTrue(log.get(1), log.get(1).contains("answers again (4 more failed calls not logged)"));
    outage.failed(new HeluoException("down again", "UNAVAILABLE", null));
    assertEquals(3, log.size());
  }
}
