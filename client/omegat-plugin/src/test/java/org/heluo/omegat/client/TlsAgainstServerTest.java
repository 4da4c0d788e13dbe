package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The plugin's TLS against the real heluo-server (-Dheluo.server.bin) with a certificate made by openssl:
 * the right CA works, another CA and a certificate for another host name are refused.
 */
public class TlsAgainstServerTest {
  @ClassRule public static TemporaryFolder folder = new TemporaryFolder();
  private static HeluoServerProcess server;
  private static int port;
  private static File ca;
  private static File otherCa;

  static File certificate(String name, String san) throws Exception {
    File dir = folder.getRoot();
    File cert = new File(dir, name + ".pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                                   new File(dir, name + ".key").getPath(), "-out", cert.getPath(), "-days", "1",
                                   "-subj", "/CN=" + name, "-addext", "subjectAltName=" + san)
                    .redirectErrorStream(true).start();
    while (p.getInputStream().read() >= 0) {}
    assertEquals(0, p.waitFor());
    return cert;
  }

  @BeforeClass
  public static void startServer() throws Exception {
    ca = certificate("localhost", "DNS:localhost");  // Not valid for 127.0.0.1: see aCertificateForAnotherHostIsRefused.
    otherCa = certificate("other-ca", "DNS:localhost");
    File dir = folder.getRoot();
    server = HeluoServerProcess.start("--data-dir", new File(dir, "data").getPath(), "--listen", "127.0.0.1:0",
                                      "--http-listen", "127.0.0.1:0", "--tls-cert", ca.getPath(), "--tls-key",
                                      new File(dir, "localhost.key").getPath());
    port = server.port;
  }

  @AfterClass
  public static void stopServer() throws Exception {
    if (server != null) server.stop();
  }

  static HeluoClient client(String address, File trusted) throws HeluoException {
    Map<String, String> env = new HashMap<>();
    env.put("HELUO_SERVER", address);
    env.put("HELUO_TLS_CA", trusted.getPath());
    return HeluoClient.connect(HeluoConfig.resolve(new Properties(), env, k -> null));
  }

  @Test
  public void theRightCertificateAuthorityWorks() throws Exception {
    try (HeluoClient c = client("tls://localhost:" + port, ca)) {
      assertEquals("sanzhong-xintai", c.recognize("“三种心态”仍不同程度存在", true).getHits(0).getEntry().getId());
    }
    try (HeluoClient c = client("https://localhost:" + port, ca)) {
      assertTrue(c.lookup(new Query("新增专利227件，增长57.8%。", null, null), 1).get(0).getScore() >= 100);
    }
  }

  /** A call to `address` trusting `trusted` must fail the TLS handshake (UNAVAILABLE), naming why. */
  static void assertRefused(String address, File trusted, String why) throws Exception {
    try (HeluoClient c = client(address, trusted)) {
      c.recognize("三种心态", true);
      fail(why);
    } catch (HeluoException e) {
      assertEquals(e.getMessage(), "UNAVAILABLE", e.code());
    }
  }

  @Test
  public void anotherCertificateAuthorityIsRefused() throws Exception {
    assertRefused("tls://localhost:" + port, otherCa, "a server certificate from another CA was accepted");
  }

  @Test
  public void aCertificateForAnotherHostIsRefused() throws Exception {
    // The right CA, but the certificate names only localhost: reaching the server as 127.0.0.1 must fail.
    assertRefused("tls://127.0.0.1:" + port, ca, "a certificate that does not name 127.0.0.1 was accepted");
  }

  @Test
  public void aMissingCaFileIsAClearError() {
    try (HeluoClient c = client("tls://localhost:" + port, new File(folder.getRoot(), "absent.pem"))) {
      fail("connected without a CA file");
    } catch (HeluoException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("heluo: cannot set up TLS for tls://localhost:" + port));
    }
  }
}
