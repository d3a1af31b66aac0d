package org.trafficllm.dataset.layout.impl;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.DatasetLayoutService;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.text.TrafficRendererService;

/**
 * USTC-TFC2016 as the DeepTraffic project published it: MNIST idx files
 * ({@code images-idx3-ubyte[.gz]}, {@code labels-idx1-ubyte[.gz]}) whose every
 * record is the first 784 bytes of one session's layer-7 payload, zero-padded. A
 * record becomes a flow sample in TrafficLLM's "payload bytes" form: {@code <pck>}
 * followed by the lower-case hex of the payload with its trailing zero bytes cut
 * (padding cannot be told from payload zeros at the end; the cut loses those).
 * Records with the same bytes are grouped by the builder, so a duplicated session
 * never lands on both sides of a split.
 *
 * <p>Class names: option {@code classes} = {@code 20class}, {@code 2class} or a
 * comma-separated list in index order; by default from a {@code 20class} or
 * {@code 2class} folder on the input path, else the class numbers. A bad magic
 * number, a size mismatch between the two files or a truncated file stops the build
 * (the idx pair is one unit; a shortened one would silently unbalance the classes);
 * a class number without a name is left out and counted.
 */
@Component(service = DatasetLayout.class)
@DatasetLayoutService(name = DeepTrafficIdxLayout.NAME, datasets = {"ustc-tfc2016-idx", "deeptraffic-idx"})
public class DeepTrafficIdxLayout implements DatasetLayout {
    static final String NAME = "ustc-tfc2016-idx";
    static final String RENDERER = TrafficRendererService.PAYLOAD_BYTES;
    static final String IMAGES = "images-idx3-ubyte";
    static final String LABELS = "labels-idx1-ubyte";
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** DeepTraffic's class numbers of the 20-class view (USTC-TFC2016 names). */
    static final List<String> TWENTY_CLASSES = List.of("BitTorrent", "Facetime", "FTP", "Gmail", "MySQL", "Outlook",
            "Skype", "SMB", "Weibo", "WorldOfWarcraft", "Cridex", "Geodo", "Htbot", "Miuref", "Neris", "Nsis-ay",
            "Shifu", "Tinba", "Virut", "Zeus");
    /** The 2-class view. */
    static final List<String> TWO_CLASSES = List.of("benign", "malware");

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public Set<Granularity> granularities() {
        return Set.of(Granularity.FLOW);
    }

    @Override
    public String renderer(Granularity granularity, TaskKind kind) throws DatasetException {
        if (granularity != Granularity.FLOW) {
            throw new DatasetException(NAME + ": an idx record is a session's payload; there are no packets");
        }
        return RENDERER;
    }

    @Override
    public void read(LayoutContext context) throws IOException {
        Path folder = folder(context.input());
        Path imagesFile = find(folder, IMAGES);
        Path labelsFile = find(folder, LABELS);
        List<String> names = classNames(context.options().get("classes"), folder);

        byte[] labels = readLabels(labelsFile);
        InputFiles.Opened images = InputFiles.open(imagesFile);
        long record = 0;
        try (DataInputStream in = new DataInputStream(images)) {
            int magic = header(in, imagesFile, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DatasetException(imagesFile.getFileName() + ": bad magic 0x" + String.format("%08x", magic)
                        + " at byte 0 (expected 0x" + String.format("%08x", IMAGES_MAGIC) + ")");
            }
            int count = header(in, imagesFile, "record count");
            int rows = header(in, imagesFile, "row count");
            int columns = header(in, imagesFile, "column count");
            if (count != labels.length) {
                throw new DatasetException(imagesFile.getFileName() + ": " + count + " records but "
                        + labelsFile.getFileName() + " has " + labels.length + " labels");
            }
            if (rows <= 0 || columns <= 0 || (long) rows * columns > 1 << 20) {
                throw new DatasetException(imagesFile.getFileName() + ": implausible record size " + rows + " x "
                        + columns + " at byte 8");
            }
            if (names != null) {
                context.labels(names);
            }
            byte[] payload = new byte[rows * columns];
            for (record = 0; record < count; record++) {
                in.readFully(payload);
                int label = labels[(int) record] & 0xff;
                if (names != null && label >= names.size()) {
                    context.skip(labelsFile.getFileName() + ": record " + record,
                            "class without a name: class " + label + " of " + names.size());
                    continue;
                }
                int length = payload.length;
                while (length > 0 && payload[length - 1] == 0) {
                    length--;
                }
                if (length == 0) {
                    context.skip(imagesFile.getFileName() + ": record " + record, "empty payload: all zero bytes");
                    continue;
                }
                context.sample(names == null ? Integer.toString(label) : names.get(label), null, text(payload, length));
                if ((record & 0x3ff) == 0) {
                    context.progress(record, count, "records");
                }
            }
            context.progress(count, count, "records");
        } catch (EOFException e) {
            throw new DatasetException(imagesFile.getFileName() + ": truncated at record " + record + " ("
                    + images.fileBytesRead() + " of " + InputFiles.size(imagesFile) + " file bytes read)", e);
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw InputFiles.damaged(imagesFile, e, "at record " + record, images);
        }
    }

