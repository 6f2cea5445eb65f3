package io.portaudit.model;

/** Port states exactly as nmap defines them. */
public enum PortState {
    OPEN("open"), CLOSED("closed"), FILTERED("filtered"), UNFILTERED("unfiltered"),
    OPEN_FILTERED("open|filtered"), CLOSED_FILTERED("closed|filtered");

    private final String label;

    PortState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static PortState parse(String s) {
        for (PortState p : values()) if (p.label.equals(s)) return p;
        return null;
    }
}
