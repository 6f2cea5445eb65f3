package io.portaudit.firewall;

import io.portaudit.model.L10n;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portaudit.model.ParseProblem;
import io.portaudit.model.PortSet;
import io.portaudit.model.Problems;
import io.portaudit.model.Protocol;
import io.portaudit.model.ServiceNames;
import io.portaudit.model.Text;
import io.portaudit.model.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code nft -j list ruleset} into the same model as the text form. */
final class NftJsonParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NftJsonParser() {}

    static Ruleset parse(String format, String source, String text, ServiceNames names, Problems problems) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            int line = 0, col = 0;
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jp && jp.getLocation() != null) {
                line = jp.getLocation().getLineNr();
                col = jp.getLocation().getColumnNr();
            }
            problems.add(ParseProblem.error(source, Math.max(line, 0), Math.max(col, 0), "", L10n.t("pp.json.invalid", msg)));
            return new Ruleset(format, source, "nft", List.of(), List.of(), false);
        }
        JsonNode arr = root == null ? null : root.get("nftables");
        if (arr == null || !arr.isArray()) {
            problems.add(ParseProblem.error(source, 1, 1, "", L10n.t("pp.nftj.noarray")));
            return new Ruleset(format, source, "nft", List.of(), List.of(), false);
        }
        Map<String, ChainBuilder.TableBuilder> tables = new LinkedHashMap<>();
        Map<String, List<JsonNode>> sets = new HashMap<>();
        List<JsonNode> rules = new ArrayList<>();
        int idx = 0;
        boolean damaged = false;
        for (JsonNode item : arr) {
            idx++;
            if (item.has("table")) {
                JsonNode t = item.get("table");
                String key = t.path("family").asText() + " " + t.path("name").asText();
                tables.computeIfAbsent(key, k -> new ChainBuilder.TableBuilder(TableFamily.parse(t.path("family").asText()), t.path("name").asText()));
            } else if (item.has("chain")) {
                JsonNode c = item.get("chain");
                ChainBuilder.TableBuilder tb = table(tables, c);
                ChainBuilder cb = tb.chain(c.path("name").asText());
                cb.declSource = source + ":chain " + c.path("name").asText();
                if (c.has("hook")) {
                    cb.hook = Hook.parse(c.path("hook").asText());
                    cb.type = c.path("type").asText("filter");
                    cb.priority = c.path("prio").isNumber() ? c.path("prio").asInt() : NftParser.namedPriority(c.path("prio").asText("0"));
                    String pol = c.path("policy").asText("accept");
                    cb.policy = ChainBuilder.policy(pol);
                    if (cb.policy == null) {
                        problems.add(ParseProblem.error(source, 0, 0, c.toString(), L10n.t("pp.nftj.policy", pol)));
                        cb.policy = Verdict.ACCEPT;
                    }
                    cb.policyText = "type " + cb.type + " hook " + c.path("hook").asText() + " priority " + cb.priority + "; policy " + pol + ";";
                    cb.policySource = cb.declSource;
                }
            } else if (item.has("set")) {
                JsonNode s = item.get("set");
                List<JsonNode> els = new ArrayList<>();
                for (JsonNode e : s.path("elem")) els.add(e);
                sets.put(s.path("family").asText() + " " + s.path("table").asText() + " " + s.path("name").asText(), els);
            } else if (item.has("rule")) {
                rules.add(item.get("rule"));
            } else if (!(item.has("metainfo") || item.has("map") || item.has("element") || item.has("flowtable") || item.has("counter")
                    || item.has("quota") || item.has("ct helper") || item.has("ct timeout") || item.has("ct expectation")
                    || item.has("limit") || item.has("secmark") || item.has("synproxy"))) {
                // an item portaudit does not know may be a damaged rule or chain
                String key = item.fieldNames().hasNext() ? item.fieldNames().next() : "";
                problems.add(ParseProblem.error(source, 0, 0, Text.printable(item.toString(), 200), L10n.t("pp.nftj.item", idx, Text.printable(key, 30))));
                damaged = true;
            }
        }
        for (JsonNode r : rules) {
            ChainBuilder.TableBuilder tb = table(tables, r);
            ChainBuilder cb = tb.chain(r.path("chain").asText());
            rule(cb, r, sets, source, names, problems);
        }
        if (damaged) {
            // the lost item may have been a rule of any chain: whatever the chains do not decide before is unknown
            for (ChainBuilder.TableBuilder tb : tables.values()) ChainBuilder.damageAll(tb, "(unreadable item)", source, 0, false);
        }
        List<Table> out = new ArrayList<>();
        for (ChainBuilder.TableBuilder tb : tables.values()) out.add(tb.build(problems));
        return new Ruleset(format, source, "nft", out, List.of(), false);
    }

    private static ChainBuilder.TableBuilder table(Map<String, ChainBuilder.TableBuilder> tables, JsonNode n) {
        String fam = n.path("family").asText(), name = n.path("table").asText();
        return tables.computeIfAbsent(fam + " " + name, k -> new ChainBuilder.TableBuilder(TableFamily.parse(fam), name));
    }

    private static void rule(ChainBuilder cb, JsonNode r, Map<String, List<JsonNode>> sets, String source, ServiceNames names,
                             Problems problems) {
        long handle = r.path("handle").asLong(-1);
        String text = render(r);
        String where = source + ":handle " + handle;
        List<Match> ms = new ArrayList<>();
        Target target = new Target.None();
        String setPrefix = r.path("family").asText() + " " + r.path("table").asText() + " ";
        List<Map.Entry<PortSet, Target>> vmap = null;
        String vmapProto = null;
        for (JsonNode e : r.path("expr")) {
            String kind = e.fieldNames().hasNext() ? e.fieldNames().next() : "";
            JsonNode v = e.get(kind);
            switch (kind) {
                case "match" -> {
                    if (!v.has("left") || !v.has("right") || !v.path("op").asText("==").matches("==|!=|in|<|>|<=|>=")) {
                        // a damaged match: what it compared is unknown, so the rule may match anything
                        problems.add(ParseProblem.error(source, 0, 0, text, L10n.t("pp.nftj.match")));
                        ms.add(new Match.Unknown(text));
                        continue;
                    }
                    String op = v.path("op").asText("==");
                    boolean neg = op.equals("!=");
                    JsonNode left = v.path("left"), right = v.path("right");
                    List<String> vals = values(right, sets, setPrefix);
                    if (left.has("payload")) {
                        String proto = left.path("payload").path("protocol").asText(), field = left.path("payload").path("field").asText();
                        if ((field.equals("dport") || field.equals("sport")) && !proto.matches("tcp|udp|th|sctp|dccp|udplite")) {
                            problems.add(ParseProblem.error(source, 0, 0, text, L10n.t("pp.nftj.portproto", Text.printable(proto, 20))));
                            ms.add(new Match.Unknown(text));
                        } else if ((field.equals("dport") || field.equals("sport")) && !proto.isEmpty()) {
                            String p = proto.equals("th") ? null : proto;
                            PortSet ps = RulePorts.list(String.join(",", vals), Protocol.parse(p == null ? "tcp" : p), '-',
                                    new RulePorts.Place(source, 0, 0, text, problems, names));
                            Match.PortField f = field.equals("dport") ? Match.PortField.DPORT : Match.PortField.SPORT;
                            ms.add(ps == null ? new Match.Unknown(text) : new Match.Ports(f, p, ps, neg));
                            if (p == null) ms.add(new Match.Proto(Set.of("tcp", "udp"), false));
                        } else if (field.equals("saddr") || field.equals("daddr")) {
                            List<AddrRange> rs = new ArrayList<>();
                            for (String s : vals) rs.add(AddrRange.parse(s));
                            ms.add(new Match.Addr(field.equals("saddr"), rs, neg));
                        } else if (field.equals("protocol") || field.equals("nexthdr")) {
                            Set<String> ps = new LinkedHashSet<>();
                            for (String s : vals) ps.add(IptablesArgs.protoName(s));
                            ms.add(new Match.Proto(ps, neg));
                        } else if (proto.equals("icmp") || proto.equals("icmpv6")) {
                            ms.add(new Match.Proto(Set.of(proto.equals("icmp") ? "icmp" : "ipv6-icmp"), false));
                        } else {
                            ms.add(new Match.Unknown(text));
                        }
                    } else if (left.has("meta")) {
                        String key = left.path("meta").path("key").asText();
                        switch (key) {
                            case "iifname", "oifname", "iif", "oif" -> {
                                if (vals.size() == 1) ms.add(new Match.Iface(key.startsWith("i"), vals.get(0), neg, false));
                                else ms.add(new Match.Unknown(text));
                            }
                            case "l4proto" -> {
                                Set<String> ps = new LinkedHashSet<>();
                                for (String s : vals) ps.add(IptablesArgs.protoName(s));
                                ms.add(new Match.Proto(ps, neg));
                            }
                            case "nfproto" -> {
                                String f = vals.isEmpty() ? "" : vals.get(0);
                                if (f.equals("ipv4") || f.equals("ipv6")) {
                                    ms.add(new Match.Addr(true, List.of(AddrRange.parse(f.equals("ipv6") ? "::/0" : "0.0.0.0/0")), neg));
                                } else {
                                    ms.add(new Match.Unknown(text));
                                }
                            }
                            default -> ms.add(new Match.Unknown(text));
                        }
                    } else if (left.has("ct") && left.path("ct").path("key").asText().equals("state")) {
                        Set<String> st = new LinkedHashSet<>();
                        for (String s : vals) st.add(s.toUpperCase(Locale.ROOT));
                        // "ct state new" with op "in" or "==" is a bit test: any of them
                        ms.add(new Match.CtState(st, neg));
                    } else if (left.has("fib") && vals.contains("local")) {
                        // fib daddr type local: always true on the input path
                    } else {
                        ms.add(new Match.Unknown(text));
                    }
                }
                case "counter", "log", "limit_placeholder" -> {
                    if (kind.equals("log") && target instanceof Target.None) target = new Target.Continue("log");
                }
                case "accept" -> target = new Target.Accept();
                case "drop" -> target = new Target.Drop();
                case "return" -> target = new Target.Return();
                case "continue", "notrack", "masquerade", "snat", "mangle" -> { }
                case "jump" -> target = new Target.Jump(v.path("target").asText());
                case "goto" -> target = new Target.Goto(v.path("target").asText());
                case "reject" -> {
                    String with = null;
                    if (v != null && v.isObject()) {
                        String type = v.path("type").asText("");
                        if (type.equals("tcp reset")) with = "tcp-reset";
                        else if (v.has("expr")) with = (type.equals("icmpv6") ? "icmp6-" : "icmp-") + v.path("expr").asText();
                    }
                    target = new Target.Reject(with);
                }
                case "redirect", "dnat" -> {
                    String addr = v == null || !v.has("addr") ? null : v.path("addr").asText();
                    int p = v == null ? 0 : v.path("port").asInt(0);
                    if (v != null && v.path("port").isObject() && v.path("port").has("range")) {
                        JsonNode rg = v.path("port").path("range");
                        target = new Target.Nat(kind.equals("redirect") ? "REDIRECT" : "DNAT", rg.get(0).asInt(), rg.get(1).asInt(), addr);
                    } else {
                        target = new Target.Nat(kind.equals("redirect") ? "REDIRECT" : "DNAT", p, p, addr);
                    }
                }
                case "vmap" -> {
                    JsonNode key = v.path("key");
                    if (key.has("payload") && key.path("payload").path("field").asText().equals("dport")) {
                        String proto = key.path("payload").path("protocol").asText();
                        vmapProto = proto.equals("th") ? null : proto;
                        vmap = new ArrayList<>();
                        for (JsonNode pair : v.path("data").path("set")) {
                            List<String> k = values(pair.get(0), sets, setPrefix);
                            PortSet ps = RulePorts.list(String.join(",", k), Protocol.parse(vmapProto == null ? "tcp" : vmapProto), '-',
                                    new RulePorts.Place(source, 0, 0, text, problems, names));
                            JsonNode verdict = pair.get(1);
                            String vk = verdict.fieldNames().hasNext() ? verdict.fieldNames().next() : "";
                            Target tg = switch (vk) {
                                case "accept" -> new Target.Accept();
                                case "drop" -> new Target.Drop();
                                case "return" -> new Target.Return();
                                case "jump" -> new Target.Jump(verdict.path("jump").path("target").asText());
                                case "goto" -> new Target.Goto(verdict.path("goto").path("target").asText());
                                default -> new Target.Unknown(verdict.toString());
                            };
                            if (ps != null) vmap.add(Map.entry(ps, tg));
                        }
                    } else {
                        target = new Target.Unknown(text);
                    }
                }
                default -> {
                    if (kind.equals("xt")) {
                        problems.add(ParseProblem.warning(source, 0, 0, text, L10n.t("pp.nftj.xt", v == null ? "?" : v.path("name").asText())));
                        String name = v == null ? "" : v.path("name").asText();
                        if (v != null && v.path("type").asText().equals("target")) {
                            // nft -j hides xt target options: a REJECT still refuses (its ICMP type is not shown;
                            // iptables' default icmp-port-unreachable is assumed), LOG/NFLOG/SNAT/MASQUERADE do not decide
                            target = switch (name) {
                                case "REJECT" -> new Target.Reject(null);
                                case "LOG", "NFLOG", "SNAT", "MASQUERADE", "MARK", "CONNMARK", "TCPMSS" -> new Target.Continue(name);
                                default -> new Target.Unknown("xt " + name);
                            };
                        } else if (!name.equals("comment")) {
                            ms.add(new Match.Unknown("xt " + name));
                        }
                    } else {
                        ms.add(new Match.Unknown(e.toString()));
                        if (!kind.matches("[a-z][a-z_]*")) {
                            problems.add(ParseProblem.error(source, 0, 0, text, L10n.t("pp.nftj.expr", Text.printable(kind, 30))));
                        } else {
                            problems.add(ParseProblem.warning(source, 0, 0, text, L10n.t("pp.nftj.stmt", kind)));
                        }
                    }
                }
            }
        }
        int index = cb.rules.size() + 1;
        if (vmap != null) {
            for (var en : vmap) {
                List<Match> m2 = new ArrayList<>(ms);
                m2.add(new Match.Ports(Match.PortField.DPORT, vmapProto, en.getKey(), false));
                cb.rules.add(new Rule(index, m2, en.getValue(), text, where, 0, handle));
            }
            return;
        }
        cb.rules.add(new Rule(index, ms, target, text, where, 0, handle));
    }

    /** Values of a match's right side as text the shared readers understand: "22", "1024-65535", "10.0.0.0/8". */
    private static List<String> values(JsonNode right, Map<String, List<JsonNode>> sets, String setPrefix) {
        List<String> out = new ArrayList<>();
        if (right == null || right.isNull()) return out;
        if (right.isTextual() && right.asText().startsWith("@")) {
            for (JsonNode e : sets.getOrDefault(setPrefix + right.asText().substring(1), List.of())) out.addAll(values(e, sets, setPrefix));
            return out;
        }
        if (right.isArray()) {
            for (JsonNode e : right) out.addAll(values(e, sets, setPrefix));
            return out;
        }
        if (right.isObject()) {
            if (right.has("set")) return values(right.get("set"), sets, setPrefix);
            if (right.has("range")) {
                out.add(right.get("range").get(0).asText() + "-" + right.get("range").get(1).asText());
                return out;
            }
            if (right.has("prefix")) {
                out.add(right.get("prefix").path("addr").asText() + "/" + right.get("prefix").path("len").asText());
                return out;
            }
            if (right.has("elem")) return values(right.get("elem").path("val"), sets, setPrefix);
            out.add(right.toString());
            return out;
        }
        out.add(right.asText());
        return out;
    }

    /** A readable one-line form of a JSON rule, close to what {@code nft list ruleset} prints. */
    static String render(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : r.path("expr")) {
            String kind = e.fieldNames().hasNext() ? e.fieldNames().next() : "";
            JsonNode v = e.get(kind);
            if (!sb.isEmpty()) sb.append(' ');
            switch (kind) {
                case "match" -> {
                    JsonNode l = v.path("left");
                    if (l.has("payload")) sb.append(l.path("payload").path("protocol").asText()).append(' ').append(l.path("payload").path("field").asText());
                    else if (l.has("meta")) sb.append("meta ").append(l.path("meta").path("key").asText());
                    else if (l.has("ct")) sb.append("ct ").append(l.path("ct").path("key").asText());
                    else sb.append(l);
                    String op = v.path("op").asText("==");
                    if (!op.equals("==") && !op.equals("in")) sb.append(' ').append(op);
                    sb.append(' ').append(String.join(",", values(v.path("right"), Map.of(), "")));
                }
                case "counter" -> sb.append("counter");
                case "jump", "goto" -> sb.append(kind).append(' ').append(v.path("target").asText());
                default -> sb.append(kind).append(v == null || v.isNull() ? "" : " " + v);
            }
        }
        if (r.has("comment")) sb.append(" comment \"").append(r.path("comment").asText()).append('"');
        return sb.toString();
    }
}
