package io.portaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.portaudit.model.Protocol;
import io.portaudit.model.Text;
import io.portaudit.store.Lifecycle;
import io.portaudit.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portaudit history [DEVICE] [--port tcp/23]}: audits and exposure lifecycles from the store. */
@Command(name = "history",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "The audits of a device and the timeline of its exposed ports; --port: since when, and on which devices, a port is exposed.",
        description = {
            "",
            "Without DEVICE, lists the devices in the store. With DEVICE (a name, key, serial, machine-id, MAC or hostname), lists its "
                    + "audits (time, source, firmware, gate result, counts) and each exposed port's lifecycle: first_seen, last_seen, "
                    + "closed_at, reopened, and the timeline of openings and closings. Only audits that covered a port count for it: "
                    + "an audit whose scan did not probe the port and which had no listener view leaves it unknown, never closed.",
            ""
        })
public final class HistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    OutputOptions output;

    @Mixin
    StoreOptions store;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DEVICE", description = "The device (default: every device).")
    String device;

    @Option(names = "--port", paramLabel = "PROTO/PORT", description = "Only this port, e.g. tcp/23.")
    String port;

    @Override
    public Integer call() throws IOException {
        io.portaudit.model.StartupTrace.mark("history: parsed");
        Protocol proto = null;
        Integer num = null;
        if (port != null) {
            String[] f = port.split("/");
            proto = f.length == 2 ? Protocol.parse(f[0]) : null;
            if (proto == null || !f[1].matches("[0-9]{1,5}") || Integer.parseInt(f[1]) < 1 || Integer.parseInt(f[1]) > 65535) {
                throw new UserException(io.portaudit.model.L10n.t("cmd.hist.port", port));
            }
            num = Integer.parseInt(f[1]);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> devs = new ArrayList<>();
        try (Store s = store.openExisting(spec.commandLine().getErr())) {
            io.portaudit.model.StartupTrace.mark("history: store opened");
            List<Store.Device> devices;
            if (device != null) devices = List.of(s.device(device));
            else if (proto != null) devices = s.devicesWithPort(proto, num).stream().map(s::device).toList();
            else devices = s.devices();
            for (Store.Device d : devices) {
                List<Store.AuditInfo> audits = s.audits(d.id());
                Lifecycle.Result lc = Lifecycle.of(audits, s.exposedKeys(d.id(), proto, num));
                devs.add(Map.of("device", d, "audits", audits, "lifecycle", lc));
            }
        }
        io.portaudit.model.StartupTrace.mark("history: read");
        root.put("devices", devs);
        boolean detail = device != null || port != null;
        output.write(spec.commandLine().getOut(), spec.commandLine().getErr(), common.verbosity() < 0, "history", Set.of("text", "json"),
                (format, w) -> {
                    if (format.equals("json")) json(root, w);
                    else text(devs, w, detail);
                });
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static void text(List<Object> devs, PrintWriter out, boolean detail) {
        if (devs.isEmpty()) out.println(io.portaudit.model.L10n.t("cmd.hist.nodevices"));
        for (Object o : devs) {
            Map<String, Object> m = (Map<String, Object>) o;
            Store.Device d = (Store.Device) m.get("device");
            List<Store.AuditInfo> audits = (List<Store.AuditInfo>) m.get("audits");
            Lifecycle.Result lc = (Lifecycle.Result) m.get("lifecycle");
            out.println(io.portaudit.model.L10n.t("cmd.hist.device", p(d.label()), p(d.key()), d.model() == null ? "" : io.portaudit.model.L10n.t("cmd.hist.model", p(d.model())),
                    audits.size(), d.firstSeen(), d.lastSeen()));
            if (!detail) continue;
            int[] aw = {6, 24, 8, 9, 8, 8};
            out.println("  " + Columns.row(aw, io.portaudit.model.L10n.t("cmd.hist.col.audit"), io.portaudit.model.L10n.t("cmd.hist.col.time"), io.portaudit.model.L10n.t("cmd.hist.col.result"),
                    io.portaudit.model.L10n.t("cmd.hist.col.findings"), io.portaudit.model.L10n.t("cmd.hist.col.failing"), io.portaudit.model.L10n.t("cmd.hist.col.exposed"), io.portaudit.model.L10n.t("cmd.hist.col.source")));
            for (Store.AuditInfo a : audits) {
                out.println("  " + Columns.row(aw, a.id(), a.collectedAt(), Columns.result(a.result()), a.findings(), a.failing(),
                        a.exposed(), p(a.source()) + (a.firmware() == null ? "" : " / " + p(a.firmware()))));
            }
            int[] pw = {16, 24, 24, 24};
            out.println("  " + Columns.row(pw, io.portaudit.model.L10n.t("cmd.hist.col.port"), io.portaudit.model.L10n.t("cmd.hist.col.firstseen"), io.portaudit.model.L10n.t("cmd.hist.col.lastseen"),
                    io.portaudit.model.L10n.t("cmd.hist.col.closedat"), io.portaudit.model.L10n.t("cmd.hist.col.reopened")));
            for (Lifecycle.Exposure e : lc.ports()) {
                out.println("  " + Columns.row(pw, e.key(), e.firstSeen(), e.lastSeen(),
                        e.closedAt() == null ? "-" : e.closedAt(), io.portaudit.model.L10n.t(e.reopened() ? "cmd.yes" : "cmd.no")));
            }
            if (!lc.events().isEmpty()) out.println("  " + io.portaudit.model.L10n.t("cmd.hist.timeline"));
            for (Lifecycle.Event e : lc.events()) {
                out.println("    " + io.portaudit.model.L10n.t("cmd.hist.event", e.at(), e.auditId(), e.key(),
                        io.portaudit.model.L10n.has("cmd.hist.ev." + e.what()) ? io.portaudit.model.L10n.t("cmd.hist.ev." + e.what()) : e.what()));
            }
        }
    }

    private static String p(String s) {
        return Text.printable(s == null ? "-" : s, 200);
    }

    private static void json(Map<String, Object> root, PrintWriter w) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(w, root);
        w.println();
    }
}
