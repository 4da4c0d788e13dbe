package io.netty.handler.ssl;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client TLS context whose ALPN ("h2", which gRPC requires) is done by the JDK's own SSLEngine (Java 9+).
 *
 * <p>Why this exists: Debian 12 packages netty 4.1.48 without netty-tcnative and with the JDK ALPN negotiator
 * patched out, so grpc-netty's {@code GrpcSslContexts.forClient()} fails with "JDK provider does not support ALPN
 * protocol" although Java 17 can do ALPN. Netty's Java 9 engine wrapper ({@code Java9SslEngine}) is still in
 * the package but only reachable from inside it, hence this class's package. Host names are still verified:
 * grpc-netty sets the HTTPS endpoint identification on every engine it creates.
 */
public final class HeluoJdkAlpn {
  private HeluoJdkAlpn() {}

  /** Trusts the PEM certificates in {@code caFile}, or the JDK's trust store when it is null. */
  public static SslContext forClient(File caFile) throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile == null) {
      trust.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(caFile.toPath())) {
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca" + i++, c);
        }
        if (i == 0) throw new IllegalArgumentException("no certificate in " + caFile);
      }
      trust.init(store);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    JdkApplicationProtocolNegotiator alpn = new JdkBaseApplicationProtocolNegotiator(
        (engine, negotiator, isServer) -> new Java9SslEngine(engine, negotiator, isServer),
        JdkBaseApplicationProtocolNegotiator.FAIL_SELECTOR_FACTORY,
        JdkBaseApplicationProtocolNegotiator.FAIL_SELECTION_LISTENER_FACTORY, "h2");
    return new JdkSslContext(context, true, null, IdentityCipherSuiteFilter.INSTANCE, alpn, ClientAuth.NONE, null,
                             false);
  }
}
