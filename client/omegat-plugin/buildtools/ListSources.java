import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Build helper: writes every *.java file under the given directories, one per line, for javac @file. */
public class ListSources {
  public static void main(String[] args) throws IOException {
    List<String> files = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      try (Stream<Path> s = Files.walk(Paths.get(args[i]))) {
        files.addAll(s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted()
                         .collect(Collectors.toList()));
      }
    }
    Files.write(Paths.get(args[0]), files);
  }
}
