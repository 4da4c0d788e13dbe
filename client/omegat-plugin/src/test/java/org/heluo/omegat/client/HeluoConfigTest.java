package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.Test;

public class HeluoConfigTest {
  private final Properties system = new Properties();
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> prefs = new HashMap<>();

  private HeluoConfig resolve() {
    return HeluoConfig.resolve(system, env, prefs::get);
  }

  @Test
  public void defaultsToTheLocalServerInPlaintext() {
    HeluoConfig c = resolve();
    assertEquals("127.0.0.1:50051", c.target);
    assertFalse(c.tls);
    assertEquals("", c.token);
    assertEquals(2500, c.deadlineMillis);
    assertEquals(70, c.minScore);
    assertEquals(5, c.maxMatches);
  }

  @Test
  public void systemPropertyBeatsEnvironmentBeatsPreferences() {
    prefs.put("heluo_server", "prefs:1");
    assertEquals("prefs:1", resolve().target);
    env.put("HELUO_SERVER", "env:2");
    assertEquals("env:2", resolve().target);
    system.setProperty("heluo.server", "prop:3");
    assertEquals("prop:3", resolve().target);
    system.setProperty("heluo.server", "  ");  // Blank counts as unset.
    assertEquals("env:2", resolve().target);
  }

  @Test
  public void tlsWhenTheAddressSaysSo() {
    env.put("HELUO_SERVER", "tls://heluo.example.org:443");
    HeluoConfig c = resolve();
    assertTrue(c.tls);
    assertEquals("heluo.example.org:443", c.target);
    env.put("HELUO_SERVER", "https://heluo.example.org:8443/");
    assertEquals("heluo.example.org:8443", resolve().target);
    assertTrue(resolve().tls);
    env.put("HELUO_SERVER", "http://10.0.0.2:50051");
    assertFalse(resolve().tls);
    assertEquals("10.0.0.2:50051", resolve().target);
  }

  @Test
  public void tokenAndNumbersComeFromTheSameChain() {
    prefs.put("heluo_token", " secret ");
    prefs.put("heluo_min_score", "85");
    env.put("HELUO_DEADLINE_MS", "900");
    system.setProperty("heluo.max_matches", "3");
    HeluoConfig c = resolve();
    assertEquals("secret", c.token);
    assertEquals(85, c.minScore);
    assertEquals(900, c.deadlineMillis);
    assertEquals(3, c.maxMatches);
    assertTrue(c.toString().contains("with a token"));
    assertFalse("the token is never printed", c.toString().contains("secret"));
  }

  @Test
  public void badNumbersFallBackToDefaults() {
    prefs.put("heluo_min_score", "high");
    prefs.put("heluo_deadline_ms", "-5");
    prefs.put("heluo_max_matches", "1000");
    HeluoConfig c = resolve();
    assertEquals(70, c.minScore);
    assertEquals(2500, c.deadlineMillis);
    assertEquals(5, c.maxMatches);
  }
}
