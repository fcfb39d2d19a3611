package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.ActiveDirectoryForest;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DirectoryPreparation;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.command.WindowsPath;

/** The forest and its preparation: read, raised by setup's preparation modes in order, skipped when already done. */
class LabActiveDirectoryTest {

	private static final ServerName EX01 = ServerName.of("EX01");
	private static final ExchangeBuild CU22 = ExchangeBuild.parse("15.0.1473.3");
	private static final ExchangeBuild CU23 = ExchangeBuild.parse("15.0.1497.2");
	private static final WindowsPath MEDIA = WindowsPath.of("D:\\Media\\Exchange2013-CU23\\Setup.exe");
	private static final DomainName ROOT = DomainName.of("contoso.local");
	private static final DomainName EMEA = DomainName.of("emea.contoso.local");

	private final LabClock.Manual clock = new LabClock.Manual();

	private static LabOrganisation lab(String activeDirectory, LabClock clock) throws IOException {
		String json = """
				{"build": "15.0.1473.3",
				 "media": [{"path": "D:\\\\Media\\\\Exchange2013-CU23\\\\Setup.exe", "build": "15.0.1497.2"}],
				 "dags": [{"name": "DAG01", "witnessServer": "FS01", "members": ["EX01", "EX02"],
				           "databases": [{"name": "DB01", "copies": ["EX01", "EX02"]}]}],
				 "activeDirectory": %s}
				""".formatted(activeDirectory);
		return new LabOrganisation(Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))), clock);
	}

	private static DirectoryPreparation preparation(LabOrganisation lab) {
		ActiveDirectoryForest forest = lab.execute(new GetADForest(EX01));
		return lab.execute(new GetActiveDirectoryPreparation(EX01, forest.name(), forest.domains()));
	}

	private static void setup(LabOrganisation lab, SetupMode mode) {
		lab.execute(new StartSetup(EX01, MEDIA, mode, LicenseSwitch.Classic));
	}

	@Test
	void theBundledForestHasOneDomainPreparedForTheInstalledCu() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		ActiveDirectoryForest forest = lab.execute(new GetADForest(EX01));
		DirectoryPreparation prep = preparation(lab);

		assertThat(forest.name()).isEqualTo(ROOT);
		assertThat(forest.domains()).containsExactly(ROOT);
		assertThat(forest.hasSeveralDomains()).isFalse();
		assertThat(prep.readyFor(CU22)).isTrue();
		assertThat(prep.readyFor(CU23)).isFalse();
	}

	@Test
	void prepareSchemaThenPrepareAdMakeTheForestReadyAndTheReadsShowIt() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		setup(lab, SetupMode.PrepareSchema);
		DirectoryPreparation afterSchema = preparation(lab);
		setup(lab, SetupMode.PrepareAD);
		DirectoryPreparation afterAd = preparation(lab);

		assertThat(afterSchema.schemaReadyFor(CU23)).isTrue();
		assertThat(afterSchema.organizationReadyFor(CU23)).isFalse();
		assertThat(afterAd.readyFor(CU23)).isTrue();
		assertThat(lab.schemaPreparedFor()).isEqualTo(CU23);
		assertThat(lab.organizationPreparedFor()).isEqualTo(CU23);
		assertThat(lab.journal()).filteredOn(JournalEntry::changesState).extracting(JournalEntry::command).containsExactly(
				"Set-Location -LiteralPath 'D:\\Media\\Exchange2013-CU23'; .\\Setup.exe /PrepareSchema /IAcceptExchangeServerLicenseTerms",
				"Set-Location -LiteralPath 'D:\\Media\\Exchange2013-CU23'; .\\Setup.exe /PrepareAD /IAcceptExchangeServerLicenseTerms");
	}

	@Test
	void prepareAdBeforeTheSchemaIsRefusedAndChangesNothing() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		assertThatThrownBy(() -> setup(lab, SetupMode.PrepareAD)).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("schema has not been prepared");
		assertThat(lab.organizationPreparedFor()).isEqualTo(CU22);
	}

	@Test
	void otherDomainsWaitForPrepareAllDomainsWhichWaitsForPrepareAd() throws IOException {
		LabOrganisation lab = lab("{\"otherDomains\": [\"emea.contoso.local\", \"APAC.contoso.local\"]}", clock);
		ActiveDirectoryForest forest = lab.execute(new GetADForest(EX01));

		setup(lab, SetupMode.PrepareSchema);
		assertThatThrownBy(() -> setup(lab, SetupMode.PrepareAllDomains)).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("run /PrepareAD first");
		setup(lab, SetupMode.PrepareAD);
		DirectoryPreparation afterAd = preparation(lab);
		setup(lab, SetupMode.PrepareAllDomains);

		assertThat(forest.hasSeveralDomains()).isTrue();
		assertThat(forest.domains()).containsExactly(ROOT, EMEA, DomainName.of("apac.contoso.local"));
		assertThat(afterAd.organizationReadyFor(CU23)).isTrue();
		assertThat(afterAd.domainsNotReadyFor(CU23)).containsExactly(DomainName.of("apac.contoso.local"), EMEA);
		assertThat(preparation(lab).readyFor(CU23)).isTrue();
	}

	@Test
	void anOrganisationAlreadyPreparedNeedsNothing() throws IOException {
		LabOrganisation lab = lab("{\"schemaPreparedFor\": \"15.0.1497.2\", \"organizationPreparedFor\": \"15.0.1497.2\"}", clock);

		assertThat(preparation(lab).readyFor(CU23)).isTrue();
		assertThat(lab.journal()).noneMatch(JournalEntry::changesState);
	}

	@Test
	void readingADomainOutsideTheForestOrAnotherForestFails() {
		LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);

		assertThatThrownBy(() -> lab.execute(new GetActiveDirectoryPreparation(EX01, ROOT, List.of(ROOT, EMEA))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("emea.contoso.local is not part of the forest");
		assertThatThrownBy(() -> lab.execute(new GetActiveDirectoryPreparation(EX01, DomainName.of("fabrikam.com"), List.of(ROOT))))
				.isInstanceOf(CommandFailedException.class).hasMessageContaining("Cannot find an object");
	}

	@Test
	void preparationFromAServerThatCannotReachTheMediaFails() throws IOException {
		String json = """
				{"build": "15.0.1473.3",
				 "media": [{"path": "D:\\\\Media\\\\Exchange2013-CU23\\\\Setup.exe", "build": "15.0.1497.2"}],
				 "dags": [{"name": "DAG01", "members": ["EX01", "EX02"], "databases": []}],
				 "conditions": [{"server": "EX01", "mediaUnreachable": true}]}
				""";
		LabOrganisation lab = new LabOrganisation(Topology.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))), clock);

		assertThatThrownBy(() -> setup(lab, SetupMode.PrepareSchema)).isInstanceOf(CommandFailedException.class)
				.hasMessageContaining("does not exist");
		lab.execute(new StartSetup(ServerName.of("EX02"), MEDIA, SetupMode.PrepareSchema, LicenseSwitch.Classic));
		assertThat(lab.schemaPreparedFor()).isEqualTo(CU23);
	}
}
