package org.heluo.omegat.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heluo.v1.Match;
import org.heluo.v1.NumberSubstitution;
import org.heluo.v1.RecognizeTermsResponse;
import org.heluo.v1.RenderingSource;
import org.heluo.v1.RenderingStatus;
import org.heluo.v1.TermEntry;
import org.heluo.v1.TermHit;

/** Turns heluo's answers into what the OmegaT panes show. No OmegaT classes here. */
public final class Mappers {
  private Mappers() {}

  /** One line of OmegaT's glossary pane: the term as it is in the segment, its rendering and a comment. */
  public static final class TermView {
    public final String source;
    public final String target;
    public final String comment;

    TermView(String source, String target, String comment) {
      this.source = source;
      this.target = target;
      this.comment = comment;
    }
  }

  /** Longest definition shown in the comment; the whole one is in heluo (`heluo term ID`). */
  static final int MAX_DEFINITION = 200;

  /**
   * One view per entry found in the segment, in text order (an entry used twice is shown once). The comment says
   * whether the rendering is established (with its source) or the project's own, how the term was matched when
   * folding was needed, the renderings marked deprecated or forbidden (so a translator never picks one), and the
   * start of the English definition.
   */
  public static List<TermView> terms(RecognizeTermsResponse response, boolean chineseSource) {
    Map<String, TermView> byEntry = new LinkedHashMap<>();
    for (TermHit hit : response.getHitsList()) {
      TermEntry e = hit.getEntry();
      if (byEntry.containsKey(e.getId())) continue;
      String target = chineseSource ? e.getEn() : e.getZh();
      if (target.isEmpty()) continue;
      byEntry.put(e.getId(), new TermView(hit.getSurface(), target, comment(hit)));
    }
    return new ArrayList<>(byEntry.values());
  }

  static String comment(TermHit hit) {
    TermEntry e = hit.getEntry();
    StringBuilder c = new StringBuilder();
    if (e.getRenderingStatus() == RenderingStatus.RENDERING_STATUS_ESTABLISHED) {
      c.append("established rendering");
      RenderingSource s = e.getSource();
      String where = join(", ", s.getOutlet(), s.getTitle().isEmpty() ? "" : "\u201c" + s.getTitle() + "\u201d",
                          s.getDate());
      if (!where.isEmpty()) c.append(" (").append(where).append(')');
    } else {
      c.append("heluo's own rendering");
    }
    if (hit.getFolded()) c.append("; matched as ").append(hit.getMatchedForm());
    if (!e.getEnVariantsList().isEmpty()) c.append("; also published: ").append(String.join(" / ", e.getEnVariantsList()));
    // Renderings a translator must not pick: named as such, never offered as the pane's target.
    if (!e.getEnDeprecatedList().isEmpty()) {
      c.append("; deprecated: ").append(String.join(" / ", e.getEnDeprecatedList())).append(" (do not use)");
    }
    if (!e.getEnForbiddenList().isEmpty()) {
      c.append("; forbidden: ").append(String.join(" / ", e.getEnForbiddenList())).append(" (do not use)");
    }
    if (e.getDoNotTranslate()) c.append("; do not translate: keep ").append(e.getZh());
    if (e.getCaseSensitive()) c.append("; case-sensitive");
    String definition = e.getDefinitionEn();
    if (!definition.isEmpty()) {
      if (definition.length() > MAX_DEFINITION) {
        int cut = definition.lastIndexOf(' ', MAX_DEFINITION);
        definition = definition.substring(0, cut > MAX_DEFINITION / 2 ? cut : MAX_DEFINITION) + "\u2026";
      }
      c.append(". ").append(definition);
    }
    c.append(" [heluo ").append(e.getId()).append(']');
    return c.toString();
  }

  private static String join(String separator, String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (p == null || p.isEmpty()) continue;
      if (b.length() > 0) b.append(separator);
      b.append(p);
    }
    return b.toString();
  }

  /** The text a translator can insert from a TM match: the target with the query's numbers put in if it can. */
  public static String insertable(Match m) {
    return m.getPlaceable() && !m.getSubstitutedTarget().isEmpty() ? m.getSubstitutedTarget() : m.getSegment().getTarget();
  }

  /**
   * "figures not carried over: 178 → 180, 35 → 36" when the match differs only in figures and heluo could not put
   * some of them into the target (the server then sends no substituted target); null otherwise.
   */
  public static String notCarriedOver(Match m) {
    StringBuilder b = new StringBuilder();
    for (NumberSubstitution s : m.getSubstitutionsList()) {
      if (s.getApplied()) continue;
      b.append(b.length() == 0 ? "figures not carried over: " : ", ").append(s.getStored()).append(" → ").append(s.getQuery());
    }
    return b.length() == 0 ? null : b.toString();
  }

  /**
   * What the machine-translation pane shows for a match: the insertable text, prefixed with a warning in brackets
   * when figures could not be carried over, so the stored target is never mistaken for one with the new figures
   * (and a warning inserted by accident is impossible to miss).
   */
  public static String machineTranslation(Match m) {
    String warning = notCarriedOver(m);
    return warning == null ? insertable(m) : "[heluo: " + warning + "] " + insertable(m);
  }

  /**
   * The previous and next source texts of entry {@code index} in {@code sources} (null at the ends), the context
   * heluo needs to give a 101% in-context match.
   */
  public static Query queryAt(List<String> sources, int index) {
    return new Query(sources.get(index), index > 0 ? sources.get(index - 1) : null,
                     index + 1 < sources.size() ? sources.get(index + 1) : null);
  }
}
