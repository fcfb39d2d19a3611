package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;

class TopologyTest {

	static Topology read(String json) throws IOException {
		return Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
	}

	/** A small valid document; each test breaks one thing in it. */
	static String document(String dags, String clientAccess, String media, String conditions) {
		return """
				{ "organisation": "Fabrikam", "domain": "fabrikam.local", "build": "15.1.2375.7",
				  "media": [ %s ],
				  "dags": [ %s ],
				  "clientAccess": [ %s ],
				  "conditions": [ %s ] }
				""".formatted(media, dags, clientAccess, conditions);
	}

	static final String MEDIA = """
			{ "path": "D:\\\\Media\\\\CU23\\\\Setup.exe", "build": "15.1.2507.6" }""";
	static final String DAG = """
			{ "name": "DAG01", "witnessServer": "FS01", "members": ["MBX1", "MBX2"],
			  "databases": [ { "name": "DB1", "copies": ["MBX1", "MBX2"] } ] }""";
	static final String CAS = """
			{ "name": "CAS1", "nlbCluster": "NLB1" }""";

	@Test
	void readsAValidDocument() throws IOException {
		Topology t = read(document(DAG, CAS, MEDIA, "{ \"server\": \"MBX2\", \"build\": \"15.1.2308.8\", \"pendingReboot\": true }"));

		assertThat(t.organisation()).isEqualTo("Fabrikam");
		assertThat(t.dags()).singleElement().satisfies(d -> assertThat(d.members()).containsExactly("MBX1", "MBX2"));
		assertThat(t.conditions()).singleElement().satisfies(c -> assertThat(c.pendingReboot()).isTrue());

		TestLab lab = new TestLab(t);
		assertThat(lab.lab.server(ServerName.of("MBX2")).orElseThrow())
				.satisfies(v -> {
					assertThat(v.build()).isEqualTo("15.1.2308.8");
					assertThat(v.pendingReboot()).isTrue();
				});
		assertThat(lab.lab.describe(ServerName.of("MBX1")).orElseThrow().fqdn()).isEqualTo("mbx1.fabrikam.local");
	}

	@Test
	void theBundledOrganisationHasOneDagOfFourAndTwoClientAccessServers() {
		Topology t = Topology.bundledDefault();

		assertThat(t.build()).isEqualTo("15.0.1473.3");
		assertThat(t.dags()).singleElement().satisfies(d -> {
			assertThat(d.members()).containsExactly("EX01", "EX02", "EX03", "EX04");
			assertThat(d.databases()).hasSize(8).allSatisfy(db -> assertThat(db.copies()).hasSize(3));
		});
		assertThat(t.clientAccess()).extracting(Topology.ClientAccess::name).containsExactly("CAS01", "CAS02");
		assertThat(t.media()).singleElement().satisfies(m -> assertThat(m.build()).isEqualTo("15.0.1497.2"));
	}

	@Test
	void defaultsTheOrganisationAndDomain() {
		Topology t = new Topology(null, null, "15.0.1473.3", null, null, null, null);

		assertThat(t.organisation()).isEqualTo("Contoso");
		assertThat(t.domain()).isEqualTo("contoso.local");
		assertThat(t.dags()).isEmpty();
	}

