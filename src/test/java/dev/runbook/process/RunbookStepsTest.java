package dev.runbook.process;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.LabShell;
import dev.runbook.lab.Topology;

class RunbookStepsTest {

	final LabShell shell = new LabShell(new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual()));

	@Test
	void aKeyRegisteredByTwoFamiliesIsRefusedAtStartup() {
		StepFamily another = () -> Map.of("suspend-cluster-node", step -> {
		});

		assertThatThrownBy(() -> new RunbookSteps(List.of(new ClusterSteps(), another), shell))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("'suspend-cluster-node' is registered twice");
	}

	@Test
	void anUnknownKeyIsRefusedWithTheKnownOnes() {
		RunbookSteps steps = new RunbookSteps(List.of(new ClusterSteps()), shell);

		assertThatThrownBy(() -> steps.run(null, "suspend-clusternode")).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("No step 'suspend-clusternode'").hasMessageContaining("suspend-cluster-node");
	}
}
