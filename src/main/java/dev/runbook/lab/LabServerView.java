package dev.runbook.lab;

import java.util.List;
import java.util.Map;

/** A server as {@code GET /api/lab/servers} shows it. */
public record LabServerView(String name, List<String> roles, String dag, String build, Map<String, String> components,
		String clusterNode, String autoActivationPolicy, Boolean activationDisabledAndMoveNow,
		List<String> activeDatabases, int queuedMessages, boolean pendingReboot, String nlbNode, boolean reachable,
		String setup) {
}
