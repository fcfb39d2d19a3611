package dev.runbook.audit;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What a command answered, as small JSON for the audit trail: the result record as it is, cut down where it is large
 * (long lists, long text, deep nesting), so that one record stays a few kilobytes whatever a server answers.
 */
final class ResultSummary {

	static final int MAX_ITEMS = 25;
	static final int MAX_TEXT = 500;
	static final int MAX_DEPTH = 5;

	private ResultSummary() {
	}

	static JsonNode of(Object result) {
		if (result == null) {
			return null;
		}
		return shrink(AuditJson.mapper().valueToTree(result), 0);
	}

	private static JsonNode shrink(JsonNode node, int depth) {
		if (node.isTextual()) {
			String text = node.asText();
			return text.length() <= MAX_TEXT ? node : TextNode.valueOf(text.substring(0, MAX_TEXT) + "…");
		}
		if (!node.isContainerNode()) {
			return node;
		}
		if (depth >= MAX_DEPTH) {
			return TextNode.valueOf("…");
		}
		if (node.isArray()) {
			ArrayNode out = JsonNodeFactory.instance.arrayNode();
			for (int i = 0; i < node.size() && i < MAX_ITEMS; i++) {
				out.add(shrink(node.get(i), depth + 1));
			}
			if (node.size() > MAX_ITEMS) {
				out.add("… " + (node.size() - MAX_ITEMS) + " more");
			}
			return out;
		}
		ObjectNode out = JsonNodeFactory.instance.objectNode();
		for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			out.set(field.getKey(), shrink(field.getValue(), depth + 1));
		}
		return out;
	}
}
