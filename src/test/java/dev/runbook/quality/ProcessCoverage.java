package dev.runbook.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How much of one process the whole test suite passed. camunda-process-test-coverage writes one report per test
 * class; a process is usually covered by several classes together, so the elements every class passed are joined
 * here and measured against the model as it is in {@code processes/}: every flow node and every sequence flow,
 * those of embedded sub-processes included.
 */
public record ProcessCoverage(String key, String file, SortedSet<String> flowNodes, SortedSet<String> sequenceFlows,
		Set<String> passed) {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Every process of every model in {@code processDirectory}, with what the reports under {@code reportDirectory} saw. */
	public static List<ProcessCoverage> measure(Path processDirectory, Path reportDirectory) {
		Map<String, Set<String>> passed = passedElements(reportDirectory);
		List<ProcessCoverage> processes = new ArrayList<>();
		try (Stream<Path> models = Files.list(processDirectory)) {
			for (Path model : models.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList()) {
				for (Process process : Bpmn.readModelFromFile(model.toFile()).getModelElementsByType(Process.class)) {
					SortedSet<String> flowNodes = new TreeSet<>();
					SortedSet<String> sequenceFlows = new TreeSet<>();
					collect(process.getFlowElements(), flowNodes, sequenceFlows);
					processes.add(new ProcessCoverage(process.getId(), model.getFileName().toString(), flowNodes,
							sequenceFlows, passed.getOrDefault(process.getId(), Set.of())));
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return processes;
	}

	/** Element ids per process key, joined over every report.json below {@code reportDirectory}. */
	static Map<String, Set<String>> passedElements(Path reportDirectory) {
		Map<String, Set<String>> passed = new HashMap<>();
		if (!Files.isDirectory(reportDirectory)) {
			return passed;
		}
		try (Stream<Path> files = Files.walk(reportDirectory)) {
			for (Path report : files.filter(p -> p.getFileName().toString().equals("report.json")).toList()) {
				for (JsonNode suite : JSON.readTree(report.toFile()).path("suites")) {
					for (JsonNode run : suite.path("runs")) {
						for (JsonNode event : run.path("events")) {
							passed.computeIfAbsent(event.path("modelKey").asText(), k -> new TreeSet<>())
									.add(event.path("definitionKey").asText());
						}
					}
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return passed;
	}

	private static void collect(Collection<FlowElement> elements, Set<String> flowNodes, Set<String> sequenceFlows) {
		for (FlowElement element : elements) {
			if (element instanceof FlowNode) {
				flowNodes.add(element.getId());
			} else if (element instanceof SequenceFlow) {
				sequenceFlows.add(element.getId());
			}
			if (element instanceof SubProcess subProcess) {
				collect(subProcess.getFlowElements(), flowNodes, sequenceFlows);
			}
		}
	}

	public SortedSet<String> missedFlowNodes() {
		return missed(flowNodes);
	}

	public SortedSet<String> missedSequenceFlows() {
		return missed(sequenceFlows);
	}

	public double flowNodeRatio() {
		return ratio(flowNodes.size(), missedFlowNodes().size());
	}

	public double sequenceFlowRatio() {
		return ratio(sequenceFlows.size(), missedSequenceFlows().size());
	}

	public boolean complete() {
		return missedFlowNodes().isEmpty() && missedSequenceFlows().isEmpty();
	}

	/** A table for the build log: one line per process, then what each incomplete process never passed. */
	public static String table(List<ProcessCoverage> processes) {
		StringBuilder table = new StringBuilder(
				String.format(Locale.ROOT, "%-36s %-21s%s%n", "process", "flow nodes", "sequence flows"));
		for (ProcessCoverage process : processes) {
			table.append(String.format(Locale.ROOT, "%-36s %4d/%-4d %6.1f%%    %4d/%-4d %6.1f%%%n", process.key(),
					process.flowNodes().size() - process.missedFlowNodes().size(), process.flowNodes().size(),
					100 * process.flowNodeRatio(),
					process.sequenceFlows().size() - process.missedSequenceFlows().size(),
					process.sequenceFlows().size(), 100 * process.sequenceFlowRatio()));
		}
		for (ProcessCoverage process : processes) {
			if (!process.complete()) {
				table.append(String.format(Locale.ROOT, "%s (%s) never passed: flow nodes %s, sequence flows %s%n",
						process.key(), process.file(), process.missedFlowNodes(), process.missedSequenceFlows()));
			}
		}
		return table.toString();
	}

	private SortedSet<String> missed(SortedSet<String> ids) {
		SortedSet<String> missed = new TreeSet<>(ids);
		missed.removeAll(passed);
		return missed;
	}

	private static double ratio(int total, int missed) {
		return total == 0 ? 1.0 : (double) (total - missed) / total;
	}
}
