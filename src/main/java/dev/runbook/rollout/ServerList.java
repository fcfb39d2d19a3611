package dev.runbook.rollout;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.runbook.command.ServerName;

/**
 * Server names as process variables hold them: {@code EX01,EX02} and {@code CAS01=NLB01,CAS02=NLB01}. Plain text, so
 * that Cockpit shows them and no Java serialisation is needed; parsed back through {@link ServerName}, so that nothing
 * unvalidated reaches a command.
 */
public final class ServerList {

	private ServerList() {
	}

	public static List<ServerName> parse(String text) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(ServerName::of)
				.distinct().toList();
	}

	public static String format(Collection<ServerName> servers) {
		return servers.stream().map(ServerName::value).collect(Collectors.joining(","));
	}

	/** For reports: {@code EX01, EX02}, or {@code none}. */
	public static String readable(Collection<ServerName> servers) {
		return servers.isEmpty() ? "none" : servers.stream().map(ServerName::value).collect(Collectors.joining(", "));
	}

	public static Map<ServerName, String> parseMap(String text) {
		Map<ServerName, String> map = new LinkedHashMap<>();
		if (text == null || text.isBlank()) {
			return map;
		}
		for (String entry : text.split(",")) {
			String[] parts = entry.split("=", 2);
			if (parts.length == 2 && !parts[0].isBlank()) {
				map.put(ServerName.of(parts[0].trim()), parts[1].trim());
			}
		}
		return map;
	}

	public static String formatMap(Map<ServerName, ?> map) {
		return map.entrySet().stream().map(e -> e.getKey().value() + "=" + e.getValue()).collect(Collectors.joining(","));
	}
}
