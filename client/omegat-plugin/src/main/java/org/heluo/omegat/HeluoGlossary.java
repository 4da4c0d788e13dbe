package org.heluo.omegat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.heluo.omegat.client.HeluoClient;
import org.heluo.omegat.client.HeluoException;
import org.heluo.omegat.client.Mappers;
import org.omegat.core.glossaries.IGlossary;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.util.Language;

/**
 * OmegaT's glossary pane asks this for every segment: heluo's RecognizeTerms finds the glossary terms in it
 * (Traditional and full-width forms too) and each becomes a glossary entry. Registered by the manifest
 * (OmegaT-Plugin: glossary). Never throws: when heluo cannot answer, the pane just has no heluo entries.
 */
public final class HeluoGlossary implements IGlossary {
  @Override
  public List<GlossaryEntry> search(Language sLang, Language tLang, String srcText) {
    if (srcText == null || srcText.trim().isEmpty()) return Collections.emptyList();
    if (HeluoPlugin.outage().skip()) return Collections.emptyList();
    boolean chinese = HeluoPlugin.isChinese(sLang);
    try {
      HeluoClient client = HeluoPlugin.client();
      List<Mappers.TermView> terms = Mappers.terms(client.recognize(srcText, chinese), chinese);
      HeluoPlugin.outage().succeeded(client.config());
      List<GlossaryEntry> entries = new ArrayList<>();
      for (Mappers.TermView t : terms) entries.add(new GlossaryEntry(t.source, t.target, t.comment, false));
      return entries;
    } catch (HeluoException e) {
      HeluoPlugin.outage().failed(e);
      return Collections.emptyList();
    }
  }
}
