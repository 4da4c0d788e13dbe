package org.heluo.omegat.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.heluo.v1.Match;
import org.heluo.v1.Segment;

/**
 * Writes the TM matches heluo found for a project as a TMX 1.4 file that OmegaT loads as an ordinary translation
 * memory. Each stored pair is written once (the best score it reached is kept as a property). The file is written
 * beside its final name and renamed over it, so OmegaT's 1-second poll never reads half a file.
 */
public final class MatchesTmx {
  private MatchesTmx() {}

  /** Writes the distinct segments of {@code matches} to {@code file}; returns how many units were written. */
  public static int write(Path file, Collection<List<Match>> matches, String sourceLang, String targetLang)
      throws IOException {
    Map<String, Match> best = new LinkedHashMap<>();
    for (List<Match> perSegment : matches) {
      for (Match m : perSegment) {
        Match seen = best.get(m.getSegment().getId());
        if (seen == null || m.getScore() > seen.getScore()) best.put(m.getSegment().getId(), m);
      }
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("tmx");
        w.writeAttribute("version", "1.4");
        w.writeCharacters("\n");
        w.writeEmptyElement("header");
        w.writeAttribute("creationtool", "heluo-omegat-plugin");
        w.writeAttribute("creationtoolversion", "1");
        w.writeAttribute("segtype", "sentence");
        w.writeAttribute("o-tmf", "heluo");
        w.writeAttribute("adminlang", "en-US");
        w.writeAttribute("srclang", sourceLang);
        w.writeAttribute("datatype", "plaintext");
        w.writeCharacters("\n");
        w.writeStartElement("body");
        w.writeCharacters("\n");
        for (Match m : best.values()) {
          Segment s = m.getSegment();
          w.writeStartElement("tu");
          w.writeAttribute("tuid", s.getId());
          if (!s.getCreatedBy().isEmpty()) w.writeAttribute("creationid", s.getCreatedBy());
          if (!s.getChangedBy().isEmpty()) w.writeAttribute("changeid", s.getChangedBy());
          String changed = tmxDate(s.getChangedAt().isEmpty() ? s.getCreatedAt() : s.getChangedAt());
          if (!changed.isEmpty()) w.writeAttribute("changedate", changed);
          prop(w, "heluo-collection", s.getCollection());
          prop(w, "heluo-best-score", Integer.toString(m.getScore()));
          tuv(w, sourceLang, s.getSource());
          tuv(w, targetLang, s.getTarget());
          w.writeEndElement();
          w.writeCharacters("\n");
        }
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
        w.close();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (XMLStreamException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return best.size();
  }

  private static void prop(XMLStreamWriter w, String type, String value) throws XMLStreamException {
    if (value.isEmpty()) return;
    w.writeStartElement("prop");
    w.writeAttribute("type", type);
    w.writeCharacters(value);
    w.writeEndElement();
  }

  private static void tuv(XMLStreamWriter w, String lang, String text) throws XMLStreamException {
    w.writeStartElement("tuv");
    w.writeAttribute("xml:lang", lang);
    w.writeStartElement("seg");
    w.writeCharacters(text);
    w.writeEndElement();
    w.writeEndElement();
  }

  /** "2026-11-25T06:20:00Z" → "20261125T062000Z" (TMX's date form); anything else → "". */
  static String tmxDate(String iso) {
    if (!iso.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z")) return "";
    return iso.replace("-", "").replace(":", "");
  }
}
