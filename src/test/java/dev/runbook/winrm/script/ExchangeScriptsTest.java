package dev.runbook.winrm.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.*;
import dev.runbook.command.ExchangeCommand.*;

/** The scripts are fixed text: values only ever travel in the payload, and every script fits WinRS's command line. */
class ExchangeScriptsTest {

	static final Pattern PAYLOAD = Pattern.compile("FromBase64String\\('([A-Za-z0-9+/=]*)'\\)");
	static final ServerName EX01 = ServerName.of("EX01");
	/** The longest values the value types accept: a 253-character DNS name and a 240-character path. */
	static final ServerName LONGEST = ServerName.of("EX0123456789ABC." + "a".repeat(63) + "." + "b".repeat(63) + "."
			+ "c".repeat(63) + "." + "d".repeat(41));
	/** A long but real-world forest: each domain's name travels several times in the preparation read. */
	static final DomainName LONG_DOMAIN = DomainName.of("corp-" + "x".repeat(40) + ".example.com");
	static final WindowsPath LONGEST_PATH = WindowsPath.of("D:\\" + "M".repeat(226) + "\\Setup.exe");

	static List<ExchangeCommand<?>> everyCommand(ServerName s) {
		return List.of(new SetServerComponentState(s, Component.ServerWideOffline, ComponentState.Inactive,
				Requester.Maintenance), new GetServerComponentState(s), new RestartService(s, WindowsService.MSExchangeTransport),
				new RedirectMessage(s, s), new GetQueue(s), new SuspendClusterNode(s), new ResumeClusterNode(s),
				new GetClusterNode(s), new SetDatabaseCopyActivationDisabledAndMoveNow(s, false),
				new SetDatabaseCopyAutoActivationPolicy(s, AutoActivationPolicy.IntrasiteOnly), new GetMailboxServer(s),
				new GetMailboxDatabaseCopyStatus(s), new MoveActiveMailboxDatabase(s), new GetExchangeServer(s),
				new TestPendingReboot(s), new StartSetup(s, LONGEST_PATH, SetupMode.Upgrade, LicenseSwitch.DiagnosticDataOFF),
				new GetSetupStatus(s), new RestartComputer(s), new TestWSMan(s),
				new GetDatabaseAvailabilityGroup(s, DagName.of("DAG-LONGEST-012")), new GetExchangeServers(s),
				new GetMailboxDatabases(s), new GetClusterNodes(s, DagName.of("DAG01")), new GetClusterQuorum(s, DagName.of("DAG01")),
				new TestReplicationHealth(s), new GetDatabaseCopies(s, DatabaseName.of("D".repeat(64))),
				new ActivateDatabaseCopy(s, DatabaseName.of("D".repeat(64))), new GetNlbClusterNode(s),
				new StopNlbClusterNode(s, 240), new StartNlbClusterNode(s), new SuspendNlbClusterNode(s),
				new ResumeNlbClusterNode(s), new InvokeHealthCheck(s, s, HealthCheckPage.ActiveSync), new TestServiceHealth(s),
				new GetADForest(s), new GetActiveDirectoryPreparation(s, LONG_DOMAIN, List.of(LONG_DOMAIN,
						DomainName.of("emea." + LONG_DOMAIN), DomainName.of("apac." + LONG_DOMAIN))),
				new GetNetAdapterBinding(s), new GetMpPreference(s), new TestNetConnection(s, s, 64327),
				new TestPath(s, LONGEST_PATH), new GetFileVersion(s, LONGEST_PATH));
	}

	@Test
	void theExchange2003CommandsAreRefusedWithAClearMessageRatherThanSentHalfMade() {
		assertThatThrownBy(() -> ExchangeScripts.forCommand(new ExchangeCommand.GetClusterStatus(EX01)))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no script for GetClusterStatus");
	}

	/** Exchange 2003 clusters are rehearsed in the lab; their remote scripts are not written yet. */
	static final java.util.Set<String> EXCHANGE_2003 = java.util.Set.of("GetClusterStatus", "TakeClusterResourceOffline",
			"BringClusterResourceOnline", "MoveClusterGroup", "GetHotfix", "InstallHotfix", "StartServicePackInstaller",
			"GetServicePackStatus", "GetExchangeServerVersion", "GetApplicationLogErrors");

	@Test
	void everyCatalogueCommandHasAScript() {
		List<String> covered = everyCommand(EX01).stream().map(c -> c.getClass().getSimpleName()).toList();
		List<String> catalogue = List.of(ExchangeCommand.class.getPermittedSubclasses()).stream()
				.flatMap(k -> k.isInterface() ? List.of(k.getPermittedSubclasses()).stream() : java.util.stream.Stream.of(k))
				.map(Class::getSimpleName).filter(name -> !EXCHANGE_2003.contains(name)).toList();

		assertThat(covered).containsExactlyInAnyOrderElementsOf(catalogue);
		everyCommand(EX01).forEach(c -> assertThat(ExchangeScripts.forCommand(c).kind()).isEqualTo(c.getClass().getSimpleName()));
	}

	@Test
	void theTextIsTheTemplateWithOnlyThePayloadFilledIn() {
		for (ExchangeCommand<?> command : everyCommand(EX01)) {
			Script script = ExchangeScripts.forCommand(command);
			Matcher m = PAYLOAD.matcher(script.text());
			assertThat(m.find()).isTrue();
			assertThat(script.text().replace(m.group(1), Script.PAYLOAD_MARK)).isEqualTo(script.template());
			assertThat(script.template()).doesNotContain("EX01");
		}
	}

