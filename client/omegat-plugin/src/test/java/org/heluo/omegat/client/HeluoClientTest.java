package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.heluo.v1.GetTermRequest;
import org.heluo.v1.GetTermResponse;
import org.heluo.v1.GlossaryGrpc;
import org.heluo.v1.Language;
import org.heluo.v1.LookupRequest;
import org.heluo.v1.LookupResponse;
import org.heluo.v1.Match;
import org.heluo.v1.RecognizeTermsRequest;
import org.heluo.v1.RecognizeTermsResponse;
import org.heluo.v1.Segment;
import org.heluo.v1.TermEntry;
import org.heluo.v1.TermHit;
import org.heluo.v1.TranslationMemoryGrpc;
import org.junit.After;
import org.junit.Test;

/**
 * The client against an in-process gRPC server whose answers the test controls: what is sent (language, context,
 * scores, token), what comes back in which order, and how every kind of failure becomes one HeluoException.
 */
public class HeluoClientTest {
  private final List<LookupRequest> lookups = Collections.synchronizedList(new ArrayList<>());
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private volatile Status failWith;
  private volatile long sleepMillis;
  private volatile int failStreamAfter = -1;
  private Server server;
  private HeluoClient client;

  private final List<RecognizeTermsRequest> recognitions = Collections.synchronizedList(new ArrayList<>());
  private final List<String> entriesFetched = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean entryDeleted;
  static final TermEntry ENTRY = TermEntry.newBuilder().setId("t").setZh("六稳").setEn("stability on six fronts").build();

  private final GlossaryGrpc.GlossaryImplBase glossary = new GlossaryGrpc.GlossaryImplBase() {
    @Override
    public void recognizeTerms(RecognizeTermsRequest request, StreamObserver<RecognizeTermsResponse> response) {
      if (!pause(response)) return;
      recognitions.add(request);
      TermHit.Builder hit = TermHit.newBuilder().setEntryId(ENTRY.getId()).setRendering(ENTRY.getEn())
                                .setSurface(request.getText()).setLanguage(request.getLanguage());
      if (!request.getCompact()) hit.setEntry(ENTRY);
      response.onNext(RecognizeTermsResponse.newBuilder().addHits(hit).build());
      response.onCompleted();
    }

    @Override
    public void getTerm(GetTermRequest request, StreamObserver<GetTermResponse> response) {
      entriesFetched.add(request.getId());
      if (entryDeleted || !request.getId().equals(ENTRY.getId())) {
        response.onError(Status.NOT_FOUND.withDescription("no term with id '" + request.getId() + "'").asRuntimeException());
        return;
      }
      response.onNext(GetTermResponse.newBuilder().setEntry(ENTRY).build());
      response.onCompleted();
    }
  };

  private final TranslationMemoryGrpc.TranslationMemoryImplBase tm = new TranslationMemoryGrpc.TranslationMemoryImplBase() {
    @Override
    public void lookup(LookupRequest request, StreamObserver<LookupResponse> response) {
      if (!pause(response)) return;
      lookups.add(request);
      response.onNext(answer(request));
      response.onCompleted();
    }

    @Override
    public StreamObserver<LookupRequest> lookupStream(StreamObserver<LookupResponse> response) {
      return new StreamObserver<LookupRequest>() {
        int seen;

        @Override
        public void onNext(LookupRequest request) {
          if (seen++ == failStreamAfter) {
            response.onError(Status.RESOURCE_EXHAUSTED.withDescription("too many streams").asRuntimeException());
            return;
          }
          lookups.add(request);
          response.onNext(answer(request));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          response.onCompleted();
        }
      };
    }
  };

  /** One match whose target names the query, so order and pairing can be checked. */
  static LookupResponse answer(LookupRequest request) {
    if (request.getText().startsWith("无关")) return LookupResponse.getDefaultInstance();
    return LookupResponse.newBuilder()
        .addMatches(Match.newBuilder().setScore(100).setSegment(
            Segment.newBuilder().setId("id-" + request.getText()).setSource(request.getText())
                .setTarget("EN " + request.getText())))
        .build();
  }

  private boolean pause(StreamObserver<?> response) {
    if (failWith != null) {
      response.onError(failWith.asRuntimeException());
      return false;
    }
    if (sleepMillis > 0) {
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return true;
  }

  private HeluoClient start(String token, long deadlineMillis) throws Exception {
    String name = InProcessServerBuilder.generateName();
    ServerInterceptor capture = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                         ServerCallHandler<Q, R> next) {
        authorization.set(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
        return next.startCall(call, headers);
      }
    };
    server = InProcessServerBuilder.forName(name)
                 .addService(ServerInterceptors.intercept(glossary, capture))
                 .addService(ServerInterceptors.intercept(tm, capture))
                 .build()
                 .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    HeluoConfig config = new HeluoConfig("in-process", token, "", deadlineMillis, 75, 5);
    client = new HeluoClient(config, channel);
    return client;
  }

  @After
  public void stop() {
    if (client != null) client.close();
    if (server != null) server.shutdownNow();
  }

  @Test
  public void recognizeAsksForTheSourceLanguageAndSendsTheToken() throws Exception {
    start("s3cret", 2000);
    RecognizeTermsResponse r = client.recognize("六稳", true);
    assertEquals(Language.LANGUAGE_ZH, r.getHits(0).getLanguage());
    assertEquals("Bearer s3cret", authorization.get());
    assertEquals(Language.LANGUAGE_EN, client.recognize("six", false).getHits(0).getLanguage());
  }

