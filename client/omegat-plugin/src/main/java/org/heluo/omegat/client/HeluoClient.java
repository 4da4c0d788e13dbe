package org.heluo.omegat.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.HeluoJdkAlpn;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.heluo.v1.GetTermRequest;
import org.heluo.v1.GlossaryGrpc;
import org.heluo.v1.Language;
import org.heluo.v1.LookupRequest;
import org.heluo.v1.LookupResponse;
import org.heluo.v1.Match;
import org.heluo.v1.RecognizeTermsRequest;
import org.heluo.v1.RecognizeTermsResponse;
import org.heluo.v1.TermEntry;
import org.heluo.v1.TermHit;
import org.heluo.v1.TranslationMemoryGrpc;

/**
 * The plugin's only connection to heluo: one channel, shared by every pane, closed by {@link #close()}. Plain
 * gRPC, no OmegaT classes, so it is unit-tested against an in-process server.
 */
public final class HeluoClient implements AutoCloseable {
  private final HeluoConfig config;
  private final ManagedChannel channel;
  private final GlossaryGrpc.GlossaryBlockingStub glossary;
  private final TranslationMemoryGrpc.TranslationMemoryBlockingStub tm;
  private final TranslationMemoryGrpc.TranslationMemoryStub tmAsync;

  /**
   * Opens a channel to {@code config.target} (TLS when the address said so). Connects lazily. A list
   * {@code a:1,b:2} or a {@code dns:///name:port} target spreads the calls over every server with gRPC's
   * round_robin policy (read replicas, docs/replication.md); the plugin only reads, so any of them answers.
   */
  public static HeluoClient connect(HeluoConfig config) throws HeluoException {
    NettyChannelBuilder builder;
    if (config.target.contains(",")) {
      AddressList list = new AddressList(config.target);
      builder = NettyChannelBuilder.forTarget(list.target()).nameResolverFactory(list);
      builder.defaultLoadBalancingPolicy("round_robin");
    } else {
      builder = NettyChannelBuilder.forTarget(config.target);
      if (config.target.startsWith("dns:")) builder.defaultLoadBalancingPolicy("round_robin");
    }
    if (config.tls) {
      try {
        builder.sslContext(HeluoJdkAlpn.forClient(config.caFile.isEmpty() ? null : new File(config.caFile)));
      } catch (Exception e) {
        throw new HeluoException("heluo: cannot set up TLS for " + config + ": " + e.getMessage(), "INVALID_ARGUMENT", e);
      }
    } else {
      builder.usePlaintext();
    }
    return new HeluoClient(config, builder.maxInboundMessageSize(64 << 20).build());
  }

  /** Uses an existing channel (unit tests pass an in-process one). */
  public HeluoClient(HeluoConfig config, ManagedChannel channel) {
    this.config = config;
    this.channel = channel;
    this.glossary = withToken(GlossaryGrpc.newBlockingStub(channel));
    this.tm = withToken(TranslationMemoryGrpc.newBlockingStub(channel));
    this.tmAsync = withToken(TranslationMemoryGrpc.newStub(channel));
  }

  private <S extends AbstractStub<S>> S withToken(S stub) {
    if (config.token.isEmpty()) return stub;
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + config.token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  public HeluoConfig config() {
    return config;
  }

  /**
   * How long an entry fetched for the glossary pane is reused: an edit made in heluo shows in the pane within
   * this time, and a segment's terms cost one small RecognizeTerms call instead of resending every entry.
   */
  static final long ENTRY_CACHE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final class CachedEntry {
    final TermEntry entry;
    final long fetchedNanos;

    CachedEntry(TermEntry entry, long fetchedNanos) {
      this.entry = entry;
      this.fetchedNanos = fetchedNanos;
    }
  }

  private final Map<String, CachedEntry> entries = new ConcurrentHashMap<>();

  /**
   * Every glossary term in {@code text} (Chinese forms when the source is Chinese, English ones otherwise), each
   * hit with its whole entry. Asks for compact hits (entry id, span, rendering, status) and fills in the entries
   * from a cache, fetching with GetTerm only those not seen within {@link #ENTRY_CACHE_NANOS}; a hit whose entry
   * was deleted in between is left out.
   */
  public RecognizeTermsResponse recognize(String text, boolean chineseSource) throws HeluoException {
    RecognizeTermsResponse compact;
    try {
      compact = glossary.withDeadlineAfter(config.deadlineMillis, TimeUnit.MILLISECONDS)
          .recognizeTerms(RecognizeTermsRequest.newBuilder()
                              .setText(text)
                              .setLanguage(chineseSource ? Language.LANGUAGE_ZH : Language.LANGUAGE_EN)
                              .setCompact(true)
                              .build());
    } catch (StatusRuntimeException e) {
      throw failure("RecognizeTerms", e);
    }
    RecognizeTermsResponse.Builder full = RecognizeTermsResponse.newBuilder();
    for (TermHit hit : compact.getHitsList()) {
      TermEntry entry = entry(hit.getEntryId());
      if (entry != null) full.addHits(hit.toBuilder().setEntry(entry));
    }
    return full.build();
  }

  /** The entry {@code id}, from the cache or GetTerm; null when heluo no longer has it. */
  private TermEntry entry(String id) throws HeluoException {
    long now = System.nanoTime();
    CachedEntry cached = entries.get(id);
    if (cached != null && now - cached.fetchedNanos < ENTRY_CACHE_NANOS) return cached.entry;
    try {
      TermEntry entry = glossary.withDeadlineAfter(config.deadlineMillis, TimeUnit.MILLISECONDS)
                            .getTerm(GetTermRequest.newBuilder().setId(id).build())
                            .getEntry();
      entries.put(id, new CachedEntry(entry, now));
      return entry;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        entries.remove(id);
        return null;
      }
      throw failure("GetTerm", e);
    }
  }

