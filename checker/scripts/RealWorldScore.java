import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores a run of real-world.sh against the triage (real-world-triage.tsv): per code base and per
 * check, the findings and how many of them are TP, FP, CONTRACT or not yet triaged, the misses
 * found and still missed, and precision = TP / findings. Prints Markdown tables, then the lists a
 * reviewer acts on: findings to triage, TPs no longer reported, misses still missed.
 *
 * <p>A finding matches a triage row of the same code base, file and check: on the same line, or
 * else on a line whose text is the row's {@code source} (the nearest such row), so that a small
 * drift of lines in a new version of a library keeps its verdicts. A finding on a MISS row is a
 * miss found (a TP); one on a SILENT row (correct code that a rule change could start reporting)
 * is a FP.
 *
 * <p>Run through real-world-score.sh: {@code java RealWorldScore.java TRIAGE WORK}.
 */
public class RealWorldScore {
    static final List<String> CHECKS = List.of("ArenaEscape", "ArenaAnnotationMisuse", "ArenaLongLivedOwner",
            "ArenaThreadConfinement", "ArenaUseAfterClose", "ArenaNotClosed");
    static final Pattern FINDING = Pattern.compile("^(/\\S+?):(\\d+): (?:warning|error): \\[(Arena\\w+)\\]");

    record Row(String codebase, String file, int line, String check, String verdict, String shape, String note,
            String source) {}

    record Finding(String codebase, String file, int line, String check, String source) {}

    /** Counts of one code base and check. */
    static final class Tally {
        int findings, tp, fp, contract, unknown, missesFound, missesTotal;

        void add(Tally o) {
            findings += o.findings; tp += o.tp; fp += o.fp; contract += o.contract; unknown += o.unknown;
            missesFound += o.missesFound; missesTotal += o.missesTotal;
        }

        String cells() {
            String precision = findings == 0 ? "–" : String.format("%.2f", (double) tp / findings);
            return "| " + findings + " | " + tp + " | " + fp + " | " + contract + " | " + unknown + " | "
                    + missesFound + "/" + missesTotal + " | " + precision + " |";
        }
    }

    public static void main(String[] args) throws IOException {
        Path triage = Path.of(args.length > 0 ? args[0] : "checker/scripts/real-world-triage.tsv");
        Path work = Path.of(args.length > 1 ? args[1] : "checker/target/real-world").toAbsolutePath().normalize();
        List<Row> rows = readTriage(triage);
        Map<String, Map<String, Tally>> tallies = new TreeMap<>();
        List<Finding> untriaged = new ArrayList<>();
        Map<Row, Integer> hits = new LinkedHashMap<>();
        List<String> notRun = new ArrayList<>();
        SortedSet<String> codebases = new TreeSet<>(rows.stream().map(Row::codebase).toList());
        try (var dirs = Files.list(work)) {
            dirs.filter(d -> Files.exists(d.resolve("arenaguard.log"))).forEach(d -> codebases.add(d.getFileName().toString()));
        }
        for (String codebase : codebases) {
            Path log = work.resolve(codebase).resolve("arenaguard.log");
            if (!Files.exists(log)) {
                notRun.add(codebase);
                continue;
            }
            Map<String, Tally> byCheck = new LinkedHashMap<>();
            CHECKS.forEach(c -> byCheck.put(c, new Tally()));
            tallies.put(codebase, byCheck);
            for (Finding f : findings(work, codebase, log)) {
                Tally t = byCheck.computeIfAbsent(f.check(), c -> new Tally());
                t.findings++;
                Row row = match(rows, f);
                if (row == null) {
                    t.unknown++;
                    untriaged.add(f);
                    continue;
                }
                hits.merge(row, 1, Integer::sum);
                switch (row.verdict()) {
                    case "TP", "MISS" -> t.tp++;
                    case "FP", "SILENT" -> t.fp++;
                    case "CONTRACT" -> t.contract++;
                    default -> throw new IllegalStateException("unknown verdict in " + triage + ": " + row);
                }
            }
            for (Row r : rows) {
                if (r.codebase().equals(codebase) && r.verdict().equals("MISS")) {
                    Tally t = byCheck.computeIfAbsent(r.check(), c -> new Tally());
                    t.missesTotal++;
                    if (hits.containsKey(r)) t.missesFound++;
                }
            }
        }
        print(tallies, rows, hits, untriaged, notRun);
    }

