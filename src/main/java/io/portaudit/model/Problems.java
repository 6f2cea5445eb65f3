package io.portaudit.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded collector of {@link ParseProblem}s (after jsoup's {@code ParseErrorList.tracking}):
 * hostile input cannot grow it without limit; the count of dropped problems is kept.
 */
public final class Problems {
    public static final int DEFAULT_LIMIT = 1000;

    private final int limit;
    private final List<ParseProblem> list = new ArrayList<>();
    private long dropped;

    public Problems() {
        this(DEFAULT_LIMIT);
    }

    public Problems(int limit) {
        this.limit = limit;
    }

    public void add(ParseProblem p) {
        if (list.size() < limit) list.add(p);
        else dropped++;
    }

    public void addAll(Iterable<ParseProblem> problems) {
        for (ParseProblem p : problems) add(p);
    }

    public List<ParseProblem> list() {
        return List.copyOf(list);
    }

    public long dropped() {
        return dropped;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(p -> p.severity() == ParseProblem.Severity.ERROR);
    }

    public int size() {
        return list.size();
    }
}