    /** {@code <pck>} and the hex of {@code length} bytes. */
    static String text(byte[] payload, int length) {
        char[] out = new char[5 + 2 * length];
        "<pck>".getChars(0, 5, out, 0);
        for (int i = 0; i < length; i++) {
            out[5 + 2 * i] = HEX[(payload[i] >> 4) & 0xf];
            out[6 + 2 * i] = HEX[payload[i] & 0xf];
        }
        return new String(out);
    }

    private static byte[] readLabels(Path file) throws IOException {
        InputFiles.Opened opened = InputFiles.open(file);
        int count = 0;
        try (DataInputStream in = new DataInputStream(opened)) {
            int magic = header(in, file, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new DatasetException(file.getFileName() + ": bad magic 0x" + String.format("%08x", magic)
                        + " at byte 0 (expected 0x" + String.format("%08x", LABELS_MAGIC) + ")");
            }
            count = header(in, file, "label count");
            if (count < 0) {
                throw new DatasetException(file.getFileName() + ": negative label count " + count + " at byte 4");
            }
            byte[] labels = new byte[count];
            int read = in.readNBytes(labels, 0, count);
            if (read < count) {
                throw new DatasetException(file.getFileName() + ": truncated at label " + read + " of " + count + " ("
                        + opened.fileBytesRead() + " of " + InputFiles.size(file) + " file bytes read)");
            }
            return labels;
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw InputFiles.damaged(file, e, "in the labels", opened);
        }
    }

    private static int header(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DatasetException(file.getFileName() + ": truncated header: no " + what, e);
        }
    }

    private static Path folder(Path input) throws DatasetException {
        if (Files.isRegularFile(input)) {
            return input.getParent();
        }
        if (find(input, IMAGES, false) == null && Files.isDirectory(input.resolve("SessionL7"))) {
            return input.resolve("SessionL7");
        }
        return input;
    }

    private static Path find(Path folder, String stem) throws DatasetException {
        return find(folder, stem, true);
    }

    private static Path find(Path folder, String stem, boolean required) throws DatasetException {
        for (String name : new String[] {stem + ".gz", stem}) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        if (required) {
            throw new DatasetException(folder + ": no " + stem + " or " + stem + ".gz");
        }
        return null;
    }

    /** The class names by option or by a {@code 20class}/{@code 2class} folder on the path; null for numbers. */
    static List<String> classNames(String option, Path folder) {
        if (option != null && !option.isBlank()) {
            if (option.equalsIgnoreCase("20class")) {
                return TWENTY_CLASSES;
            }
            if (option.equalsIgnoreCase("2class")) {
                return TWO_CLASSES;
            }
            List<String> names = new ArrayList<>();
            Arrays.stream(option.split(",")).map(String::trim).forEach(names::add);
            return names;
        }
        for (Path part = folder.toAbsolutePath(); part != null; part = part.getParent()) {
            String name = part.getFileName() == null ? "" : part.getFileName().toString();
            if (name.equalsIgnoreCase("20class")) {
                return TWENTY_CLASSES;
            }
            if (name.equalsIgnoreCase("2class")) {
                return TWO_CLASSES;
            }
        }
        return null;
    }
}
