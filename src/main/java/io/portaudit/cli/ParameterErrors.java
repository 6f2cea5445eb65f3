package io.portaudit.cli;

import io.portaudit.model.L10n;
import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli's own errors in the run's language (issue 20): each kind of {@link CommandLine.ParameterException} picocli
 * throws is told from its type and its {@link ArgSpec}, not by rewriting picocli's English text. A kind not known here
 * keeps picocli's message.
 */
final class ParameterErrors {
    private ParameterErrors() {}

    static String explain(CommandLine.ParameterException ex) {
        // English: picocli's own words, as before
        if (!L10n.ja()) return ex.getMessage();
        ArgSpec arg = ex.getArgSpec();
        if (ex instanceof CommandLine.MissingParameterException m) {
            List<ArgSpec> missing = m.getMissing();
            if (missing != null && missing.size() == 1 && missing.get(0) instanceof OptionSpec o && ex.getMessage().startsWith("Missing required parameter for")) {
                return L10n.t("cmd.pc.missingvalue", o.longestName(), o.paramLabel());
            }
            List<String> names = new ArrayList<>();
            boolean options = false;
            for (ArgSpec a : missing == null ? List.<ArgSpec>of() : missing) {
                if (a instanceof OptionSpec o) {
                    names.add(o.longestName());
                    options = true;
                } else if (a instanceof PositionalParamSpec p) {
                    names.add(p.paramLabel());
                }
            }
            if (names.isEmpty()) return ex.getMessage();
            return L10n.t(options ? "cmd.pc.missingoption" : "cmd.pc.missingparameter", String.join(", ", names));
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            return L10n.t("cmd.pc.unmatched", String.join(" ", u.getUnmatched().stream().map(s -> "'" + s + "'").toList()));
        }
        if (ex instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec spec) {
            return L10n.t("cmd.pc.once", spec.longestName());
        }
        if (ex instanceof CommandLine.MutuallyExclusiveArgsException) {
            // "Error: --a, --b are mutually exclusive (specify only one)": the names are the part before " are "
            String msg = ex.getMessage().replaceFirst("^Error: ", "");
            int are = msg.indexOf(" are mutually exclusive");
            return are > 0 ? L10n.t("cmd.pc.exclusive", msg.substring(0, are)) : ex.getMessage();
        }
        if (ex instanceof CommandLine.MaxValuesExceededException) {
            return L10n.t("cmd.pc.toomany", ex.getValue() == null ? "" : ex.getValue());
        }
        if (ex.getCause() instanceof CommandLine.TypeConversionException tce && arg != null) {
            String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
            String value = ex.getValue() == null ? "" : ex.getValue();
            // portaudit's own converters say why in the run's language already
            if (arg.converters() != null && arg.converters().length > 0 && tce.getMessage() != null) return tce.getMessage();
            Class<?> type = arg.type();
            if (type != null && type.isArray()) type = type.getComponentType();
            if (type != null && type.isEnum()) {
                List<String> values = new ArrayList<>();
                for (Object c : type.getEnumConstants()) values.add(c.toString());
                return L10n.t("cmd.pc.invalidof", name, value, String.join(", ", values));
            }
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == double.class || type == Double.class) {
                return L10n.t("cmd.pc.invalidnumber", name, value);
            }
            return L10n.t("cmd.pc.invalid", name, value);
        }
        return ex.getMessage();
    }

    /** picocli's usage-help headings in the current language ({@code usage.*} keys of picocli's bundle convention). */
    static ResourceBundle usageBundle() {
        // bare keys are every command's; keys prefixed with a command's qualified name (portaudit.scan.) are its own
        Object[][] entries = {
            {"usage.synopsisHeading", L10n.t("cmd.pc.synopsisHeading")},
            {"usage.commandListHeading", L10n.t("cmd.pc.commandListHeading")},
            {"portaudit.usage.header", L10n.t("cmd.pc.rootheader")},
            {"portaudit.usage.description.0", ""},
            {"portaudit.usage.description.1", L10n.t("cmd.pc.rootdescription")},
            {"portaudit.usage.description.2", ""},
            {"portaudit.usage.footerHeading", L10n.t("cmd.pc.exitcodesHeading")},
            {"portaudit.usage.footer.0", L10n.t("cmd.pc.exit0")},
            {"portaudit.usage.footer.1", L10n.t("cmd.pc.exit1")},
            {"portaudit.usage.footer.2", L10n.t("cmd.pc.exit2")},
            {"portaudit.usage.footer.3", L10n.t("cmd.pc.exit3")},
            {"portaudit.usage.footer.4", ""},
            {"portaudit.usage.footer.5", L10n.t("cmd.pc.helpcommand")},
            {"portaudit.scan.usage.footerHeading", L10n.t("cmd.pc.exitcodesHeading")},
            {"portaudit.diff.usage.footerHeading", L10n.t("cmd.pc.exitcodesHeading")},
        };
        return new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return entries;
            }
        };
    }
}
