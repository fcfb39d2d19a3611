package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import ch.qos.logback.classic.LoggerContext;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeCommand.GetActiveDirectoryPreparation;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.RestartComputer;
import dev.runbook.command.ExchangeCommand.TestWSMan;
import dev.runbook.command.ServerName;
import dev.runbook.lab.LabClock;
import dev.runbook.lab.LabOrganisation;
import dev.runbook.lab.Topology;
import dev.runbook.winrm.WsmanDouble.Failure;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * Each way a WinRM call can fail has its own message naming the server, the endpoint and the cause, and the right
 * transient flag; and the password never shows, in a message, a log line at any level, or on the wire.
 */
@ExtendWith(OutputCaptureExtension.class)
class WinRmFailuresTest {

	static final String SECRET = "Zebra-Quartz-91!secret";
	static final ServerName EX01 = ServerName.of("EX01");

	final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), new LabClock.Manual());
	final List<String> messages = new ArrayList<>();
	WsmanDouble wsman;

	@BeforeEach
	void start() {
		wsman = new WsmanDouble("CONTOSO", "svc-runbook", SECRET, new LabPowerShell(lab));
	}

	@AfterEach
	void stop() {
		wsman.close();
	}

	ScriptedShell shell(String endpoint, String password, Duration receiveTimeout, Duration commandTimeout) {
		return shell(endpoint, password, receiveTimeout, commandTimeout, "required");
	}

	/** {@code encryption} "off" is what the executor uses over https, where TLS protects the messages. */
	ScriptedShell shell(String endpoint, String password, Duration receiveTimeout, Duration commandTimeout,
			String encryption) {
		WinRmProperties properties = new WinRmProperties("http", null, endpoint, null, "ntlm", encryption, true, null,
				null, Duration.ofSeconds(2), Duration.ofSeconds(5), receiveTimeout, commandTimeout, "EX01", null);
		return new ScriptedShell(new WinRmRunner(properties, new WinRmCredentials("CONTOSO", "svc-runbook", password)));
	}

	ScriptedShell shell() {
		return shell(wsman.endpoint(), SECRET, Duration.ofSeconds(5), Duration.ofSeconds(20));
	}

	CommandFailedException failure(ScriptedShell shell) {
		CommandFailedException e = assertThrows(CommandFailedException.class, () -> shell.run(new GetQueue(EX01)));
		messages.add(e.getMessage());
		assertThat(e.server()).isEqualTo(EX01);
		assertThat(e.getMessage()).contains("EX01");
		return e;
	}

	@Test
	void connectionRefusedIsTransient() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		CommandFailedException e = failure(shell("http://127.0.0.1:" + closedPort + "/{host}/wsman", SECRET,
				Duration.ofSeconds(5), Duration.ofSeconds(20)));

		assertThat(e.getMessage()).isEqualTo("WinRM on EX01 (http://127.0.0.1:" + closedPort + "/ex01/wsman) refused the "
				+ "connection: the server is down or restarting, or WinRM does not listen there.");
		assertThat(e.isTransient()).isTrue();
	}

	@Test
	void aWrongPasswordIsAnAuthenticationFailureAndNotTransient() {
		CommandFailedException e = failure(shell(wsman.endpoint(), "Wrong-Password-1", Duration.ofSeconds(5),
				Duration.ofSeconds(20), "off"));

		assertThat(e.getMessage()).isEqualTo("WinRM on EX01 (" + wsman.endpoint().replace("{host}", "ex01")
				+ ") refused the logon (HTTP 401): check the account, its password and that ntlm authentication is allowed.");
		assertThat(e.isTransient()).isFalse();
		assertThat(wsman.logons()).isZero();
		assertThat(wsman.actions()).isEmpty();
	}

	@Test
	void aServerThatOffersNoLogonIsAnAuthenticationFailure() {
		wsman.fail("ex01", Failure.UNAUTHORIZED);

		CommandFailedException e = failure(shell(wsman.endpoint(), SECRET, Duration.ofSeconds(5), Duration.ofSeconds(20),
				"off"));

		assertThat(e.getMessage()).contains("refused the logon (HTTP 401)");
		assertThat(e.isTransient()).isFalse();
	}

	/**
	 * With NTLM sealing (http), winrm4j 0.12.3 answers a rejected logon by starting a request it never finishes and
	 * waiting for its receive timeout: the failure cannot be told from a server that does not answer. Nothing runs.
	 * Production uses https, where a wrong password is named as such (the test above).
	 */
	@Test
	void overSealedHttpAWrongPasswordRunsNothingAndEndsAsATimeout() {
		CommandFailedException e = failure(shell(wsman.endpoint(), "Wrong-Password-1", Duration.ofSeconds(2),
				Duration.ofSeconds(20)));

		assertThat(e.getMessage()).contains("timed out");
		assertThat(wsman.logons()).isZero();
		assertThat(wsman.actions()).isEmpty();
	}

	@Test
	void http500WithoutAFaultIsTransient() {
		wsman.fail("ex01", Failure.HTTP_500);

		CommandFailedException e = failure(shell());

		assertThat(e.getMessage()).contains("answered an HTTP error without a WS-Management fault")
				.contains("Internal Server Error");
		assertThat(e.isTransient()).isTrue();
	}

	@Test
	void aWsmanFaultCarriesItsCodeAndReason() {
		wsman.fail("ex01", Failure.WSMAN_FAULT);

		CommandFailedException e = failure(shell());

		assertThat(e.getMessage()).isEqualTo("WinRM on EX01 (" + wsman.endpoint().replace("{host}", "ex01")
				+ ") answered with a WS-Management fault (code 5): Access is denied.");
		assertThat(e.isTransient()).isFalse();
	}

	@Test
	void aServerThatNeverAnswersTimesOut() {
		wsman.fail("ex01", Failure.HANG);

		long start = System.nanoTime();
		CommandFailedException e = failure(shell(wsman.endpoint(), SECRET, Duration.ofSeconds(1), Duration.ofSeconds(20)));

		assertThat(e.getMessage()).contains("did not answer within 1 seconds").contains("timed out");
		assertThat(e.isTransient()).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
	}

	@Test
	void aCommandThatNeverFinishesEndsAtTheCommandTimeout() {
		wsman.fail("ex01", Failure.NO_OUTPUT);

		long start = System.nanoTime();
		CommandFailedException e = failure(shell(wsman.endpoint(), SECRET, Duration.ofSeconds(5), Duration.ofSeconds(1)));

		assertThat(e.getMessage()).contains("did not finish within 1 seconds: timed out");
		assertThat(e.isTransient()).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
		assertThat(wsman.actions()).contains("Create", "Command").filteredOn("Receive"::equals).hasSizeGreaterThan(1);
	}

	@Test
	void manyNoOutputYetAnswersAreWaitedThrough() {
		wsman.setNoOutputYetReplies(5);

		assertThat(shell().run(new GetQueue(EX01)).server()).isEqualTo(EX01);
		assertThat(wsman.actions()).filteredOn("Receive"::equals).hasSize(6);
	}

	@Test
	void aServerThatDropsTheConnectionIsTransient() {
		ScriptedShell shell = shell();
		shell.run(new RestartComputer(EX01));

		CommandFailedException e = failure(shell);

		assertThat(e.isTransient()).isTrue();
		assertThat(shell.run(new TestWSMan(EX01)).reachable()).isFalse();
	}

	@Test
	void aCommandTooLongForWinRsIsRefusedBeforeAnythingIsSent() {
		List<DomainName> domains = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			domains.add(DomainName.of("child" + i + "." + "x".repeat(60) + ".example.com"));
		}
		CommandFailedException e = assertThrows(CommandFailedException.class, () -> shell().run(
				new GetActiveDirectoryPreparation(EX01, DomainName.of("example.com"), domains)));

		assertThat(e.getMessage()).startsWith("The GetActiveDirectoryPreparation command for EX01 is ")
				.endsWith("characters long encoded, and WinRS accepts 8191: its values are too long. Nothing was sent.");
		assertThat(e.isTransient()).isFalse();
		assertThat(wsman.rawRequests()).isEmpty();
	}

	@Test
	void thePasswordAppearsNowhere(CapturedOutput output) throws IOException {
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		ch.qos.logback.classic.Logger root = logback.getLogger("ROOT");
		ch.qos.logback.classic.Logger apache = logback.getLogger("org.apache");
		ch.qos.logback.classic.Level rootBefore = root.getLevel();
		ch.qos.logback.classic.Level apacheBefore = apache.getLevel();
		java.util.logging.Logger cxf = java.util.logging.Logger.getLogger("org.apache.cxf");
		Level cxfBefore = cxf.getLevel();
		root.setLevel(ch.qos.logback.classic.Level.TRACE);
		apache.setLevel(ch.qos.logback.classic.Level.TRACE);
		cxf.setLevel(Level.ALL);
		try {
			shell().run(new GetQueue(EX01));
			failure(shell(wsman.endpoint(), SECRET + "-but-wrong", Duration.ofSeconds(5), Duration.ofSeconds(20), "off"));
			failure(shell(wsman.endpoint(), SECRET.substring(1), Duration.ofSeconds(1), Duration.ofSeconds(20)));
			wsman.fail("ex01", Failure.WSMAN_FAULT);
			failure(shell());
			wsman.fail("ex01", Failure.HTTP_500);
			failure(shell());
			connectionRefusedIsTransient();
		} finally {
			root.setLevel(rootBefore);
			apache.setLevel(apacheBefore);
			cxf.setLevel(cxfBefore);
		}

		assertThat(output.getAll()).contains("Running the GetQueue script on EX01").doesNotContain(SECRET);
		assertThat(messages).hasSize(5).noneMatch(m -> m.contains(SECRET));
		assertThat(String.join("\n", wsman.rawRequests())).contains("Authorization").doesNotContain(SECRET);
		assertThat(new WinRmCredentials("CONTOSO", "svc-runbook", SECRET).toString())
				.isEqualTo("CONTOSO\\svc-runbook (password withheld)");
	}
}
