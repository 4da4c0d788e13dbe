package org.heluo.omegat.client;

import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where the heluo server is and how to talk to it. Each setting is read, first found wins, from a Java system
 * property ({@code -Dheluo.server=...}), an environment variable ({@code HELUO_SERVER}) and OmegaT's
 * preferences ({@code heluo_server} in omegat.prefs), then a default.
 *
 * <p>An address {@code tls://host:port} (or {@code https://host:port}) means TLS; a bare {@code host:port} means
 * plaintext HTTP/2 (for a server on this machine or a trusted network). Several servers — a primary and its
 * read replicas — are given as a comma-separated list {@code host1:port1,host2:port2} or as
 * {@code dns:///name:port}; the plugin then spreads its calls over all of them (round_robin).
 */
public final class HeluoConfig {
  public static final String DEFAULT_ADDRESS = "127.0.0.1:50051";

  public final String target;          // host:port (or a comma-separated list, or dns:///…), without tls://.
  public final boolean tls;
  public final String token;           // Empty: send no authorization metadata.
  public final String caFile;          // PEM file of the CA that signed the server's certificate; empty: JDK's.
  public final long deadlineMillis;    // For each interactive call (glossary, MT pane).
  public final int minScore;           // Lowest TM score shown in the MT pane and written to the TMX.
  public final int maxMatches;         // TM matches per segment written to the project's tm/heluo/ TMX.

  public HeluoConfig(String address, String token, String caFile, long deadlineMillis, int minScore,
                     int maxMatches) {
    String a = address == null || address.trim().isEmpty() ? DEFAULT_ADDRESS : address.trim();
    boolean secure = false;
    for (String scheme : new String[] {"tls://", "https://"}) {
      if (a.startsWith(scheme)) {
        a = a.substring(scheme.length());
        secure = true;
      }
    }
    if (a.startsWith("http://")) a = a.substring("http://".length());
    if (a.endsWith("/")) a = a.substring(0, a.length() - 1);
    this.target = a;
    this.tls = secure;
    this.token = token == null ? "" : token.trim();
    this.caFile = caFile == null ? "" : caFile.trim();
    this.deadlineMillis = deadlineMillis;
    this.minScore = minScore;
    this.maxMatches = maxMatches;
  }

  /** Reads every setting from system properties, then the environment, then {@code prefs}. */
  public static HeluoConfig resolve(Properties system, Map<String, String> env, Function<String, String> prefs) {
    return new HeluoConfig(
        setting(system, env, prefs, "server", ""),
        setting(system, env, prefs, "token", ""),
        setting(system, env, prefs, "tls_ca", ""),
        number(setting(system, env, prefs, "deadline_ms", "2500"), 2500, 100, 60000),
        (int) number(setting(system, env, prefs, "min_score", "70"), 70, 0, 101),
        (int) number(setting(system, env, prefs, "max_matches", "5"), 5, 1, 50));
  }

  /** The setting {@code name} from -Dheluo.NAME, then HELUO_NAME, then the preference heluo_NAME. */
  static String setting(Properties system, Map<String, String> env, Function<String, String> prefs, String name,
                        String fallback) {
    String v = system.getProperty("heluo." + name);
    if (empty(v)) v = env.get("HELUO_" + name.toUpperCase(java.util.Locale.ROOT));
    if (empty(v) && prefs != null) v = prefs.apply("heluo_" + name);
    return empty(v) ? fallback : v;
  }

  private static boolean empty(String s) {
    return s == null || s.trim().isEmpty();
  }

  private static long number(String s, long fallback, long min, long max) {
    try {
      long v = Long.parseLong(s.trim());
      return v < min || v > max ? fallback : v;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  @Override
  public String toString() {
    return (tls ? "tls://" : "") + target + (token.isEmpty() ? "" : " (with a token)");
  }
}
