package org.heluo.omegat.client;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.heluo.v1.Match;
import org.heluo.v1.Segment;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class MatchesTmxTest {
  @Rule public TemporaryFolder folder = new TemporaryFolder();

  static Match match(String id, String source, String target, int score) {
    return Match.newBuilder()
        .setSegment(Segment.newBuilder().setId(id).setCollection("yanshi-2021").setSource(source).setTarget(target)
                        .setCreatedBy("heluo-bundle").setCreatedAt("2026-11-25T06:20:00Z"))
        .setScore(score)
        .build();
  }

  static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  @Test
  public void writesEachStoredPairOnceWithItsBestScore() throws Exception {
    Path file = folder.getRoot().toPath().resolve("tm/heluo/heluo-matches.tmx");
    List<List<Match>> matches = Arrays.asList(
        Arrays.asList(match("s1", "一、<过去>五年", "I. The past & five years", 100), match("s2", "二", "Two", 75)),
        Collections.emptyList(),
        Collections.singletonList(match("s2", "二", "Two", 90)));
    assertEquals(2, MatchesTmx.write(file, matches, "zh-CN", "en-US"));
    Document d = parse(file);
    Element header = (Element) d.getElementsByTagName("header").item(0);
    assertEquals("zh-CN", header.getAttribute("srclang"));
    NodeList tus = d.getElementsByTagName("tu");
    assertEquals(2, tus.getLength());
    Element first = (Element) tus.item(0);
    assertEquals("s1", first.getAttribute("tuid"));
    assertEquals("heluo-bundle", first.getAttribute("creationid"));
    assertEquals("20261125T062000Z", first.getAttribute("changedate"));
    NodeList segs = first.getElementsByTagName("seg");
    assertEquals("一、<过去>五年", segs.item(0).getTextContent());
    assertEquals("I. The past & five years", segs.item(1).getTextContent());
    Element tuv = (Element) first.getElementsByTagName("tuv").item(1);
    assertEquals("en-US", tuv.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"));
    Element second = (Element) tus.item(1);
    assertTrue(second.getTextContent().contains("90"));
    assertFalse(second.getTextContent().contains("75"));
    try (java.util.stream.Stream<Path> s = Files.list(file.getParent())) {
      assertEquals("no temporary file is left", 1, s.count());
    }
  }

  @Test
  public void replacesAnEarlierFileWhole() throws Exception {
    Path file = folder.getRoot().toPath().resolve("heluo-matches.tmx");
    MatchesTmx.write(file, Collections.singletonList(Arrays.asList(match("a", "甲", "A", 100), match("b", "乙", "B", 80))),
                     "zh-CN", "en-US");
    MatchesTmx.write(file, Collections.singletonList(Collections.singletonList(match("c", "丙", "C", 100))), "zh-CN", "en-US");
    NodeList tus = parse(file).getElementsByTagName("tu");
    assertEquals(1, tus.getLength());
    assertEquals("c", ((Element) tus.item(0)).getAttribute("tuid"));
  }

  @Test
  public void aFailedWriteLeavesTheEarlierFile() throws Exception {
    Path dir = folder.getRoot().toPath();
    Path file = dir.resolve("heluo-matches.tmx");
    MatchesTmx.write(file, Collections.singletonList(Collections.singletonList(match("a", "甲", "A", 100))), "zh-CN", "en-US");
    byte[] before = Files.readAllBytes(file);
    // A directory where the temporary file should go makes the write fail.
    Files.createDirectory(dir.resolve(".heluo-matches.tmx.tmp"));
    Files.write(dir.resolve(".heluo-matches.tmx.tmp/x"), new byte[] {1});
    try {
      MatchesTmx.write(file, Collections.singletonList(Collections.singletonList(match("b", "乙", "B", 100))), "zh-CN", "en-US");
      throw new AssertionError("the write should have failed");
    } catch (java.io.IOException expected) {
      // Expected.
    }
    assertTrue(Arrays.equals(before, Files.readAllBytes(file)));
  }

  @Test
  public void tmxDates() {
    assertEquals("20261125T062000Z", MatchesTmx.tmxDate("2026-11-25T06:20:00Z"));
    assertEquals("", MatchesTmx.tmxDate("yesterday"));
  }
}
