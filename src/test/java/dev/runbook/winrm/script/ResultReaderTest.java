package dev.runbook.winrm.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.*;
import dev.runbook.command.ExchangeCommand.*;

/** PowerShell's answers as the scripts write them, read into the result records; anything short of success fails. */
class ResultReaderTest {

	static final ServerName EX01 = ServerName.of("EX01");

	static ScriptOutput answer(String json) {
		return new ScriptOutput("WARNING: noise from a profile\r\n" + Script.RESULT_SENTINEL
				+ Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)) + "\r\n", "", 0);
	}

	static SetupStatus setup(String json) throws Exception {
		return ResultReader.setupStatus(new ObjectMapper().readTree(json));
	}

	@Test
	void componentStatesKeepKnownComponentsAndRefuseAnUnknownState() {
		ComponentStates states = ResultReader.read(new GetServerComponentState(EX01), answer("[{\"Component\":\"HubTransport\","
				+ "\"State\":\"Inactive\",\"Requests\":[{\"Requester\":\"Maintenance\",\"State\":\"Inactive\"},"
				+ "{\"Requester\":\"SomethingNew\",\"State\":\"Active\"}]},{\"Component\":\"E4EProxy\",\"State\":\"Active\"}]"));

		assertThat(states).isEqualTo(new ComponentStates(EX01, List.of(new ComponentStates.Status(Component.HubTransport,
				ComponentState.Inactive, List.of(new ComponentStates.Request(Requester.Maintenance, ComponentState.Inactive))))));

		CommandFailedException e = assertThrows(CommandFailedException.class, () -> ResultReader.read(
				new GetServerComponentState(EX01), answer("[{\"Component\":\"HubTransport\",\"State\":\"Unknown\"}]")));
		assertThat(e.getMessage()).startsWith("Get-ServerComponentState on EX01 answered something the runbook cannot read");
	}

	@Test
	void aSingleObjectWhereAListIsExpectedIsAListOfOne() {
		TransportQueues queues = ResultReader.read(new GetQueue(EX01), answer("{\"Identity\":\"EX01\\\\Submission\","
				+ "\"DeliveryType\":\"Undefined\",\"Status\":\"Ready\",\"MessageCount\":7,\"NextHopDomain\":\"Submission\"}"));

		assertThat(queues.queues()).singleElement().extracting(TransportQueues.Queue::messageCount).isEqualTo(7);
		assertThat(ResultReader.read(new GetQueue(EX01), answer("null")).queues()).isEmpty();
	}

	@Test
	void exchangeObjectNamesAndFlagsAreMapped() {
		ExchangeServerInfo info = ResultReader.read(new GetExchangeServer(EX01), answer("{\"Name\":\"EX01\","
				+ "\"Fqdn\":\"ex01.contoso.local\",\"ServerRole\":\"Mailbox, ClientAccess\","
				+ "\"AdminDisplayVersion\":\"Version 15.0 (Build 1497.2)\","
				+ "\"Site\":\"contoso.local/Configuration/Sites/Default-First-Site-Name\"}"));
		MailboxServerSettings settings = ResultReader.read(new GetMailboxServer(EX01), answer("{\"Name\":\"EX01\","
				+ "\"DatabaseAvailabilityGroup\":\"DAG01\",\"DatabaseCopyAutoActivationPolicy\":\"Blocked\","
				+ "\"DatabaseCopyActivationDisabledAndMoveNow\":true}"));

		assertThat(info).isEqualTo(new ExchangeServerInfo(EX01, "ex01.contoso.local", List.of("Mailbox", "ClientAccess"),
				"Version 15.0 (Build 1497.2)", "Default-First-Site-Name"));
		assertThat(info.build()).isEqualTo(ExchangeBuild.parse("15.0.1497.2"));
		assertThat(settings).isEqualTo(new MailboxServerSettings(EX01, "DAG01", AutoActivationPolicy.Blocked, true));
	}

	@Test
	void aChangeIsDoneOnlyWithExitCodeZeroAndAResult() {
		assertThat(ResultReader.read(new RestartComputer(EX01), answer("true")).message())
				.isEqualTo("Restart-Computer completed on EX01");

		ScriptOutput resultButFailed = new ScriptOutput(answer("true").stdout(), "", 1);
		assertThat(assertThrows(CommandFailedException.class, () -> ResultReader.read(new RestartComputer(EX01),
				resultButFailed)).getMessage()).isEqualTo("Restart-Computer on EX01 wrote a result but ended with exit "
						+ "code 1, so it is not taken as a success.");

		ScriptOutput nothing = new ScriptOutput("", "powershell.exe : The term 'Get-Queue' is not recognized\r\n", 0);
		CommandFailedException silent = assertThrows(CommandFailedException.class,
				() -> ResultReader.read(new GetQueue(EX01), nothing));
		assertThat(silent.getMessage()).isEqualTo("Get-Queue on EX01 ended with exit code 0 and no result. Standard "
				+ "error: powershell.exe : The term 'Get-Queue' is not recognized");
		assertThat(silent.isTransient()).isFalse();
	}

	@Test
	void theScriptsCaughtErrorBecomesTheMessageOnOneLine() {
		ScriptOutput error = new ScriptOutput(Script.ERROR_SENTINEL + Base64.getEncoder().encodeToString(
				"Couldn't find object \"EX09\".\r\nInjected: line".getBytes(StandardCharsets.UTF_8)) + "\r\n", "", 1);

		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> ResultReader.read(new GetMailboxServer(EX01), error));

		assertThat(e.getMessage()).isEqualTo("Get-MailboxServer on EX01 failed: Couldn't find object \"EX09\". Injected: line");
	}

	@Test
	void setupSucceedsOnlyWithAllThreeSigns() throws Exception {
		assertThat(setup("{\"Task\":\"Ready\",\"LastTaskResult\":0,\"ExSetupRunning\":false,\"Watermark\":false,"
				+ "\"SuccessLine\":true,\"Errors\":[]}")).isEqualTo(new SetupStatus(SetupStatus.State.Succeeded, 0, false, true, List.of()));

		SetupStatus watermark = setup("{\"Task\":\"Ready\",\"LastTaskResult\":0,\"Watermark\":true,\"SuccessLine\":true,\"Errors\":[]}");
		assertThat(watermark.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(watermark.errors()).containsExactly("A setup watermark remains in the registry: setup did not finish.");

		SetupStatus noLine = setup("{\"Task\":\"Ready\",\"LastTaskResult\":0,\"Watermark\":false,\"SuccessLine\":false,\"Errors\":[]}");
		assertThat(noLine.state()).isEqualTo(SetupStatus.State.Failed);
		assertThat(noLine.errors()).containsExactly("ExchangeSetup.log has no success line for the latest setup run.");

		SetupStatus failed = setup("{\"Task\":\"Ready\",\"LastTaskResult\":1,\"Watermark\":true,\"SuccessLine\":false,"
				+ "\"Errors\":\"[12/01/2026 23:01:02.0345] [1] [ERROR] The certificate is not valid.\"}");
		assertThat(failed).isEqualTo(new SetupStatus(SetupStatus.State.Failed, 1, true, false,
				List.of("[12/01/2026 23:01:02.0345] [1] [ERROR] The certificate is not valid.")));
	}

	@Test
	void setupIsRunningWhileTheTaskOrExSetupRuns() throws Exception {
		assertThat(setup("{\"Task\":\"Running\",\"LastTaskResult\":267009,\"Watermark\":true}").state())
				.isEqualTo(SetupStatus.State.Running);
		assertThat(setup("{\"Task\":\"Ready\",\"LastTaskResult\":1,\"ExSetupRunning\":true}").state())
				.isEqualTo(SetupStatus.State.Running);
		assertThat(setup("{\"Task\":null,\"LastTaskResult\":null,\"Watermark\":false}").state())
				.isEqualTo(SetupStatus.State.NotStarted);
		assertThat(setup("{\"Task\":\"Ready\",\"LastTaskResult\":267011}").state()).isEqualTo(SetupStatus.State.NotStarted);
	}

	@Test
	void printableKeepsMessagesOnOneBoundedLine() {
		assertThat(ResultReader.printable("a\r\nb\u0007c")).isEqualTo("a b\\u0007c");
		assertThat(ResultReader.printable("x".repeat(3000))).hasSize(2001).endsWith("…");
	}
}
