package dev.runbook.quality;

import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;

/**
 * The engine every process test runs on: the in-memory test engine of {@code camunda-test.cfg.xml}, with
 * camunda-process-test-coverage recording which flow nodes and sequence flows each test class passes. The class
 * reports land in {@code target/process-test-coverage/<test class>/}; {@link ProcessCoverageIT} joins them per
 * process and fails the build below 100%.
 */
public final class CoveredProcessEngine {

	private CoveredProcessEngine() {
	}

	public static ProcessEngineCoverageExtension extension() {
		return ProcessEngineCoverageExtension.builder("camunda-test.cfg.xml").build();
	}
}
