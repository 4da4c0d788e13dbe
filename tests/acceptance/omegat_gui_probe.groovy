// OmegaT 3.6 GUI (under Xvfb) with the heluo plugin: installed as a project_changed event script. On LOAD it
// opens the segment numbered -Dheluo.gui.entry, waits until heluo's glossary entries (-Dheluo.gui.expect), heluo's
// MT text and the fuzzy matches from tm/heluo/ (written by the plugin's project-LOAD listener) are in OmegaT's
// panes, clicks Tools → Refresh heluo matches and checks that the TMX is rewritten, takes a screenshot
// (-Dheluo.gui.screenshot), writes the panes' text to -Dheluo.probe.out and exits OmegaT (exit code 3 on failure
// or after 60 s without them).
import java.awt.Rectangle
import java.awt.Robot
import java.awt.Toolkit
import javax.imageio.ImageIO
import java.awt.Window
import javax.swing.JTabbedPane
import javax.swing.SwingUtilities
import org.omegat.core.Core

if (eventType.toString() != "LOAD") return
Thread.start {
  def out = new File(System.getProperty("heluo.probe.out"))
  try {
    int entry = Integer.getInteger("heluo.gui.entry", 1)
    String expect = System.getProperty("heluo.gui.expect", "heluo")  // Text the glossary pane must show.
    def panes = [:]
    def deadline = System.currentTimeMillis() + 60000
    boolean jumped = false
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(1000)
      SwingUtilities.invokeAndWait {
        // Go to the segment once the TMX from tm/heluo/ is loaded, so the fuzzy pane shows its matches.
        if (!jumped && Core.getProject().getTransMemories().keySet().any { it.contains("heluo") }) {
          // Fill the screen, close the Project Files window, bring the panes' tabs to the front.
          def frame = Core.getMainWindow().getApplicationFrame()
          frame.setBounds(0, 0, 1400, 900)
          Window.getWindows().findAll { it != frame && it.isVisible() }.each { it.setVisible(false) }
          [Core.getGlossary(), Core.getMachineTranslatePane(), Core.getMatcher()].each { pane ->
            def tabs = SwingUtilities.getAncestorOfClass(JTabbedPane, pane)
            if (tabs != null) {
              def child = pane
              while (child.parent != tabs) child = child.parent
              tabs.setSelectedComponent(child)
            }
          }
          // The Machine Translation pane starts minimised to a tab at the bottom (vldocking auto-hide): dock it.
          def findDesktop
          findDesktop = { c ->
            if (c.getClass().name == "com.vlsolutions.swing.docking.DockingDesktop") return c
            if (c instanceof java.awt.Container) for (x in c.components) { def r = findDesktop(x); if (r != null) return r }
            return null
          }
          def desktop = findDesktop(frame.contentPane)
          def dockable = Core.getMachineTranslatePane()
          while (dockable != null && !dockable.getClass().interfaces*.name.contains("com.vlsolutions.swing.docking.Dockable")
                 && !(dockable.getClass().superclass?.interfaces*.name?.contains("com.vlsolutions.swing.docking.Dockable"))) {
            dockable = dockable.parent
          }
          if (desktop != null && dockable != null) desktop.setAutoHide(dockable, false)
          Core.getEditor().gotoEntry(entry)
          jumped = true
        }
        panes = [glossary: Core.getGlossary().getText(), mt: Core.getMachineTranslatePane().getText(),
                 matches: Core.getMatcher().getText()]
      }
      if (jumped && panes.glossary.contains(expect) && panes.mt.contains("heluo") && panes.matches.contains("100%")) break
    }
    // Tools → Refresh heluo matches rewrites the TMX.
    def tmx = new File(Core.getProject().getProjectProperties().getTMRoot(), "heluo/heluo-matches.tmx")
    def before = tmx.lastModified()
    def item = null
    SwingUtilities.invokeAndWait {
      item = Core.getMainWindow().getMainMenu().getToolsMenu().menuComponents.find {
        it instanceof javax.swing.JMenuItem && it.text == "Refresh heluo matches"
      }
    }
    boolean refreshed = false
    if (item != null) {
      Thread.sleep(1100)  // File times have one-second resolution on some file systems.
      SwingUtilities.invokeAndWait { item.doClick() }
      for (int i = 0; i < 50 && !refreshed; i++) {
        Thread.sleep(200)
        refreshed = tmx.lastModified() > before
      }
    }
    panes.menu = item == null ? "no Tools menu item" : refreshed ? "Tools menu item rewrote the TMX" : "Tools menu item did nothing"
    Thread.sleep(1500)  // Let the panes paint.
    def image = new Robot().createScreenCapture(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()))
    ImageIO.write(image, "png", new File(System.getProperty("heluo.gui.screenshot")))
    out.text = panes.collect { k, v -> "== ${k}\n${v}" }.join("\n") + "\n"
    System.exit(jumped && panes.glossary.contains(expect) && panes.mt.contains("heluo") && refreshed ? 0 : 3)
  } catch (Throwable t) {
    out.text = "ERROR ${t}\n"
    t.printStackTrace()
    System.exit(3)
  }
}
