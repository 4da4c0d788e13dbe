import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build helper: FatJar OUT.jar MANIFEST IN.jar... writes one jar with the manifest and every class and resource
 * of the inputs (first one wins), dropping signatures and the inputs' manifests, and concatenating
 * META-INF/services files: grpc-java finds its channel, name-resolver and load-balancer providers through them.
 */
public class FatJar {
  public static void main(String[] args) throws IOException {
    Manifest manifest;
    try (InputStream in = Files.newInputStream(Paths.get(args[1]))) {
      manifest = new Manifest(in);
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Map<String, StringBuilder> services = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      try (JarFile jar = new JarFile(args[i])) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
          JarEntry entry = e.nextElement();
          String name = entry.getName();
          if (entry.isDirectory()) continue;
          String upper = name.toUpperCase(java.util.Locale.ROOT);
          if (upper.equals("META-INF/MANIFEST.MF") || upper.startsWith("META-INF/") && (upper.endsWith(".SF")
              || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC"))
              || upper.startsWith("META-INF/VERSIONS/") || name.equals("module-info.class")) {
            continue;
          }
          byte[] data = read(jar.getInputStream(entry));
          if (name.startsWith("META-INF/services/")) {
            String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
            services.computeIfAbsent(name, k -> new StringBuilder()).append(text).append(text.endsWith("\n") ? "" : "\n");
          } else {
            entries.putIfAbsent(name, data);
          }
        }
      }
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(Paths.get(args[0])), manifest)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) put(out, e.getKey(), e.getValue());
      for (Map.Entry<String, StringBuilder> e : services.entrySet()) {
        put(out, e.getKey(), e.getValue().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  private static void put(JarOutputStream out, String name, byte[] data) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(data);
    out.closeEntry();
  }

  private static byte[] read(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    for (int n; (n = in.read(buffer)) > 0;) b.write(buffer, 0, n);
    in.close();
    return b.toByteArray();
  }
}