  @Test
  public void recognizeAsksForCompactHitsAndFetchesEachEntryOnce() throws Exception {
    start("", 2000);
    RecognizeTermsResponse r = client.recognize("六稳", true);
    assertTrue(recognitions.get(0).getCompact());
    assertEquals(ENTRY, r.getHits(0).getEntry());  // Filled in from GetTerm: the panes see whole entries.
    assertEquals("六稳", r.getHits(0).getSurface());
    client.recognize("六稳工作", true);
    assertEquals(ENTRY, client.recognize("六稳", true).getHits(0).getEntry());
    assertEquals(Collections.singletonList("t"), entriesFetched);  // The cache answered the later segments.
  }

  @Test
  public void aHitWhoseEntryWasDeletedIsLeftOut() throws Exception {
    start("", 2000);
    entryDeleted = true;
    assertEquals(0, client.recognize("六稳", true).getHitsCount());
  }

  @Test
  public void noTokenMeansNoAuthorizationHeader() throws Exception {
    start("", 2000);
    client.recognize("六稳", true);
    assertEquals(null, authorization.get());
  }

  @Test
  public void lookupSendsContextAndTheMinimumScore() throws Exception {
    start("", 2000);
    List<Match> m = client.lookup(new Query("二", "一", null), 1);
    assertEquals("EN 二", m.get(0).getSegment().getTarget());
    LookupRequest sent = lookups.get(0);
    assertEquals("一", sent.getPreviousText());
    assertFalse("absent context is not sent as empty text", sent.hasNextText());
    assertEquals(75, sent.getMinScore());
    assertEquals(1, sent.getMaxResults());
  }

  @Test
  public void lookupAllAnswersEverySegmentInOrder() throws Exception {
    start("", 2000);
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < 3000; i++) sources.add((i % 7 == 0 ? "无关" : "句") + i);
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) queries.add(Mappers.queryAt(sources, i));
    List<List<Match>> results = client.lookupAll(queries, 5);
    assertEquals(3000, results.size());
    for (int i = 0; i < results.size(); i++) {
      if (i % 7 == 0) {
        assertTrue(results.get(i).isEmpty());
      } else {
        assertEquals("EN " + sources.get(i), results.get(i).get(0).getSegment().getTarget());
      }
    }
    assertEquals(3000, lookups.size());
    assertEquals(sources.get(41), lookups.get(42).getPreviousText());
  }

  @Test
  public void lookupAllOfNothingSendsNothing() throws Exception {
    start("", 2000);
    assertTrue(client.lookupAll(Collections.emptyList(), 5).isEmpty());
    assertTrue(lookups.isEmpty());
  }

  @Test
  public void aStreamThatFailsHalfWayIsOneClearError() throws Exception {
    start("", 2000);
    failStreamAfter = 10;
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < 100; i++) queries.add(new Query("句" + i, null, null));
    try {
      client.lookupAll(queries, 5);
      fail("expected a failure");
    } catch (HeluoException e) {
      assertEquals("RESOURCE_EXHAUSTED", e.code());
      assertTrue(e.getMessage(), e.getMessage().contains("LookupStream failed: RESOURCE_EXHAUSTED (too many streams)"));
    }
  }

  @Test
  public void serverErrorsBecomeOneLineWithTheCode() throws Exception {
    start("wrong", 2000);
    failWith = Status.UNAUTHENTICATED.withDescription("unknown token");
    try {
      client.recognize("六稳", true);
      fail("expected a failure");
    } catch (HeluoException e) {
      assertEquals("UNAUTHENTICATED", e.code());
      assertEquals("heluo at in-process (with a token): RecognizeTerms failed: UNAUTHENTICATED (unknown token)",
                   e.getMessage());
      assertFalse(e.getMessage().contains("wrong"));
    }
  }

  @Test
  public void aSlowServerMeetsTheDeadline() throws Exception {
    start("", 300);
    sleepMillis = 3000;
    long t0 = System.nanoTime();
    try {
      client.lookup(new Query("慢", null, null), 1);
      fail("expected a deadline");
    } catch (HeluoException e) {
      assertEquals("DEADLINE_EXCEEDED", e.code());
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertTrue("returned after " + millis + " ms", millis < 2000);
  }

  @Test
  public void anUnreachableServerIsUnavailableQuickly() throws Exception {
    // A real Netty channel to a port nobody listens on.
    java.net.ServerSocket s = new java.net.ServerSocket(0);
    int port = s.getLocalPort();
    s.close();
    HeluoClient c = HeluoClient.connect(HeluoConfig.resolve(new Properties(), new HashMap<>(),
                                                             k -> k.equals("heluo_server") ? "127.0.0.1:" + port : null));
    long t0 = System.nanoTime();
    try {
      c.recognize("六稳", true);
      fail("expected UNAVAILABLE");
    } catch (HeluoException e) {
      assertEquals("UNAVAILABLE", e.code());
      assertTrue(e.getMessage(), e.getMessage().startsWith("heluo at 127.0.0.1:" + port + ": RecognizeTerms failed: UNAVAILABLE"));
      assertTrue("the reason is given: " + e.getMessage(), e.getMessage().contains("Connection refused"));
    } finally {
      c.close();
    }
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 2500);
  }
}
