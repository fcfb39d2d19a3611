package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.runbook.command.InvalidInputException;

/** The topology document's rollout fields: forest, witness and per-server conditions, and what it refuses. */
class TopologyConditionsTest {

	private static Topology read(String json) throws IOException {
		return Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
	}

	private static String organisation(String dagExtra, String conditions, String activeDirectory) {
		return """
				{"build": "15.0.1473.3",
				 "dags": [{"name": "DAG01", "witnessServer": "FS01", "members": ["EX01", "EX02"],
				           "databases": [{"name": "DB01", "copies": ["EX01", "EX02"]}]%s}],
				 "clientAccess": [{"name": "CAS01", "nlbCluster": "NLB01"}],
				 "conditions": %s, "activeDirectory": %s}
				""".formatted(dagExtra, conditions, activeDirectory);
	}

	@Test
	void readsEveryConditionTheRolloutNeeds() throws IOException {
		Topology t = read(organisation(", \"witnessOffline\": true", """
				[{"server": "EX01", "ipv6Disabled": true, "defenderAbsent": true, "blockedPorts": [445, 64327],
				  "mediaUnreachable": true, "clusterNodeDown": true},
				 {"server": "CAS01", "antivirusExclusionsMissing": true, "pendingReboot": true}]""",
				"{\"otherDomains\": [\"emea.contoso.local\"], \"schemaPreparedFor\": \"15.0.1497.2\"}"));

		Topology.ServerCondition ex01 = t.conditions().get(0);
		assertThat(ex01.ipv6Disabled()).isTrue();
		assertThat(ex01.defenderAbsent()).isTrue();
		assertThat(ex01.blockedPorts()).containsExactly(445, 64327);
		assertThat(ex01.mediaUnreachable()).isTrue();
		assertThat(ex01.clusterNodeDown()).isTrue();
		assertThat(t.conditions().get(1).antivirusExclusionsMissing()).isTrue();
		assertThat(t.conditions().get(1).blockedPorts()).isEmpty();
		assertThat(t.dags().get(0).witnessOffline()).isTrue();
		assertThat(t.activeDirectory().otherDomains()).containsExactly("emea.contoso.local");
		assertThat(t.activeDirectory().schemaPreparedFor()).isEqualTo("15.0.1497.2");
		assertThat(t.activeDirectory().organizationPreparedFor()).isNull();
	}

	@Test
	void aDocumentWithoutTheRolloutFieldsStillReadsAsAHealthyOneDomainForest() throws IOException {
		Topology t = read("""
				{"build": "15.0.1473.3",
				 "dags": [{"name": "DAG01", "witnessServer": "FS01", "members": ["EX01", "EX02"], "databases": []}],
				 "conditions": [{"server": "EX02", "pendingReboot": true}]}
				""");

		assertThat(t.activeDirectory().otherDomains()).isEmpty();
		assertThat(t.dags().get(0).witnessOffline()).isNull();
		assertThat(t.conditions().get(0).ipv6Disabled()).isNull();
		assertThat(new Topology(t.organisation(), t.domain(), t.build(), t.media(), t.dags(), t.clientAccess(), t.conditions()))
				.isEqualTo(t);
		assertThat(new Topology.ServerCondition("EX02", null, true)).isEqualTo(t.conditions().get(0));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"''|[{\"server\": \"EX01\", \"blockedPorts\": [70000]}]|null|blocks port 70000",
			"''|[{\"server\": \"EX09\", \"ipv6Disabled\": true}]|null|EX09, which the topology does not have",
			"''|[]|{\"otherDomains\": [\"emea,DC=evil\"]}|Domain name",
			"''|[]|{\"otherDomains\": [\"CONTOSO.local\"]}|appears twice",
			"''|[]|{\"schemaPreparedFor\": \"CU23\"}|not an Exchange build number" })
	void refusesABadCondition(String dagExtra, String conditions, String activeDirectory, String message) {
		assertThatThrownBy(() -> read(organisation(dagExtra, conditions, activeDirectory)))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"name\": \"DAG 01\", \"members\": [\"EX01\"], \"databases\": []}|DAG name",
			"{\"name\": \"DAG01\", \"witnessServer\": \"FS01;calc\", \"members\": [\"EX01\"], \"databases\": []}|Server name",
			"{\"name\": \"DAG01\", \"members\": [\"EX01\"], \"databases\": [{\"name\": \"DB01\", \"copies\": []}]}|has no copies",
			"{\"name\": \"DAG01\", \"members\": [\"EX01\"], \"databases\": [{\"name\": \"DB01\", \"copies\": [\"EX01\", \"ex01\"]}]}|names a server twice",
			"{\"name\": \"DAG01\", \"members\": [\"EX01\"], \"databases\": [{\"name\": \"DB01\\\\*\", \"copies\": [\"EX01\"]}]}|Database name" })
	void refusesABadDag(String dag, String message) {
		assertThatThrownBy(() -> read("{\"build\": \"15.0.1473.3\", \"dags\": [" + dag + "]}"))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
	}

	@Test
	void databaseAndDagNamesAreUniqueInTheOrganisation() {
		assertThatThrownBy(() -> read("""
				{"build": "15.0.1473.3", "dags": [
				  {"name": "DAG01", "members": ["EX01"], "databases": [{"name": "DB01", "copies": ["EX01"]}]},
				  {"name": "DAG02", "members": ["EX02"], "databases": [{"name": "db01", "copies": ["EX02"]}]}]}
				""")).isInstanceOf(InvalidInputException.class).hasMessageContaining("unique in an organisation");
		assertThatThrownBy(() -> read("""
				{"build": "15.0.1473.3", "dags": [
				  {"name": "DAG01", "members": ["EX01"], "databases": []},
				  {"name": "dag01", "members": ["EX02"], "databases": []}]}
				""")).isInstanceOf(InvalidInputException.class).hasMessageContaining("DAG dag01 appears twice");
	}

	@Test
	void theBundledDefaultIsTheHealthyOrganisation() {
		Topology t = Topology.bundledDefault();

		assertThat(t.conditions()).isEmpty();
		assertThat(t.activeDirectory()).isEqualTo(new Topology.ActiveDirectory(List.of(), null, null));
		assertThat(t.dags()).singleElement().satisfies(d -> assertThat(d.witnessOffline()).isNull());
	}
}
