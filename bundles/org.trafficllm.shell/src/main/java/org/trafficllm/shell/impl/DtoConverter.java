package org.trafficllm.shell.impl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Converter;
import org.osgi.dto.DTO;
import org.osgi.service.component.annotations.Component;

/**
 * Prints the DTOs that {@code tllm} commands return: one DTO as aligned
 * {@code field  value} lines, a collection of DTOs as a table. Nested DTOs and
 * collections of DTOs inside a DTO become indented sections.
 */
@Component(service = Converter.class)
public class DtoConverter implements Converter {
    private static final int MAX_CELL = 60;

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (isDto(target)) {
            return level == INSPECT ? block(target, "") : line(target);
        }
        if (target instanceof Collection && !((Collection<?>) target).isEmpty()
                && ((Collection<?>) target).stream().allMatch(DtoConverter::isDto)) {
            return level == PART ? ((Collection<?>) target).size() + " rows" : table((Collection<?>) target, "");
        }
        return null;
    }

    /**
     * OSGi DTOs, and the project's API data classes that follow the same shape
     * (public fields, no methods of their own).
     */
    static boolean isDto(Object o) {
        if (o instanceof DTO) {
            return true;
        }
        if (o == null || !o.getClass().getName().startsWith("org.trafficllm.api.")) {
            return false;
        }
        for (java.lang.reflect.Method m : o.getClass().getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
                return false;
            }
        }
        return o.getClass().getFields().length > 0;
    }

    static String block(Object dto, String indent) {
        List<Field> fields = fields(dto.getClass());
        int width = fields.stream().mapToInt(f -> f.getName().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        List<Field> sections = new ArrayList<>();
        for (Field f : fields) {
            Object value = get(f, dto);
            if (isDto(value) || isDtoCollection(value)) {
                sections.add(f);
                continue;
            }
            out.append(indent).append(pad(f.getName(), width)).append("  ").append(text(value)).append('\n');
        }
        for (Field f : sections) {
            Object value = get(f, dto);
            out.append(indent).append(f.getName()).append('\n');
            if (isDto(value)) {
                out.append(block(value, indent + "  "));
            } else {
                out.append(table((Collection<?>) value, indent + "  "));
            }
        }
        return indent.isEmpty() ? out.toString().stripTrailing() : out.toString();
    }

    static String line(Object dto) {
        StringBuilder out = new StringBuilder();
        for (Field f : fields(dto.getClass())) {
            Object value = get(f, dto);
            if (isDto(value) || value instanceof Collection || value instanceof Map) {
                continue;
            }
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(f.getName()).append('=').append(text(value));
        }
        return out.toString();
    }

    static String table(Collection<?> rows, String indent) {
        Object first = rows.iterator().next();
        List<Field> columns = new ArrayList<>();
        for (Field f : fields(first.getClass())) {
            Class<?> t = f.getType();
            if (!DTO.class.isAssignableFrom(t) && !t.getName().startsWith("org.trafficllm.api.")
                    && !Collection.class.isAssignableFrom(t) && !Map.class.isAssignableFrom(t)) {
                columns.add(f);
            }
        }
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[columns.size()];
        String[] header = new String[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            header[c] = columns.get(c).getName();
            width[c] = header[c].length();
        }
        for (Object row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                line[c] = clip(text(get(columns.get(c), row)));
                width[c] = Math.max(width[c], line[c].length());
            }
            cells.add(line);
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, indent, header, width);
        for (String[] line : cells) {
            appendRow(out, indent, line, width);
        }
        return indent.isEmpty() ? out.toString().stripTrailing() : out.toString();
    }

    private static void appendRow(StringBuilder out, String indent, String[] cells, int[] width) {
        out.append(indent);
        for (int c = 0; c < cells.length; c++) {
            out.append(c == cells.length - 1 ? cells[c] : pad(cells[c], width[c])).append(c == cells.length - 1 ? "" : "  ");
        }
        out.append('\n');
    }

    private static boolean isDtoCollection(Object value) {
        return value instanceof Collection && !((Collection<?>) value).isEmpty()
                && ((Collection<?>) value).stream().allMatch(DtoConverter::isDto);
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f);
            }
        }
        return fields;
    }

    private static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            return "?";
        }
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format("%.4f", d);
        }
        if (value instanceof Map) {
            StringBuilder out = new StringBuilder();
            ((Map<?, ?>) value).forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(text(v)));
            return out.toString();
        }
        if (value instanceof Collection) {
            StringBuilder out = new StringBuilder();
            for (Object o : (Collection<?>) value) {
                out.append(out.length() == 0 ? "" : ", ").append(text(o));
            }
            return out.toString();
        }
        if (isDto(value)) {
            return line(value);
        }
        if (value.getClass().isArray()) {
            return java.util.Arrays.deepToString(new Object[] { value }).replaceAll("^\\[|\\]$", "");
        }
        return value.toString();
    }

    private static String clip(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= MAX_CELL ? one : one.substring(0, MAX_CELL - 1) + "…";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
