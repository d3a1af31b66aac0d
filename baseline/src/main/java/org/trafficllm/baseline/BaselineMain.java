package org.trafficllm.baseline;

import static org.trafficllm.baseline.CommandLine.between;
import static org.trafficllm.baseline.CommandLine.number;
import static org.trafficllm.baseline.CommandLine.require;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.baseline.CommandLine.UsageException;
import org.trafficllm.eval.impl.ClassificationReportService;

/**
 * Command line: {@code BaselineMain --train x_train.jsonl --test x_test.jsonl
 * --model rf|gbt|linear --out dir}. Prints one summary line; on bad input prints
 * one line naming the input and the place and exits 1 (2 for a bad command line).
 */
public final class BaselineMain {
    static final String USAGE = String.join("\n",
            "usage: BaselineMain --train FILE --test FILE --model rf|gbt|linear --out DIR [options]",
            "",
            "Trains a classical baseline on a dataset's train file (JSON Lines of {\"instruction\",\"output\"},",
            "the traffic text after the prompt's \\n<packet>: or \\n<flow>: marker) and writes the evaluation",
            "report of its test-file predictions as DIR/<model>.json and DIR/<model>.html.",
            "",
            "models:",
            "  rf       XGBoost random forest on raw bytes (first bytes of each packet, packet lengths)",
            "  gbt      XGBoost gradient-boosted trees on the same bytes",
            "  linear   logistic regression (LIBLINEAR) on hashed character n-grams of the traffic text",
            "",
            "options:",
            "  --labels FILE      label file (label -> index); default: the dataset's N_label.json beside --train",
            "  --bytes N          byte features per sample, shared among up to 10 packets (784); 0: no bytes,",
            "                     only packet lengths, packet count and any flow fields (flow-bytes-shape)",
            "  --trees N          forest size (rf) or boosting rounds (gbt) (100)",
            "  --ngrams MIN-MAX   character n-gram lengths for linear (1-4)",
            "  --hash-bits N      linear feature space 2^N (20)",
            "  --cost C           linear inverse regularisation (1.0)",
            "  --threads N        XGBoost threads (1)",
            "  --seed N           (42)",
            "  --dataset TEXT, --split TEXT, --masking TEXT, --task TEXT",
            "                     run description; default: from the dataset builder's N_T_G_report.json",
            "  --quiet            no progress on standard error",
            "  --help             this text");

    private BaselineMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        BaselineOptions options = new BaselineOptions();
        boolean[] quiet = {false};
        try {
            boolean go = CommandLine.parse(args, Map.of("--quiet", () -> quiet[0] = true), (flag, value) -> {
                switch (flag) {
                case "--train" -> options.train = Path.of(value);
                case "--test" -> options.test = Path.of(value);
                case "--model" -> options.model = value;
                case "--out" -> options.out = Path.of(value);
                case "--labels" -> options.labels = Path.of(value);
                case "--bytes" -> options.bytes = between(flag, value, 0, Integer.MAX_VALUE);
                case "--trees" -> options.trees = positive(flag, value);
                case "--hash-bits" -> options.hashBits = between(flag, value, 4, 28);
                case "--threads" -> options.threads = positive(flag, value);
                case "--seed" -> options.seed = number(flag, value);
                case "--cost" -> options.cost = cost(value);
                case "--ngrams" -> ngrams(options, value);
                case "--dataset" -> options.dataset = value;
                case "--split" -> options.split = value;
                case "--masking" -> options.masking = value;
                case "--task" -> options.task = value;
                default -> throw new UsageException(flag + ": unknown option (see --help)");
                }
            });
            if (!go) {
                out.println(USAGE);
                return 0;
            }
            require(options.train, "--train");
            require(options.test, "--test");
            require(options.model, "--model");
            require(options.out, "--out");
            if (!BaselineRun.MODELS.contains(options.model)) {
                throw new UsageException("--model: '" + options.model + "' is none of "
                        + String.join(", ", BaselineRun.MODELS));
            }
            if (Files.exists(options.out) && !Files.isDirectory(options.out)) {
                throw new UsageException("--out: " + options.out + " is a file, not a folder");
            }
        } catch (UsageException e) {
            err.println("baseline: " + e.getMessage());
            return 2;
        }
        options.command = "BaselineMain " + String.join(" ", args);
        try {
            EvaluationReportDTO report = new BaselineRun(new ClassificationReportService()).run(options,
                    quiet[0] ? (phase, done, total) -> {
                    } : new ProgressPrinter(err));
            out.println(String.format(Locale.ROOT,
                    "%s %s: accuracy %.4f, macro-F1 %.4f, weighted-F1 %.4f, %d train, %d test, train %.1f s, "
                            + "predict %.1f s -> %s",
                    options.model, options.test.getFileName(), report.accuracy, report.macro.f1, report.weighted.f1,
                    report.run.trainSamples, report.run.testSamples, report.run.trainMillis / 1000.0,
                    report.run.predictMillis / 1000.0, options.out.resolve(options.model + ".html")));
            return 0;
        } catch (BaselineException e) {
            err.println("baseline: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("baseline: out of memory; give the JVM more (-Xmx) or fewer features (--bytes, --hash-bits)");
            return 1;
        }
    }

    private static int positive(String flag, String value) throws UsageException {
        return between(flag, value, 1, Integer.MAX_VALUE);
    }

    private static double cost(String value) throws UsageException {
        try {
            double c = Double.parseDouble(value);
            if (c > 0 && Double.isFinite(c)) {
                return c;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--cost: '" + value + "' is not a positive number");
    }

    private static void ngrams(BaselineOptions options, String value) throws UsageException {
        String[] parts = value.split("-", 2);
        int min = between("--ngrams", parts[0], 1, 16);
        int max = parts.length == 1 ? min : between("--ngrams", parts[1], 1, 16);
        if (max < min) {
            throw new UsageException("--ngrams: " + value + " is not MIN-MAX with MIN <= MAX");
        }
        options.ngramMin = min;
        options.ngramMax = max;
    }

    /** Progress on standard error, at most every two seconds per phase and at each phase's end, with rate and ETA. */
    private static final class ProgressPrinter implements ProgressListener {
        private final PrintStream err;
        private String phase;
        private long phaseStart;
        private long lastPrint;

        ProgressPrinter(PrintStream err) {
            this.err = err;
        }

        @Override
        public void progress(String phase, long done, long total) {
            long now = System.nanoTime();
            boolean end = total >= 0 && done >= total;
            if (!phase.equals(this.phase)) {
                this.phase = phase;
                phaseStart = now;
                lastPrint = now;
                err.println(String.format(Locale.ROOT, "  %s: %d/%s", phase, done,
                        total < 0 ? "?" : String.valueOf(total)));
                return;
            } else if (!end && now - lastPrint < 2_000_000_000L) {
                return;
            }
            lastPrint = now;
            double seconds = Math.max(1e-9, (now - phaseStart) / 1e9);
            double rate = done / seconds;
            String eta = end || total < 0 ? "" : String.format(Locale.ROOT, ", ETA %.0f s", (total - done) / rate);
            err.println(String.format(Locale.ROOT, "  %s: %d/%s (%.1f s, %.0f/s%s)", phase, done,
                    total < 0 ? "?" : String.valueOf(total), seconds, rate, eta));
        }
    }
}
