package org.heluo.omegat.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fixed list of heluo servers ({@code host1:port1,host2:port2}: a primary and its read replicas, see
 * docs/replication.md) as one gRPC target: every server is a backend of the channel, which the
 * {@code round_robin} policy takes in turn, so the translators' reads spread over all of them. gRPC-java
 * resolves a single name only, hence this resolver; a {@code dns:///name:port} target needs none.
 */
final class AddressList extends NameResolver.Factory {
  static final String SCHEME = "heluo-list";

  private final List<String> addresses;

  /** {@code list}: comma-separated host:port entries ([v6]:port allowed). */
  AddressList(String list) {
    List<String> out = new ArrayList<>();
    for (String a : list.split(",")) {
      if (!a.trim().isEmpty()) out.add(a.trim());
    }
    this.addresses = Collections.unmodifiableList(out);
  }

  List<String> addresses() {
    return addresses;
  }

  /** The channel target this factory answers for. */
  String target() {
    return SCHEME + ":///" + String.join(",", addresses);
  }

  static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("not host:port: " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));  // Resolves the name.
  }

  @Override
  public NameResolver newNameResolver(URI uri, NameResolver.Args args) {
    if (!SCHEME.equals(uri.getScheme())) return null;
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return addresses.get(0);  // What TLS checks the certificate against: the first server's name.
      }

      @Override
      public void start(Listener2 listener) {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        try {
          for (String a : addresses) groups.add(new EquivalentAddressGroup(parse(a)));
        } catch (RuntimeException e) {
          listener.onError(Status.UNAVAILABLE.withDescription("heluo server list " + addresses + ": " + e.getMessage()));
          return;
        }
        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
      }

      @Override
      public void shutdown() {}
    };
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }
}
