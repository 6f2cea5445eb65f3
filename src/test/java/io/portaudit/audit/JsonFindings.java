package io.portaudit.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Test helper: an audit document's findings one by one, as found: a merged finding's reasons, and the others. */
public final class JsonFindings {
    private JsonFindings() {}

    public static List<JsonNode> atoms(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : root.path("findings")) {
            if (f.path("reasons").isArray() && !f.path("reasons").isEmpty()) f.path("reasons").forEach(out::add);
            else out.add(f);
        }
        return out;
    }
}
