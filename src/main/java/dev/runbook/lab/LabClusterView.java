package dev.runbook.lab;

import java.util.List;

/** An Exchange 2003 cluster as {@code GET /api/lab/clusters} shows it. */
public record LabClusterView(String name, List<Node> nodes, List<Group> groups, List<FrontEnd> frontEnds) {

	public record Node(String name, String build, String state, List<String> hotfixes) {
	}

	public record Group(String name, String owner, List<Resource> resources) {
	}

	public record Resource(String name, String state) {
	}

	public record FrontEnd(String name, String build) {
	}
}
