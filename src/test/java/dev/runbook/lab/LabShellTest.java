package dev.runbook.lab;

import static dev.runbook.lab.TestLab.EX01;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.runbook.command.ExchangeCommand.GetQueue;

class LabShellTest {

	@Test
	void runsEveryCommandInTheLabAndJournalsIt() {
		TestLab t = new TestLab();
		LabShell shell = new LabShell(t.lab);

		assertThat(shell.run(new GetQueue(EX01)).server()).isEqualTo(EX01);
		assertThat(t.lab.journal()).singleElement().satisfies(e -> assertThat(e.command()).isEqualTo("Get-Queue -Server 'EX01'"));
	}

	@Test
	void movesAtTheLabClocksPace() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), LabClock.scaled(120));

		assertThat(new LabShell(lab).timeScale()).isEqualTo(120.0);
		assertThat(new LabShell(new TestLab().lab).timeScale()).isEqualTo(1.0);
	}

	@Test
	void aScaledClockNeedsAPositiveScale() {
		assertThatThrownBy(() -> LabClock.scaled(0)).hasMessageContaining("must be positive");
		assertThatThrownBy(() -> LabClock.scaled(-1)).hasMessageContaining("must be positive");
		assertThatThrownBy(() -> LabClock.scaled(Double.NaN)).hasMessageContaining("must be positive");
	}
}
