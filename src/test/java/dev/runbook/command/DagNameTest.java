package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DagNameTest {

	@Test
	void acceptsComputerLikeNamesAndComparesThemWithoutCase() {
		assertThat(DagName.of("dag01").value()).isEqualTo("DAG01");
		assertThat(DagName.of("  DAG-EMEA-01 ")).isEqualTo(DagName.of("dag-emea-01"));
		assertThat(DagName.of("D").value()).isEqualTo("D");
		assertThat(DagName.of("ABCDEFGHIJKLMNO").value()).hasSize(15);
	}

	@ParameterizedTest
	@ValueSource(strings = { "DAG01'; Remove-Item C:\\ -Recurse; '", "DAG01`$(calc)", "DAG$(calc)", "DAG01\u2019",
			"DAG 01", "DAG01.contoso.local", "DAG_01", "-DAG01", "DAG01-", "ABCDEFGHIJKLMNOP", "12345", "DAG\u0130",
			"DAG01\\*", "DAG*" })
	void refusesAnythingButAComputerName(String raw) {
		assertThatThrownBy(() -> DagName.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("DAG name '");
	}

	@Test
	void refusesControlCharactersAndShowsThemEscaped() {
		assertThatThrownBy(() -> DagName.of("DAG01\nInjected: line")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("DAG01\\u000aInjected").hasMessageContaining("control characters");
		assertThatThrownBy(() -> DagName.of(" ")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("required");
		assertThatThrownBy(() -> DagName.of(null)).isInstanceOf(InvalidInputException.class);
	}

	@Test
	void reachesTheCommandLineOnlyQuoted() {
		String line = PowerShell.render(new ExchangeCommand.GetClusterQuorum(ServerName.of("EX01"), DagName.of("dag01")));

		assertThat(line).isEqualTo("Get-ClusterQuorum -Cluster 'DAG01'");
	}
}
