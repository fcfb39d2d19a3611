package dev.runbook.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The coverage gate. Failsafe runs it after the whole unit and process test suite, when every test class has written
 * its camunda-process-test-coverage report: each process in {@code processes/} must have had every flow node and
 * every sequence flow passed by some test. The table goes to the build log and to
 * {@code target/process-test-coverage/summary.txt}, beside the per-class HTML reports.
 */
class ProcessCoverageIT {

	static final Path REPORTS = Path.of("target", "process-test-coverage");

	@Test
	void everyProcessIsFullyCoveredBySomeTest() throws IOException {
		List<ProcessCoverage> processes = ProcessCoverage.measure(Path.of("processes"), REPORTS);
		String table = ProcessCoverage.table(processes);
		System.out.println("Process test coverage (all test classes joined)\n" + table);
		Files.createDirectories(REPORTS);
		Files.writeString(REPORTS.resolve("summary.txt"), table);

		assertThat(processes).as("processes found in processes/").hasSizeGreaterThanOrEqualTo(10);
		assertThat(processes).as(table).allSatisfy(process -> assertThat(process.complete())
				.as("%s: every flow node and sequence flow passed by some test", process.key()).isTrue());
	}
}