    static List<Row> readTriage(Path triage) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(triage);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] c = line.split("\t", -1);
            if (c.length != 8) throw new IllegalArgumentException(triage + ": expected 8 columns: " + line);
            rows.add(new Row(c[0], c[1], Integer.parseInt(c[2]), c[3], c[4], c[5], c[6], c[7]));
        }
        return rows;
    }

    /** The findings of one code base's log, each with the text of its line. */
    static List<Finding> findings(Path work, String codebase, Path log) throws IOException {
        Path base = work.resolve(codebase);
        List<Finding> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = FINDING.matcher(line);
            if (!m.find()) continue;
            Path file = Path.of(m.group(1)).toAbsolutePath().normalize();
            int n = Integer.parseInt(m.group(2));
            out.add(new Finding(codebase, base.relativize(file).toString(), n, m.group(3), sourceLine(file, n)));
        }
        return out;
    }

    static String sourceLine(Path file, int line) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return line <= lines.size() ? lines.get(line - 1).strip().replace('\t', ' ') : "";
    }

    static Row match(List<Row> rows, Finding f) {
        List<Row> candidates = rows.stream()
                .filter(r -> r.codebase().equals(f.codebase()) && r.file().equals(f.file()) && r.check().equals(f.check()))
                .toList();
        return candidates.stream().filter(r -> r.line() == f.line()).findFirst()
                .orElseGet(() -> candidates.stream()
                        .filter(r -> !f.source().isEmpty() && r.source().equals(f.source()))
                        .min(Comparator.comparingInt(r -> Math.abs(r.line() - f.line())))
                        .orElse(null));
    }

    static void print(Map<String, Map<String, Tally>> tallies, List<Row> rows, Map<Row, Integer> hits,
            List<Finding> untriaged, List<String> notRun) {
        String header = "| findings | TP | FP | CONTRACT | unknown | misses found | precision |";
        String rule = "|---:|---:|---:|---:|---:|---:|---:|";
        System.out.println("### Per code base\n");
        System.out.println("| code base " + header + "\n|---" + rule);
        Tally all = new Tally();
        Map<String, Tally> perCheck = new LinkedHashMap<>();
        CHECKS.forEach(c -> perCheck.put(c, new Tally()));
        tallies.forEach((codebase, byCheck) -> {
            Tally sum = new Tally();
            byCheck.forEach((check, t) -> {
                sum.add(t);
                perCheck.computeIfAbsent(check, c -> new Tally()).add(t);
            });
            all.add(sum);
            System.out.println("| " + codebase + " " + sum.cells());
        });
        System.out.println("| **all** " + all.cells());
        System.out.println("\n### Per check\n");
        System.out.println("| check " + header + "\n|---" + rule);
        perCheck.forEach((check, t) -> System.out.println("| " + check + " " + t.cells()));
        System.out.println("| **all** " + all.cells());
        System.out.println("\n### Per code base and check (non-zero rows)\n");
        System.out.println("| code base | check " + header + "\n|---|---" + rule);
        tallies.forEach((codebase, byCheck) -> byCheck.forEach((check, t) -> {
            if (t.findings + t.missesTotal > 0) System.out.println("| " + codebase + " | " + check + " " + t.cells());
        }));
        System.out.println();
        if (!notRun.isEmpty()) System.out.println("Not run (no log): " + String.join(", ", notRun));
        System.out.println("Findings not in the triage (to triage): " + untriaged.size());
        untriaged.forEach(f -> System.out.println("  " + f.codebase() + " " + f.file() + ":" + f.line() + " [" + f.check() + "] " + f.source()));
        List<Row> lostTp = rows.stream().filter(r -> r.verdict().equals("TP") && ran(tallies, r) && !hits.containsKey(r)).toList();
        System.out.println("TPs no longer reported: " + lostTp.size());
        lostTp.forEach(r -> System.out.println("  " + r.codebase() + " " + r.file() + ":" + r.line() + " [" + r.check() + "] " + r.shape()));
        List<Row> missed = rows.stream().filter(r -> r.verdict().equals("MISS") && ran(tallies, r) && !hits.containsKey(r)).toList();
        System.out.println("Misses still missed: " + missed.size());
        missed.forEach(r -> System.out.println("  " + r.codebase() + " " + r.file() + ":" + r.line() + " [" + r.check() + "] " + r.shape()));
        List<Row> silentHit = rows.stream().filter(r -> r.verdict().equals("SILENT") && hits.containsKey(r)).toList();
        System.out.println("Correct code now reported (SILENT rows hit): " + silentHit.size());
        silentHit.forEach(r -> System.out.println("  " + r.codebase() + " " + r.file() + ":" + r.line() + " [" + r.check() + "] " + r.shape()));
    }

    static boolean ran(Map<String, Map<String, Tally>> tallies, Row r) {
        return tallies.containsKey(r.codebase());
    }
}