	@Test
	void valuesThatMeanSomethingToPowerShellOnlyEverAppearEncoded() throws Exception {
		WindowsPath odd = WindowsPath.of("D:\\Media (x86)\\CU+23 ..\\Setup.exe");
		Script script = ExchangeScripts.forCommand(new StartSetup(EX01, odd, SetupMode.Upgrade, LicenseSwitch.Classic));

		assertThat(script.text()).doesNotContain("(x86)").doesNotContain("CU+23");
		assertThat(script.template()).isEqualTo(ExchangeScripts.forCommand(new StartSetup(EX01,
				WindowsPath.of("D:\\Setup.exe"), SetupMode.Upgrade, LicenseSwitch.Classic)).template());
		assertThat(payload(script).path("c").get(0).path("LiteralPath").asText()).isEqualTo("D:\\Media (x86)\\CU+23 ..");
	}

	@Test
	void thePayloadCarriesTheCataloguesParametersAsNamedValues() throws Exception {
		JsonNode p = payload(ExchangeScripts.forCommand(new SetServerComponentState(EX01, Component.HubTransport,
				ComponentState.Draining, Requester.Maintenance)));
		assertThat(p.toString()).isEqualTo("{\"c\":[{\"Identity\":\"EX01\",\"Component\":\"HubTransport\","
				+ "\"State\":\"Draining\",\"Requester\":\"Maintenance\"}]}");

		JsonNode redirect = payload(ExchangeScripts.forCommand(new RedirectMessage(EX01, ServerName.of("EX02"))));
		assertThat(redirect.toString()).isEqualTo("{\"c\":[{\"Server\":\"EX01\",\"Target\":\"EX02\",\"Confirm\":false}]}");

		JsonNode restart = payload(ExchangeScripts.forCommand(new RestartComputer(EX01)));
		assertThat(restart.toString()).isEqualTo("{\"c\":[{\"ComputerName\":\"EX01\",\"Force\":true}]}");

		JsonNode setup = payload(ExchangeScripts.forCommand(new StartSetup(EX01,
				WindowsPath.of("D:\\Media\\CU23\\Setup.exe"), SetupMode.Upgrade, LicenseSwitch.DiagnosticDataOFF)));
		assertThat(setup.path("c").get(0).path("LiteralPath").asText()).isEqualTo("D:\\Media\\CU23");
		assertThat(setup.path("native").toString())
				.isEqualTo("[\"/m:upgrade\",\"/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF\"]");
		assertThat(setup.path("task").asText()).isEqualTo("ExchangeSetup");
	}

	@Test
	void exchangeCmdletsOpenTheExchangeSessionAndWindowsCmdletsDoNot() {
		assertThat(ExchangeScripts.forCommand(new GetQueue(EX01)).template())
				.contains("Use-Exchange 'Get-Queue'").contains("Get-Queue @a");
		assertThat(ExchangeScripts.forCommand(new SuspendClusterNode(EX01)).template())
				.doesNotContain("Use-Exchange '").contains("Suspend-ClusterNode @a");
		assertThat(ExchangeScripts.forCommand(new RestartService(EX01, WindowsService.MSExchangeTransport)).template())
				.doesNotContain("Use-Exchange '");
		// The restart happens after WinRM's answer, and a restart already scheduled is the step done.
		assertThat(ExchangeScripts.forCommand(new RestartComputer(EX01)).template())
				.contains("shutdown.exe /r /f /t 5").contains("-ne 1190").doesNotContain("Use-Exchange '");
		assertThat(Script.PROLOGUE).contains("-ConfigurationName Microsoft.Exchange")
				.contains("-ConnectionUri \"http://$f/PowerShell/\" -Authentication Kerberos");
	}

	@Test
	void everyScriptFitsWinRsCommandLineEvenWithTheLongestValues() {
		for (ExchangeCommand<?> command : everyCommand(LONGEST)) {
			String line = "powershell.exe -NoProfile -NonInteractive -EncodedCommand "
					+ ExchangeScripts.forCommand(command).encodedCommand();
			assertThat(line.length()).as(command.getClass().getSimpleName()).isLessThanOrEqualTo(8191);
		}
	}

	@Test
	void theEncodedCommandIsUtf16LittleEndianAsPowerShellReadsIt() {
		Script script = ExchangeScripts.forCommand(new GetQueue(EX01));

		assertThat(new String(Base64.getDecoder().decode(script.encodedCommand()), StandardCharsets.UTF_16LE))
				.isEqualTo(script.text());
		assertThat(Script.decodeCommand(script.encodedCommand())).isEqualTo(script.text());
	}

	@Test
	void theScriptFrameStopsOnErrorsKeepsTheExitCodeAndUsesTheSentinels() {
		String text = ExchangeScripts.forCommand(new GetQueue(EX01)).text();

		assertThat(text).startsWith("$ErrorActionPreference='Stop'").contains("ConvertTo-Json -InputObject $o -Compress -Depth 6")
				.contains("'" + Script.RESULT_SENTINEL + "'").contains("'" + Script.ERROR_SENTINEL + "'")
				.contains("$rc=1").endsWith("exit $rc\n");
	}

	static JsonNode payload(Script script) throws Exception {
		Matcher m = PAYLOAD.matcher(script.text());
		assertThat(m.find()).isTrue();
		return new ObjectMapper().readTree(Base64.getDecoder().decode(m.group(1)));
	}
}
