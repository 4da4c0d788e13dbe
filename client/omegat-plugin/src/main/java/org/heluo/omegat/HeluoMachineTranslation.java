package org.heluo.omegat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heluo.omegat.client.HeluoClient;
import org.heluo.omegat.client.HeluoException;
import org.heluo.omegat.client.Mappers;
import org.heluo.omegat.client.Query;
import org.heluo.v1.Match;
import org.omegat.core.Core;
import org.omegat.core.data.IProject;
import org.omegat.core.data.SourceTextEntry;
import org.omegat.gui.editor.IEditor;
import org.omegat.gui.exttrans.IMachineTranslation;
import org.omegat.util.Language;

/**
 * OmegaT's machine-translation pane: the best heluo TM match for the segment (asked with the segments before and
 * after it, so a 101% in-context match wins), its target with the segment's figures put in (converted: 180亿元 →
 * "18 billion yuan") when the match differs only in figures, or the stored target behind a "[heluo: figures not
 * carried over: 178 → 180]" warning when some could not be. Nothing is shown below the configured minimum score.
 */
public final class HeluoMachineTranslation implements IMachineTranslation {
  private static final int CACHE_SIZE = 512;
  private final Map<String, String> cache = new LinkedHashMap<String, String>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  @Override
  public String getName() {
    return "heluo TM";
  }

  @Override
  public boolean isEnabled() {
    return true;
  }

  @Override
  public String getTranslation(Language sLang, Language tLang, String text) {
    if (text == null || text.trim().isEmpty() || !HeluoPlugin.isChinese(sLang)) return null;
    if (HeluoPlugin.outage().skip()) return null;
    Query query = contextOf(text);
    try {
      HeluoClient client = HeluoPlugin.client();
      List<Match> matches = client.lookup(query, 1);
      HeluoPlugin.outage().succeeded(client.config());
      String result = matches.isEmpty() ? null : Mappers.machineTranslation(matches.get(0));
      synchronized (cache) {
        cache.put(key(query), result);
      }
      return result;
    } catch (HeluoException e) {
      HeluoPlugin.outage().failed(e);
      return null;
    }
  }

  @Override
  public String getCachedTranslation(Language sLang, Language tLang, String text) {
    if (text == null) return null;
    synchronized (cache) {
      return cache.get(key(contextOf(text)));
    }
  }

  private static String key(Query q) {
    return q.previous + "\u0000" + q.text + "\u0000" + q.next;
  }

  /** The segment with its neighbours: the editor's current entry if it is this text, else its first occurrence. */
  static Query contextOf(String text) {
    IProject project = Core.getProject();
    if (project == null || !project.isProjectLoaded()) return new Query(text, null, null);
    List<String> sources = HeluoPlugin.sources(project);
    int index = -1;
    IEditor editor = Core.getEditor();
    if (editor != null) {
      SourceTextEntry current = editor.getCurrentEntry();
      if (current != null && text.equals(current.getSrcText())) index = current.entryNum() - 1;
    }
    if (index < 0 || index >= sources.size()) index = sources.indexOf(text);
    return index < 0 ? new Query(text, null, null) : Mappers.queryAt(sources, index);
  }
}
