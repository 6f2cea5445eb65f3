package io.portaudit.audit;

import io.portaudit.model.DeviceSnapshot;
import io.portaudit.model.L10n;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An audit result written in a language from its language-neutral texts (see {@link L10n#neutral}): the auditor writes
 * its findings, notes, reasons and parse problems as message keys with arguments; {@link #render} writes every text of
 * the result in one language and keeps the neutral result beside it ({@link AuditResult#texts}), so the same result can
 * be written again in the other language ({@code show --lang en} of an audit made in Japanese). Device strings are
 * arguments and come out as they went in.
 */
public final class Localized {
    private Localized() {}

    /** Runs {@code work} (an audit) with its texts language-neutral, and writes its result in {@code lang}. */
    public static AuditResult audit(L10n.Lang lang, Callable<AuditResult> work) throws Exception {
        AuditResult neutral = L10n.neutral(work);
        return render(neutral, lang);
    }

    /** {@code r} written in {@code lang}: from its neutral texts when it has them (else as it is). */
    public static AuditResult in(AuditResult r, L10n.Lang lang) {
        if (r == null) return null;
        if (r.texts() == null) return r;
        if (r.texts().lang() == lang) return r;
        return render(r.texts().neutral(), lang);
    }

    /**
     * {@code change} applied to a result (a baseline, a re-gating) such that its new texts stay language-neutral too: on
     * the neutral result, with messages written neutral, then rendered again.
     */
    public static AuditResult map(AuditResult r, UnaryOperator<AuditResult> change) {
        if (r.texts() == null) return change.apply(r);
        AuditResult neutral;
        try {
            neutral = L10n.neutral(() -> change.apply(r.texts().neutral()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return render(neutral, r.texts().lang());
    }

    /** Every text of a neutral result in {@code lang}; the neutral result kept as its {@link AuditResult#texts}. */
    public static AuditResult render(AuditResult neutral, L10n.Lang lang) {
        AuditResult n = neutral.texts() == null ? neutral : neutral.texts().neutral();
        return new AuditResult(n.snapshot(), strings(n.viewsPresent(), lang), strings(n.viewsMissing(), lang), strings(n.unknowns(), lang),
                list(n.listeners(), lang), list(n.rows(), lang), (Gate.Outcome) value(n.outcome(), lang), n.policy(), n.firewall(), n.scan(),
                list(n.problems(), lang), strings(n.notes(), lang), map(n.notChecked(), lang), new AuditResult.Texts(lang, n));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(List<T> l, L10n.Lang lang) {
        return (List<T>) value(l, lang);
    }

    private static List<String> strings(List<String> l, L10n.Lang lang) {
        return list(l, lang);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(Map<String, String> m, L10n.Lang lang) {
        return (Map<String, String>) value(m, lang);
    }

    /** Records not walked: what the device and the policy file said, and the views' facts (no texts for people). */
    private static final List<Class<?>> OPAQUE = List.of(DeviceSnapshot.class, Policy.class, FirewallFacts.class, ScanFacts.class);
    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    /**
     * A record class's component accessors and canonical constructor, looked up once per class: reflection asked per
     * record (getRecordComponents, a Method and its accessor made at each call) took a quarter of the CPU time of the
     * audit of a 200k-rule ruleset.
     */
    private record Shape(MethodHandle[] accessors, MethodHandle constructor) {
        static Shape of(Class<?> c) {
            RecordComponent[] comps = c.getRecordComponents();
            MethodHandle[] acc = new MethodHandle[comps.length];
            Class<?>[] types = new Class<?>[comps.length];
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            try {
                for (int i = 0; i < comps.length; i++) {
                    Method m = comps[i].getAccessor();
                    m.setAccessible(true);
                    acc[i] = lookup.unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                    types[i] = comps[i].getType();
                }
                Constructor<?> ctor = c.getDeclaredConstructor(types);
                ctor.setAccessible(true);
                MethodHandle make = lookup.unreflectConstructor(ctor).asType(MethodType.genericMethodType(comps.length))
                        .asSpreader(Object[].class, comps.length);
                return new Shape(acc, make);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the components of a " + c.getSimpleName(), e);
            }
        }
    }

    /** {@code o} with every text in it written in {@code lang}; the same object when nothing in it changes. */
    static Object value(Object o, L10n.Lang lang) {
        if (o == null) return null;
        if (o instanceof String s) return L10n.render(s, lang);
        if (o instanceof List<?> l) {
            List<Object> out = null;
            for (int i = 0; i < l.size(); i++) {
                Object x = l.get(i), y = value(x, lang);
                if (y != x && out == null) {
                    out = new ArrayList<>(l.size());
                    for (int k = 0; k < i; k++) out.add(l.get(k));
                }
                if (out != null) out.add(y);
            }
            return out == null ? l : Collections.unmodifiableList(out);
        }
        if (o instanceof Map<?, ?> m) {
            boolean changed = false;
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = value(e.getValue(), lang);
                changed |= v != e.getValue();
                out.put(e.getKey(), v);
            }
            return changed ? Collections.unmodifiableMap(out) : m;
        }
        if (o instanceof Record r) {
            Class<?> c = r.getClass();
            if (OPAQUE.contains(c)) return r;
            Shape shape = SHAPES.computeIfAbsent(c, Shape::of);
            Object[] args = new Object[shape.accessors.length];
            boolean changed = false;
            try {
                for (int i = 0; i < args.length; i++) {
                    Object v = (Object) shape.accessors[i].invokeExact((Object) r);
                    args[i] = value(v, lang);
                    changed |= args[i] != v;
                }
                if (!changed) return r;
                return (Object) shape.constructor.invokeExact(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot write the texts of a " + c.getSimpleName() + " in " + lang.tag(), e);
            }
        }
        return o;
    }
}
