// Run by OmegaT 3.6 (console-translate --script) on project events. On LOAD it reads every glossary file of
// the project with OmegaT's own readers and writes "<file> <entries>" lines to the file named by the
// system property heluo.report; a reader exception is written as "<file> ERROR <message>".
import org.omegat.core.Core
import org.omegat.gui.glossary.GlossaryReaderTBX
import org.omegat.gui.glossary.GlossaryReaderTSV

if (eventType.toString() != "LOAD") return
def report = new File(System.getProperty("heluo.report"))
def lines = []
new File(Core.getProject().getProjectProperties().getGlossaryRoot()).eachFile { f ->
  try {
    def entries = f.name.endsWith(".tbx") ? GlossaryReaderTBX.read(f, false) : GlossaryReaderTSV.read(f, false)
    lines << "${f.name} ${entries.size()}"
  } catch (Throwable t) {
    lines << "${f.name} ERROR ${t}"
  }
}
report.text = lines.join("\n") + "\n"
