package io.agentbilling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table of a run (Markdown, so the README can take it as it is), the targets with met/missed, the
 * correctness checks, and the machine. Not thread-safe: filled by the run, then rendered.
 */
final class Report {
    /**
     * One line of the table. Throughput rows carry rates (NaN where a column does not apply); latency rows carry
     * only the percentiles. {@code perCommit} is the settlements per committed transaction that the server's group
     * commit reached in the workload (NaN: not a settlement workload); {@code floorShape} says how the floor was run
     * ({@code "8/tx × 4"}: transactions of 8 settlements, 4 pgbench clients). {@code rssMib} is the server's peak
     * resident set during the workload.
     */
    record Row(String workload, String unit, double ours, double naive, double ceiling, double floor,
               String floorShape, double perCommit, double p50, double p99, double naiveP99, double rssMib,
               String check) {
        /** A row with only percentiles and memory (latency, reports). */
        static Row latency(String workload, double perCommit, double p50, double p99, double naiveP99, double rssMib,
                           String check) {
            return new Row(workload, "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, perCommit, p50, p99,
                    naiveP99, rssMib, check);
        }
    }

    /** One read endpoint under the same closed loop; {@code ofHealth} is its rate over {@code GET /health}'s. */
    record Read(String endpoint, double perSecond, double ofHealth, double p50, double p99, String check) {}

    record Target(String name, String measured, boolean met) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();
    private String readsTitle;
    private final List<String> overload = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean allChecksPassed = true;

    void row(Row row) {
        rows.add(row);
    }

    List<Row> rows() {
        return rows;
    }

    void readsTitle(String title) {
        readsTitle = title;
    }

    void read(Read read) {
        reads.add(read);
    }

    /** A line of the overload point's account (statuses, error codes and messages, Retry-After, the database). */
    void overload(String line) {
        overload.add(line);
    }

    void target(String name, String measured, boolean met) {
        targets.add(new Target(name, measured, met));
    }

    List<Target> targets() {
        return targets;
    }

    void check(String workload, boolean ok, String detail) {
        checks.add((ok ? "ok   " : "FAIL ") + workload + ": " + detail);
        allChecksPassed &= ok;
    }

    boolean allChecksPassed() {
        return allChecksPassed;
    }

    void note(String note) {
        notes.add(note);
    }

    String render(String title, String machine) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(title).append("\n\n").append(machine).append("\n\n");
        out.append("| workload | ours | naive baseline | pgbench ceiling | pgbench floor | ours / naive | ours / ceiling "
                + "| ours / floor | settlements per commit | p50 ms | p99 ms | naive p99 ms | server RSS MiB | checks |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append("| ").append(r.workload()).append(" | ")
                    .append(rate(r.ours(), r.unit())).append(" | ")
                    .append(rate(r.naive(), r.unit())).append(" | ")
                    .append(rate(r.ceiling(), r.unit())).append(" | ")
                    .append(rate(r.floor(), r.unit()))
                    .append(Double.isNaN(r.floor()) || r.floorShape() == null ? "" : " (" + r.floorShape() + ")")
                    .append(" | ")
                    .append(ratio(r.ours(), r.naive())).append(" | ")
                    .append(ratio(r.ours(), r.ceiling())).append(" | ")
                    .append(ratio(r.ours(), r.floor())).append(" | ")
                    .append(num(r.perCommit(), 1)).append(" | ")
                    .append(num(r.p50(), 2)).append(" | ")
                    .append(num(r.p99(), 2)).append(" | ")
                    .append(num(r.naiveP99(), 2)).append(" | ")
                    .append(num(r.rssMib(), 0)).append(" | ")
                    .append(r.check() == null ? "" : r.check()).append(" |\n");
        }
        if (!reads.isEmpty()) {
            out.append("\n**").append(readsTitle).append("**\n\n| read | ours | of `GET /health` | p50 ms | p99 ms "
                    + "| checks |\n|---|---:|---:|---:|---:|---|\n");
            for (Read r : reads) {
                out.append("| ").append(r.endpoint()).append(" | ").append(rate(r.perSecond(), "/s")).append(" | ")
                        .append(Double.isNaN(r.ofHealth()) ? "–" : String.format(Locale.ROOT, "%.0f%%",
                                100 * r.ofHealth())).append(" | ")
                        .append(num(r.p50(), 2)).append(" | ").append(num(r.p99(), 2)).append(" | ")
                        .append(r.check()).append(" |\n");
            }
        }
        if (!overload.isEmpty()) {
            out.append("\n**Overload**\n\n");
            overload.forEach(line -> out.append("- ").append(line).append('\n'));
        }
        out.append("\n**Targets**\n\n| target | measured | |\n|---|---|---|\n");
        for (Target t : targets) {
            out.append("| ").append(t.name()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met() ? "met" : "**missed**").append(" |\n");
        }
        out.append("\n**Correctness checks** (after every workload)\n\n```\n");
        checks.forEach(c -> out.append(c).append('\n'));
        out.append("```\n");
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    private static String rate(double value, String unit) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,.0f %s", value, unit);
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    static String num(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
