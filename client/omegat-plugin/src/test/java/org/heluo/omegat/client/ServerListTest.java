package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.heluo.v1.AdminGrpc;
import org.heluo.v1.MethodStats;
import org.heluo.v1.StatsRequest;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The plugin given several servers (a primary and its read replicas, docs/replication.md) spreads its calls
 * over all of them: two real heluo-servers (-Dheluo.server.bin), the plugin's address "A,B", and each
 * server's own call counts (Admin.Stats) show that both answered.
 */
public class ServerListTest {
  @ClassRule public static TemporaryFolder folder = new TemporaryFolder();
  private static final List<HeluoServerProcess> servers = new ArrayList<>();
  private static final List<Integer> ports = new ArrayList<>();

  static int start(String name) throws Exception {
    HeluoServerProcess server = HeluoServerProcess.start(
        "--data-dir", new File(folder.getRoot(), name).getPath(), "--listen", "127.0.0.1:0", "--http-listen", "off");
    servers.add(server);
    return server.port;
  }

  @BeforeClass
  public static void startServers() throws Exception {
    ports.add(start("a"));
    ports.add(start("b"));
  }

  @AfterClass
  public static void stopServers() throws Exception {
    for (HeluoServerProcess s : servers) s.stop();
  }

  static long recognizeCalls(int port) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      for (MethodStats m : AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                               .stats(StatsRequest.getDefaultInstance()).getMethodsList()) {
        if (m.getMethod().endsWith("/RecognizeTerms")) return m.getCalls();
      }
      return 0;
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  public void callsThroughAListReachEveryServer() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HELUO_SERVER", "127.0.0.1:" + ports.get(0) + ", 127.0.0.1:" + ports.get(1));
    env.put("HELUO_DEADLINE_MS", "10000");  // Generous: the machine running the tests may be busy.
    final int calls = 20;
    try (HeluoClient c = HeluoClient.connect(HeluoConfig.resolve(new Properties(), env, k -> null))) {
      for (int i = 0; i < calls; ++i) {
        assertEquals("sanzhong-xintai", c.recognize("“三种心态”仍不同程度存在", true).getHits(0).getEntry().getId());
      }
    }
    long a = recognizeCalls(ports.get(0));
    long b = recognizeCalls(ports.get(1));
    assertEquals(calls, a + b);
    // round_robin takes the servers in turn once both are connected; pick_first would send all 20 to one.
    assertTrue("server A answered " + a + " of " + calls, a >= calls / 4);
    assertTrue("server B answered " + b + " of " + calls, b >= calls / 4);
  }
}
