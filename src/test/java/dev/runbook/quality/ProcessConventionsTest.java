package dev.runbook.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rules every process in {@code processes/} follows, because managers read these diagrams in Cockpit and
 * operators read the names: full diagram interchange, no overlapping shapes, every element named, history TTL,
 * and every step that touches a server asynchronous with a retry cycle.
 */
class ProcessConventionsTest {

	private static final Path PROCESSES = Path.of("processes");

	@TestFactory
	Stream<DynamicTest> everyProcessFollowsTheConventions() throws IOException {
		List<Path> files;
		try (Stream<Path> list = Files.list(PROCESSES)) {
			files = list.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
		}
		assertThat(files).as("BPMN files in processes/").isNotEmpty();
		return files.stream().flatMap(file -> {
			BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
			String name = file.getFileName().toString();
			return Stream.of(
					DynamicTest.dynamicTest(name + ": every flow node and sequence flow has diagram interchange", () -> diagramInterchange(model)),
					DynamicTest.dynamicTest(name + ": no two shapes overlap", () -> noOverlaps(model)),
					DynamicTest.dynamicTest(name + ": every element is named", () -> named(model)),
					DynamicTest.dynamicTest(name + ": executable with a history time to live", () -> historyTimeToLive(model)),
					DynamicTest.dynamicTest(name + ": service tasks are asynchronous with a retry cycle", () -> asyncWithRetries(model)));
		});
	}

	private static void diagramInterchange(BpmnModelInstance model) {
		List<String> shaped = model.getModelElementsByType(BpmnShape.class).stream()
				.map(s -> s.getBpmnElement().getId()).toList();
		List<String> edged = model.getModelElementsByType(BpmnEdge.class).stream()
				.filter(e -> e.getWaypoints().size() >= 2).map(e -> e.getBpmnElement().getId()).toList();
		assertThat(shaped).as("shapes").containsAll(ids(model.getModelElementsByType(FlowNode.class)));
		assertThat(edged).as("edges with waypoints").containsAll(ids(model.getModelElementsByType(SequenceFlow.class)));
	}

	private static void noOverlaps(BpmnModelInstance model) {
		List<BpmnShape> shapes = new ArrayList<>(model.getModelElementsByType(BpmnShape.class));
		List<String> overlaps = new ArrayList<>();
		for (int i = 0; i < shapes.size(); i++) {
			for (int j = i + 1; j < shapes.size(); j++) {
				BpmnShape a = shapes.get(i), b = shapes.get(j);
				if (intersect(a.getBounds(), b.getBounds()) && !contains(a.getBounds(), b.getBounds())
						&& !contains(b.getBounds(), a.getBounds()) && !attached(a, b) && !attached(b, a)) {
					overlaps.add(a.getBpmnElement().getId() + " × " + b.getBpmnElement().getId());
				}
			}
		}
		assertThat(overlaps).as("overlapping shapes").isEmpty();
	}

	private static void named(BpmnModelInstance model) {
		List<String> unnamed = new ArrayList<>();
		for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
			if (node.getName() == null || node.getName().isBlank()) {
				unnamed.add(node.getId());
			}
		}
		for (Gateway gateway : model.getModelElementsByType(Gateway.class)) {
			if (gateway.getOutgoing().size() > 1) {
				gateway.getOutgoing().stream().filter(f -> f.getName() == null || f.getName().isBlank())
						.forEach(f -> unnamed.add(f.getId() + " (a choice out of " + gateway.getId() + ")"));
			}
		}
		assertThat(unnamed).as("elements without a name").isEmpty();
	}

	private static void historyTimeToLive(BpmnModelInstance model) {
		for (Process process : model.getModelElementsByType(Process.class)) {
			assertThat(process.isExecutable()).as(process.getId() + " executable").isTrue();
			assertThat(process.getCamundaHistoryTimeToLiveString()).as(process.getId() + " historyTimeToLive").isNotBlank();
			assertThat(process.getName()).as(process.getId() + " name").isNotBlank();
		}
	}

	private static void asyncWithRetries(BpmnModelInstance model) {
		for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
			assertThat(task.isCamundaAsyncBefore()).as(task.getId() + " asyncBefore").isTrue();
			assertThat(task.getExtensionElements() == null ? List.of()
					: task.getExtensionElements().getElementsQuery().filterByType(CamundaFailedJobRetryTimeCycle.class).list())
					.as(task.getId() + " failedJobRetryTimeCycle").isNotEmpty();
		}
	}

	private static boolean attached(BpmnShape event, BpmnShape host) {
		return event.getBpmnElement() instanceof BoundaryEvent b && b.getAttachedTo().getId().equals(host.getBpmnElement().getId());
	}

	private static boolean intersect(Bounds a, Bounds b) {
		return a.getX() < b.getX() + b.getWidth() && b.getX() < a.getX() + a.getWidth()
				&& a.getY() < b.getY() + b.getHeight() && b.getY() < a.getY() + a.getHeight();
	}

	private static boolean contains(Bounds outer, Bounds inner) {
		return inner.getX() >= outer.getX() && inner.getY() >= outer.getY()
				&& inner.getX() + inner.getWidth() <= outer.getX() + outer.getWidth()
				&& inner.getY() + inner.getHeight() <= outer.getY() + outer.getHeight();
	}

	private static List<String> ids(Collection<? extends BaseElement> elements) {
		return elements.stream().map(BaseElement::getId).toList();
	}
}
