// Run by OmegaT 3.6 (console-translate --script) with the heluo plugin installed. On LOAD it does, for every
// segment of the project, what OmegaT's panes would do: asks the plugin's glossary provider and its
// machine-translation provider (found through OmegaT's own plugin registry, as the GUI finds them), then has the
// plugin write the project's tm/heluo/ TMX, waits until OmegaT has loaded it, and runs OmegaT's own fuzzy matcher
// (FindMatches) on every segment. Results go, tab-separated, to the file named by -Dheluo.probe.out:
//   G <n> <source term> <target term> <comment>     one per glossary entry
//   M <n> <text or "-">                               the MT pane
//   R <units written, or -1>                          the TMX refresh
//   F <n> <score> <translation>                       OmegaT's best fuzzy match ("-1 -" when none)
//   S <n> <source>                                    the segment itself
// Any exception ends OmegaT with exit code 3 (OmegaT itself only logs script errors and exits 0).
import org.omegat.core.Core
import org.omegat.core.events.IStopped
import org.omegat.core.statistics.FindMatches
import org.omegat.filters2.master.PluginUtils

if (eventType.toString() != "LOAD") return
def out = new File(System.getProperty("heluo.probe.out"))
def lines = []
def clean = { s -> s == null ? "-" : s.replaceAll("[\t\n]", " ") }
try {
  def props = project.getProjectProperties()
  def sLang = props.getSourceLanguage()
  def tLang = props.getTargetLanguage()
  def glossaryClass = PluginUtils.getGlossaryClasses().find { it.name == "org.heluo.omegat.HeluoGlossary" }
  def mtClass = PluginUtils.getMachineTranslationClasses().find { it.name == "org.heluo.omegat.HeluoMachineTranslation" }
  if (glossaryClass == null || mtClass == null) throw new IllegalStateException("plugin classes not registered: " +
      PluginUtils.getGlossaryClasses() + " " + PluginUtils.getMachineTranslationClasses())
  def glossary = glossaryClass.newInstance()
  def mt = mtClass.newInstance()
  def entries = project.getAllEntries()
  entries.each { e ->
    def n = e.entryNum()
    lines << "S\t${n}\t${clean(e.getSrcText())}"
    glossary.search(sLang, tLang, e.getSrcText()).each { g ->
      lines << "G\t${n}\t${clean(g.getSrcText())}\t${clean(g.getLocText())}\t${clean(g.getCommentText())}"
    }
    lines << "M\t${n}\t${clean(mt.getTranslation(sLang, tLang, e.getSrcText()))}"
  }
  def plugin = glossaryClass.classLoader.loadClass("org.heluo.omegat.HeluoPlugin")
  int units = plugin.getMethod("refreshMatches", org.omegat.core.data.IProject).invoke(null, project)
  lines << "R\t${units}"
  if (units > 0) {
    // OmegaT polls tm/ every second; wait until it has loaded the file.
    def deadline = System.currentTimeMillis() + 20000
    while (!project.getTransMemories().keySet().any { it.contains("heluo") } && System.currentTimeMillis() < deadline) {
      Thread.sleep(200)
    }
    lines << "T\t${project.getTransMemories().keySet().findAll { it.contains('heluo') }.join(' ')}"
    def matcher = new FindMatches(project.getSourceTokenizer(), 5, true, false)
    entries.each { e ->
      def found = matcher.search(project, e.getSrcText(), true, true, { false } as IStopped)
      def best = found.isEmpty() ? null : found.get(0)
      lines << "F\t${e.entryNum()}\t${best == null ? -1 : best.scores[0].score}\t${clean(best?.translation)}"
    }
  }
  out.text = lines.join("\n") + "\n"
} catch (Throwable t) {
  out.text = lines.join("\n") + "\nERROR\t" + t + "\n"
  t.printStackTrace()
  System.exit(3)
}
