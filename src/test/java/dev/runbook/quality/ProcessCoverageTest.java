package dev.runbook.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's arithmetic: reports of several test classes are joined per process, and what none passed is named. */
class ProcessCoverageTest {

	static final String MODEL = """
			<?xml version="1.0" encoding="UTF-8"?>
			<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t" id="d">
			  <process id="p" isExecutable="true">
			    <startEvent id="Start"/>
			    <sequenceFlow id="F1" sourceRef="Start" targetRef="Choice"/>
			    <exclusiveGateway id="Choice"/>
			    <sequenceFlow id="F2" sourceRef="Choice" targetRef="Inner"/>
			    <sequenceFlow id="F3" sourceRef="Choice" targetRef="End"/>
			    <subProcess id="Inner">
			      <startEvent id="InnerStart"/>
			      <sequenceFlow id="F4" sourceRef="InnerStart" targetRef="InnerEnd"/>
			      <endEvent id="InnerEnd"/>
			    </subProcess>
			    <sequenceFlow id="F5" sourceRef="Inner" targetRef="End"/>
			    <endEvent id="End"/>
			  </process>
			</definitions>
			""";

	@TempDir
	Path dir;

	@Test
	void joinsTheClassesReportsPerProcess() throws IOException {
		Path processes = Files.createDirectories(dir.resolve("processes"));
		Files.writeString(processes.resolve("p.bpmn"), MODEL);
		report("A", "p", "Start", "F1", "Choice", "F3", "End");
		report("B", "p", "Start", "F1", "Choice", "F2", "Inner", "InnerStart", "F4", "InnerEnd");
		report("C", "other", "F5");

		ProcessCoverage p = ProcessCoverage.measure(processes, dir.resolve("reports")).get(0);

		assertThat(p.flowNodes()).containsExactly("Choice", "End", "Inner", "InnerEnd", "InnerStart", "Start");
		assertThat(p.missedFlowNodes()).isEmpty();
		assertThat(p.missedSequenceFlows()).as("F5 was passed only in another process").containsExactly("F5");
		assertThat(p.complete()).isFalse();
		assertThat(p.sequenceFlowRatio()).isEqualTo(0.8);
		assertThat(ProcessCoverage.table(List.of(p))).contains("p (p.bpmn) never passed: flow nodes [], sequence flows [F5]");
	}

	@Test
	void aProcessNoTestRanIsNotCovered() throws IOException {
		Path processes = Files.createDirectories(dir.resolve("processes"));
		Files.writeString(processes.resolve("p.bpmn"), MODEL);

		ProcessCoverage p = ProcessCoverage.measure(processes, dir.resolve("no-reports")).get(0);

		assertThat(p.flowNodeRatio()).isZero();
		assertThat(p.complete()).isFalse();
	}

	void report(String testClass, String modelKey, String... elements) throws IOException {
		StringBuilder events = new StringBuilder();
		for (String element : elements) {
			events.append(events.isEmpty() ? "" : ",").append("{\"type\":\"TAKE\",\"definitionKey\":\"").append(element)
					.append("\",\"modelKey\":\"").append(modelKey).append("\"}");
		}
		Path file = Files.createDirectories(dir.resolve("reports").resolve(testClass)).resolve("report.json");
		Files.writeString(file, "{\"suites\":[{\"runs\":[{\"events\":[" + events + "]}]}],\"models\":[]}");
	}
}
