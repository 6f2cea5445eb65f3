package io.portaudit.report;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.html.HtmlTemplateOutput;
import io.portaudit.model.Text;
import java.util.Map;

/**
 * The jte templates under {@code src/main/jte}, compiled to Java at build time (jte-maven-plugin, package
 * {@code io.portaudit.templates}); no template is parsed or compiled at run time.
 *
 * <p>{@code report/*.jte} are the one rendering of an audit shared by {@link HtmlReport} and the dashboard
 * ({@code portaudit serve}): {@code audit} (every section), {@code summary}, {@code ports} (the port matrix),
 * {@code finding} (one finding with its evidence and fix); {@code html} is the self-contained report file.
 * {@code web/*.jte} are the dashboard's pages.
 *
 * <p>Every {@code ${...}} in a template is escaped by {@link Markup}, i.e. {@link Text#markup}, the project's one
 * HTML/XML escaper (control characters become visible {@code \xNN}); templates never put a value into a script,
 * a style or an event-handler attribute, and {@code $unsafe{...}} is only for text the program made itself
 * (the report's CSS).
 */
public final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Templates.class.getClassLoader(), "io.portaudit.templates");

    private Templates() {}

    /** Renders template {@code name} (e.g. {@code "report/html.jte"}) with {@code params} into {@code out}. */
    public static void render(String name, Map<String, Object> params, StringBuilder out) {
        ENGINE.render(name, params, new Markup(out));
    }

    public static String render(String name, Map<String, Object> params) {
        StringBuilder sb = new StringBuilder(16384);
        render(name, params, sb);
        return sb.toString();
    }

    /** jte's HTML output with {@link Text#markup} as the escaper; refuses a value inside a script, style or on* attribute. */
    static final class Markup implements HtmlTemplateOutput {
        private final StringBuilder out;
        private boolean attribute;
        private String forbidden;

        Markup(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void setContext(String tagName, String attributeName) {
            attribute = attributeName != null;
            forbidden = tagName != null && (tagName.equals("script") || tagName.equals("style"))
                    || attributeName != null && (attributeName.startsWith("on") || attributeName.equals("style"))
                    ? "<" + tagName + ">" + (attributeName == null ? "" : " " + attributeName) : null;
        }

        @Override
        public void writeContent(String s) {
            out.append(s);
        }

        @Override
        public void writeContent(String s, int beginIndex, int endIndex) {
            out.append(s, beginIndex, endIndex);
        }

        @Override
        public void writeUserContent(String value) {
            if (forbidden != null) throw new IllegalStateException("a template writes a value into " + forbidden + ": not allowed");
            if (value != null) out.append(Text.markup(value, attribute));
        }
    }
}
