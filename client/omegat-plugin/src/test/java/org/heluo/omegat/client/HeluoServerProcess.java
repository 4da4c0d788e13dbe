package org.heluo.omegat.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real heluo-server (-Dheluo.server.bin, as ctest passes it) started for a test class: its gRPC port once
 * it says it is listening, its output drained so that it never blocks on a full pipe, and stop() to end it.
 */
final class HeluoServerProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  final int port;
  private final Process process;

  private HeluoServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts heluo-server with `args` (which must include --listen 127.0.0.1:0) and waits until it listens. */
  static HeluoServerProcess start(String... args) throws IOException {
    String bin = System.getProperty("heluo.server.bin");
    if (bin == null) throw new IllegalStateException("run with -Dheluo.server.bin=PATH (ctest does)");
    List<String> command = new ArrayList<>();
    command.add(bin);
    command.addAll(Arrays.asList(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null;) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {}
          } catch (IOException ignored) {
            // The server stopped.
          }
        });
        drain.setDaemon(true);
        drain.start();
        return new HeluoServerProcess(process, Integer.parseInt(m.group(1)));
      }
    }
    process.destroy();
    throw new IllegalStateException("heluo-server did not start");
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
