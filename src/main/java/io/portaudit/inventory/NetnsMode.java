package io.portaudit.inventory;

/** Which network namespaces a local inventory reads. */
public enum NetnsMode {
    /** Every namespace some process is in (containers, lab devices): the default. */
    ALL,
    /** Only the namespace portaudit itself runs in. */
    CURRENT
}
