package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.heluo.v1.Match;
import org.heluo.v1.NumberSubstitution;
import org.heluo.v1.RecognizeTermsResponse;
import org.heluo.v1.RenderingSource;
import org.heluo.v1.RenderingStatus;
import org.heluo.v1.Segment;
import org.heluo.v1.TermEntry;
import org.heluo.v1.TermHit;
import org.junit.Test;

public class MappersTest {
  static TermEntry entry(String id, String zh, String en, boolean established) {
    TermEntry.Builder b = TermEntry.newBuilder().setId(id).setZh(zh).setEn(en);
    if (established) {
      b.setRenderingStatus(RenderingStatus.RENDERING_STATUS_ESTABLISHED)
          .setSource(RenderingSource.newBuilder().setOutlet("Xinhua").setTitle("Keywords").setDate("2021-03-05"));
    } else {
      b.setRenderingStatus(RenderingStatus.RENDERING_STATUS_PROJECT);
    }
    return b.build();
  }

  static TermHit hit(TermEntry e, String surface, boolean folded) {
    return TermHit.newBuilder().setEntry(e).setSurface(surface).setMatchedForm(e.getZh()).setFolded(folded).build();
  }

  @Test
  public void chineseSourceShowsTheSurfaceAndTheEnglishRendering() {
    TermEntry a = entry("six-stabilities", "六稳", "stability on six fronts", true);
    TermEntry b = entry("three-mindsets", "三种心态", "three mindsets", false);
    RecognizeTermsResponse r = RecognizeTermsResponse.newBuilder()
                                   .addHits(hit(a, "六穩", true))
                                   .addHits(hit(b, "三种心态", false))
                                   .addHits(hit(a, "六稳", false))  // Same entry again: shown once.
                                   .build();
    List<Mappers.TermView> views = Mappers.terms(r, true);
    assertEquals(2, views.size());
    assertEquals("六穩", views.get(0).source);
    assertEquals("stability on six fronts", views.get(0).target);
    assertTrue(views.get(0).comment, views.get(0).comment.startsWith("established rendering (Xinhua, \u201cKeywords\u201d, 2021-03-05)"));
    assertTrue(views.get(0).comment, views.get(0).comment.contains("matched as 六稳"));
    assertTrue(views.get(1).comment, views.get(1).comment.startsWith("heluo's own rendering"));
    assertFalse(views.get(1).comment.contains("matched as"));
    assertTrue(views.get(1).comment.endsWith("[heluo three-mindsets]"));
  }

  @Test
  public void englishSourceShowsTheChineseHeadword() {
    TermEntry a = entry("six-stabilities", "六稳", "stability on six fronts", true);
    RecognizeTermsResponse r = RecognizeTermsResponse.newBuilder()
                                   .addHits(TermHit.newBuilder().setEntry(a).setSurface("Stability on Six Fronts"))
                                   .build();
    List<Mappers.TermView> views = Mappers.terms(r, false);
    assertEquals("Stability on Six Fronts", views.get(0).source);
    assertEquals("六稳", views.get(0).target);
  }

  @Test
  public void deprecatedAndForbiddenRenderingsAreMarkedAndNeverTheTarget() {
    TermEntry e = entry("liuwen", "六稳", "stability on six fronts", true).toBuilder()
                      .addEnVariants("stability in six fronts")
                      .addEnDeprecated("six stabilities")
                      .addEnForbidden("six steadies")
                      .addEnForbidden("six stables")
                      .build();
    List<Mappers.TermView> views = Mappers.terms(RecognizeTermsResponse.newBuilder().addHits(hit(e, "六稳", false)).build(), true);
    assertEquals(1, views.size());
    assertEquals("stability on six fronts", views.get(0).target);
    String c = views.get(0).comment;
    assertTrue(c, c.contains("; also published: stability in six fronts; deprecated: six stabilities (do not use)"));
    assertTrue(c, c.contains("; forbidden: six steadies / six stables (do not use)"));
    assertFalse(c, c.contains("do not translate"));
    TermEntry plain = entry("liuwen", "六稳", "stability on six fronts", true);
    String p = Mappers.comment(hit(plain, "六稳", false));
    assertFalse(p, p.contains("deprecated"));
    assertFalse(p, p.contains("forbidden"));
    TermEntry brand = entry("huawei", "华为", "Huawei", false).toBuilder().setDoNotTranslate(true).build();
    assertTrue(Mappers.comment(hit(brand, "华为", false)).contains("; do not translate: keep 华为"));
  }

  @Test
  public void longDefinitionsAreCutAtAWord() {
    StringBuilder d = new StringBuilder();
    while (d.length() < 400) d.append("word ");
    TermEntry e = entry("x", "甲", "a", false).toBuilder().setDefinitionEn(d.toString()).build();
    String c = Mappers.comment(hit(e, "甲", false));
    assertTrue(c, c.contains("word\u2026 [heluo x]"));
    assertTrue(c.length() < Mappers.MAX_DEFINITION + 80);
  }

  @Test
  public void insertableUsesTheSubstitutedTargetOnlyForPlaceables() {
    Segment s = Segment.newBuilder().setSource("完成227个项目").setTarget("227 projects were completed").build();
    Match plain = Match.newBuilder().setSegment(s).setScore(80).build();
    assertEquals("227 projects were completed", Mappers.insertable(plain));
    Match placeable = plain.toBuilder().setPlaceable(true).setSubstitutedTarget("230 projects were completed").build();
    assertEquals("230 projects were completed", Mappers.insertable(placeable));
    Match emptySubstitution = plain.toBuilder().setPlaceable(true).build();
    assertEquals("227 projects were completed", Mappers.insertable(emptySubstitution));
  }

  @Test
  public void machineTranslationWarnsWhenFiguresWereNotCarriedOver() {
    Segment s = Segment.newBuilder().setSource("完成投资178亿元").setTarget("Investment reached 17.8 billion yuan").build();
    Match converted = Match.newBuilder().setSegment(s).setScore(90).setPlaceable(true)
        .setSubstitutedTarget("Investment reached 18 billion yuan")
        .addSubstitutions(NumberSubstitution.newBuilder().setStored("178").setQuery("180").setApplied(true)
            .setStoredRendering("17.8 billion").setQueryRendering("18 billion"))
        .build();
    assertEquals("Investment reached 18 billion yuan", Mappers.machineTranslation(converted));
    assertNull(Mappers.notCarriedOver(converted));
    Match stale = Match.newBuilder().setSegment(s).setScore(90)
        .addSubstitutions(NumberSubstitution.newBuilder().setStored("178").setQuery("180").setReason("no figure for it"))
        .build();
    assertEquals("figures not carried over: 178 → 180", Mappers.notCarriedOver(stale));
    assertEquals("[heluo: figures not carried over: 178 → 180] Investment reached 17.8 billion yuan",
                 Mappers.machineTranslation(stale));
  }

  @Test
  public void queryAtGivesTheNeighboursAndNullAtTheEnds() {
    List<String> sources = Arrays.asList("一", "二", "三");
    Query first = Mappers.queryAt(sources, 0);
    assertNull(first.previous);
    assertEquals("二", first.next);
    Query middle = Mappers.queryAt(sources, 1);
    assertEquals("一", middle.previous);
    assertEquals("三", middle.next);
    assertNull(Mappers.queryAt(sources, 2).next);
  }
}