	@Test
	void refusesAServerNamedTwice() {
		String twiceInDag = DAG.replace("\"MBX1\", \"MBX2\"]", "\"MBX1\", \"mbx1\"]");
		assertThatThrownBy(() -> read(document(twiceInDag, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("appears twice");
		String casInDag = CAS.replace("CAS1", "MBX2");
		assertThatThrownBy(() -> read(document(DAG, casInDag, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessage("Server MBX2 appears twice in the topology.");
	}

	@Test
	void refusesACopyOnAServerOutsideTheDag() {
		String outside = DAG.replace("\"copies\": [\"MBX1\", \"MBX2\"]", "\"copies\": [\"MBX1\", \"CAS1\"]");

		assertThatThrownBy(() -> read(document(outside, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessage("Database DB1 has a copy on CAS1, which is not a member of DAG01.");
	}

	@Test
	void refusesADatabaseNamedTwiceInADag() {
		String twice = DAG.replace("} ] }", "}, { \"name\": \"db1\", \"copies\": [\"MBX2\"] } ] }");

		assertThatThrownBy(() -> read(document(twice, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("Database db1 appears twice");
	}

	@Test
	void refusesADatabaseWithoutCopiesOrWithACopyNamedTwice() {
		String none = DAG.replace("\"copies\": [\"MBX1\", \"MBX2\"]", "\"copies\": []");
		assertThatThrownBy(() -> read(document(none, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("Database DB1 has no copies");
		String missing = DAG.replace(", \"copies\": [\"MBX1\", \"MBX2\"]", "");
		assertThatThrownBy(() -> read(document(missing, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("Database DB1 has no copies");
		String twice = DAG.replace("\"copies\": [\"MBX1\", \"MBX2\"]", "\"copies\": [\"MBX1\", \"mbx1\"]");
		assertThatThrownBy(() -> read(document(twice, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("Database DB1 names a server twice");
	}

	/** Database and DAG names are unique in an Exchange organisation, not only within a DAG. */
	@Test
	void refusesADatabaseOrDagNamedTwiceInTheOrganisation() throws IOException {
		String second = """
				{ "name": "DAG02", "members": ["MBX3", "MBX4"], "databases": [ { "name": "db1", "copies": ["MBX3", "MBX4"] } ] }""";
		assertThatThrownBy(() -> read(document(DAG + ", " + second, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("Database db1 appears twice");
		String sameDag = second.replace("DAG02", "dag01").replace("db1", "DB2");
		assertThatThrownBy(() -> read(document(DAG + ", " + sameDag, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("DAG dag01 appears twice");
		assertThat(read(document(DAG + ", " + second.replace("db1", "DB2"), CAS, MEDIA, "")).dags()).hasSize(2);
	}

	@Test
	void refusesTheSameMediaTwice() {
		String again = MEDIA.replace("D:", "d:").replace("15.1.2507.6", "15.1.2375.7");

		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA + ", " + again, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("appears twice among the media");
	}

	@Test
	void refusesABadWitnessServerOrDomain() throws IOException {
		assertThatThrownBy(() -> read(document(DAG.replace("\"FS01\"", "\"FS01; calc\""), CAS, MEDIA, "")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a valid host name");
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA, "").replace("fabrikam.local", "fabrikam local")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("fabrikam local");
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA, "").replace("fabrikam.local", "fabrikam.local'")))
				.isInstanceOf(InvalidInputException.class);
		assertThat(read(document(DAG, CAS, MEDIA, "").replace("fabrikam.local", "corp.emea.a-very-long-division-name.example")).domain())
				.endsWith(".example");
	}

	@Test
	void refusesBadServerNames() {
		String injected = DAG.replace("\"MBX2\"]", "\"MBX2; Remove-Item C:\\\\\"]");

		assertThatThrownBy(() -> read(document(injected, CAS, MEDIA, ""))).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("is not a valid host name");
		assertThatThrownBy(() -> read(document(DAG, CAS.replace("CAS1", "CAS1'"), MEDIA, "")))
				.isInstanceOf(InvalidInputException.class);
	}

	@Test
	void refusesBadDagAndDatabaseNames() {
		assertThatThrownBy(() -> read(document(DAG.replace("DAG01", "DAG01'"), CAS, MEDIA, "")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("DAG name 'DAG01'' is not accepted");
		assertThatThrownBy(() -> read(document(DAG.replace("\"DB1\"", "\"DB1$(calc)\""), CAS, MEDIA, "")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("Database name");
		assertThatThrownBy(() -> read(document(DAG.replace("\"DB1\"", "\"DB1\\nforged\""), CAS, MEDIA, "")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("DB1\\u000aforged")
				.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
	}

	@Test
	void refusesBadBuildsAndMedia() {
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA, "").replace("\"build\": \"15.1.2375.7\"", "\"build\": \"2016 CU22\"")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an Exchange build number");
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA.replace("D:", "Media"), "")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("must be an absolute path");
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA.replace("15.1.2507.6", "latest"), "")))
				.isInstanceOf(InvalidInputException.class);
	}

	@Test
	void refusesAConditionForAServerItDoesNotHave() {
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA, "{ \"server\": \"MBX9\", \"pendingReboot\": true }")))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("names MBX9, which the topology does not have");
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA, "{ \"server\": \"MBX1\", \"build\": \"new\" }")))
				.isInstanceOf(InvalidInputException.class);
	}

	@Test
	void refusesUnknownFields() {
		assertThatThrownBy(() -> read(document(DAG, CAS, MEDIA, "").replace("\"organisation\"", "\"colour\": 1, \"organisation\"")))
				.isInstanceOf(IOException.class).hasMessageContaining("colour");
	}
}