  /** TM matches for one segment, best first, at or above the configured minimum score. */
  public List<Match> lookup(Query query, int maxResults) throws HeluoException {
    try {
      return tm.withDeadlineAfter(config.deadlineMillis, TimeUnit.MILLISECONDS)
          .lookup(request(query, maxResults))
          .getMatchesList();
    } catch (StatusRuntimeException e) {
      throw failure("Lookup", e);
    }
  }

  /**
   * Looks up every query through one LookupStream and returns the matches in query order. Requests are sent only
   * while the transport is ready (gRPC flow control), so a long document does not pile up in memory.
   */
  public List<List<Match>> lookupAll(List<Query> queries, int maxResults) throws HeluoException {
    if (queries.isEmpty()) return Collections.emptyList();
    final List<List<Match>> results = Collections.synchronizedList(new ArrayList<>());
    final Throwable[] error = new Throwable[1];
    final CountDownLatch done = new CountDownLatch(1);
    ClientResponseObserver<LookupRequest, LookupResponse> observer =
        new ClientResponseObserver<LookupRequest, LookupResponse>() {
          private ClientCallStreamObserver<LookupRequest> requests;
          private int sent;
          private boolean closed;

          @Override
          public void beforeStart(ClientCallStreamObserver<LookupRequest> r) {
            requests = r;
            r.setOnReadyHandler(this::pump);
          }

          private synchronized void pump() {
            while (!closed && requests.isReady() && sent < queries.size()) {
              requests.onNext(request(queries.get(sent++), maxResults));
            }
            if (!closed && sent == queries.size()) {
              closed = true;
              requests.onCompleted();
            }
          }

          @Override
          public void onNext(LookupResponse response) {
            results.add(response.getMatchesList());
          }

          @Override
          public void onError(Throwable t) {
            error[0] = t;
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        };
    // A generous deadline for the whole document: 30 s plus 20 ms a segment.
    long deadline = 30_000L + 20L * queries.size();
    tmAsync.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS).lookupStream(observer);
    try {
      if (!done.await(deadline + 5_000L, TimeUnit.MILLISECONDS)) {
        throw new HeluoException("heluo at " + config + ": LookupStream did not finish in " + deadline + " ms",
                                 "DEADLINE_EXCEEDED", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeluoException("heluo: LookupStream interrupted", "CANCELLED", e);
    }
    if (error[0] != null) {
      throw failure("LookupStream", error[0] instanceof StatusRuntimeException
                                        ? (StatusRuntimeException) error[0]
                                        : Status.fromThrowable(error[0]).asRuntimeException());
    }
    if (results.size() != queries.size()) {
      throw new HeluoException("heluo at " + config + ": LookupStream answered " + results.size() + " of "
                                   + queries.size() + " segments", "INTERNAL", null);
    }
    return new ArrayList<>(results);
  }

  private LookupRequest request(Query q, int maxResults) {
    LookupRequest.Builder b = LookupRequest.newBuilder()
                                  .setText(q.text)
                                  .setMaxResults(maxResults)
                                  .setMinScore(config.minScore);
    if (q.previous != null) b.setPreviousText(q.previous);
    if (q.next != null) b.setNextText(q.next);
    return b.build();
  }

  private HeluoException failure(String method, StatusRuntimeException e) {
    Status s = e.getStatus();
    // The description, and the transport's reason when there is one ("io exception: Connection refused: …").
    String why = s.getDescription() == null ? "" : s.getDescription();
    if (s.getCause() != null && s.getCause().getMessage() != null && !why.contains(s.getCause().getMessage())) {
      why = why.isEmpty() ? s.getCause().getMessage() : why + ": " + s.getCause().getMessage();
    }
    return new HeluoException("heluo at " + config + ": " + method + " failed: " + s.getCode()
                                  + (why.isEmpty() ? "" : " (" + why + ")"),
                              s.getCode().name(), e);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
