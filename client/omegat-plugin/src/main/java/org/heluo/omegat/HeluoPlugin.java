package org.heluo.omegat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.swing.JMenuItem;
import org.heluo.omegat.client.HeluoClient;
import org.heluo.omegat.client.HeluoConfig;
import org.heluo.omegat.client.HeluoException;
import org.heluo.omegat.client.MatchesTmx;
import org.heluo.omegat.client.Mappers;
import org.heluo.omegat.client.Outage;
import org.heluo.omegat.client.Query;
import org.heluo.v1.Match;
import org.omegat.core.Core;
import org.omegat.core.CoreEvents;
import org.omegat.core.data.IProject;
import org.omegat.core.data.SourceTextEntry;
import org.omegat.core.events.IApplicationEventListener;
import org.omegat.core.events.IProjectEventListener;
import org.omegat.util.Language;
import org.omegat.util.Log;
import org.omegat.util.Preferences;

/**
 * OmegaT's entry point (manifest attribute OmegaT-Plugins): registers the machine-translation provider, refreshes
 * the project's heluo TMX when a project loads (GUI) or from Tools → "Refresh heluo matches", and closes the
 * shared channel when OmegaT exits. The glossary provider is registered by the manifest.
 */
public final class HeluoPlugin {
  /** Where the matches go, under the project's tm/ folder: not auto/ or enforce/, which fill in translations. */
  public static final String TM_FOLDER = "heluo";
  public static final String TM_FILE = "heluo-matches.tmx";
  /** Segments longer than this are not sent (heluo refuses them). */
  static final int MAX_SEGMENT_CODE_POINTS = 5000;

  private static HeluoClient client;
  private static final Outage OUTAGE = new Outage(line -> Log.log(line));
  private static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "heluo-refresh");
    t.setDaemon(true);
    return t;
  });

  private HeluoPlugin() {}

  public static void loadPlugins() {
    Core.registerMachineTranslationClass(HeluoMachineTranslation.class);
    CoreEvents.registerProjectChangeListener(type -> {
      if (type == IProjectEventListener.PROJECT_CHANGE_TYPE.LOAD) refreshInBackground();
    });
    CoreEvents.registerApplicationEventListener(new IApplicationEventListener() {
      @Override
      public void onApplicationStartup() {
        try {
          JMenuItem item = new JMenuItem("Refresh heluo matches");
          item.addActionListener(e -> refreshInBackground());
          Core.getMainWindow().getMainMenu().getToolsMenu().add(item);
        } catch (RuntimeException | LinkageError e) {
          Log.log("heluo: could not add the Tools menu item: " + e);
        }
      }

      @Override
      public void onApplicationShutdown() {}
    });
  }

  public static void unloadPlugins() {
    BACKGROUND.shutdownNow();
    synchronized (HeluoPlugin.class) {
      if (client != null) client.close();
      client = null;
    }
  }

  /** The shared client, created on first use from -Dheluo.*, HELUO_* and omegat.prefs heluo_* settings. */
  static synchronized HeluoClient client() throws HeluoException {
    if (client == null) {
      HeluoConfig config = HeluoConfig.resolve(System.getProperties(), System.getenv(), Preferences::getPreference);
      client = HeluoClient.connect(config);
      Log.log("heluo: using the server at " + config);
    }
    return client;
  }

  static Outage outage() {
    return OUTAGE;
  }

  /** The source texts of the project's segments, in order (a view, not a copy). */
  static List<String> sources(IProject project) {
    final List<SourceTextEntry> entries = project.getAllEntries();
    return new AbstractList<String>() {
      @Override
      public String get(int i) {
        return entries.get(i).getSrcText();
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }

  static boolean isChinese(Language language) {
    return language != null && "ZH".equalsIgnoreCase(language.getLanguageCode());
  }

  private static void refreshInBackground() {
    BACKGROUND.submit(() -> {
      IProject project = Core.getProject();
      if (project == null || !project.isProjectLoaded()) return;
      refreshMatches(project);
    });
  }

  /**
   * Streams every segment of {@code project} through LookupStream and writes the matches to
   * tm/heluo/heluo-matches.tmx, which OmegaT then shows as fuzzy matches with its own scores. Returns the number of
   * translation units written, or -1 when heluo could not be asked (logged once) or the source is not Chinese.
   */
  public static int refreshMatches(IProject project) {
    if (!isChinese(project.getProjectProperties().getSourceLanguage())) {
      Log.log("heluo: TM matches are for Chinese source text; this project's source is "
              + project.getProjectProperties().getSourceLanguage());
      return -1;
    }
    if (OUTAGE.skip()) {
      Log.log("heluo: TM matches not refreshed: the server did not answer a moment ago (see the line above)");
      return -1;
    }
    List<String> sources = sources(project);
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String s = sources.get(i);
      if (s.trim().isEmpty() || s.codePointCount(0, s.length()) > MAX_SEGMENT_CODE_POINTS) continue;
      queries.add(Mappers.queryAt(sources, i));
    }
    try {
      HeluoClient c = client();
      List<List<Match>> matches = c.lookupAll(queries, c.config().maxMatches);
      OUTAGE.succeeded(c.config());
      Path file = Paths.get(project.getProjectProperties().getTMRoot(), TM_FOLDER, TM_FILE);
      int units = MatchesTmx.write(file, matches, project.getProjectProperties().getSourceLanguage().getLanguage(),
                                   project.getProjectProperties().getTargetLanguage().getLanguage());
      Log.log("heluo: wrote " + units + " TM units for " + queries.size() + " segments to " + file);
      return units;
    } catch (HeluoException e) {
      OUTAGE.failed(e);
    } catch (java.io.IOException e) {
      Log.log("heluo: could not write the matches: " + e.getMessage());
    }
    return -1;
  }
}
