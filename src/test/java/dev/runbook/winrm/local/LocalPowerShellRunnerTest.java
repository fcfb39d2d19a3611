package dev.runbook.winrm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ExchangeCommand.GetQueue;
import dev.runbook.command.ExchangeCommand.SuspendClusterNode;
import dev.runbook.command.ServerName;
import dev.runbook.command.TransportQueues;
import dev.runbook.winrm.script.ExchangeScripts;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptedShell;

/**
 * The local PowerShell executor against a stand-in for powershell.exe: a small script that records its arguments
 * and standard input and answers as the launcher does, with the remote script's output and exit code.
 */
@DisabledOnOs(OS.WINDOWS)
class LocalPowerShellRunnerTest {

	static final ServerName EX02 = ServerName.of("EX02");
	static final String STAND_IN = """
			#!/bin/sh
			dir=$(dirname "$0")
			printf '%s\\n' "$@" > "$dir/args"
			cat > "$dir/stdin"
			if [ -f "$dir/delay" ]; then sleep "$(cat "$dir/delay")"; fi
			if [ -f "$dir/stdout" ]; then cat "$dir/stdout"; fi
			exit "$(cat "$dir/exit" 2>/dev/null || echo 0)"
			""";

	@TempDir
	Path dir;
	Path standIn;

	@BeforeEach
	void install() throws IOException {
		standIn = dir.resolve("powershell");
		Files.writeString(standIn, STAND_IN);
		Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
	}

	ScriptedShell shell(Duration timeout) {
		return new ScriptedShell(new LocalPowerShellRunner(new LocalPowerShellProperties(standIn.toString(), timeout, "EX01")));
	}

	void answer(String stdout, int exit) throws IOException {
		Files.writeString(dir.resolve("stdout"), stdout);
		Files.writeString(dir.resolve("exit"), Integer.toString(exit));
	}

	static String b64(String text) {
		return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aCommandRunsItsFixedScriptOnItsServerThroughTheLauncher() throws Exception {
		answer(Script.RESULT_SENTINEL + b64("[{\"Identity\":\"EX02\\\\Submission\",\"DeliveryType\":\"Undefined\","
				+ "\"Status\":\"Ready\",\"MessageCount\":4,\"NextHopDomain\":\"Submission\"}]") + "\n"
				+ LocalPowerShellRunner.EXIT_SENTINEL + "0\n", 0);

		TransportQueues queues = shell(Duration.ofSeconds(20)).run(new GetQueue(EX02));

		assertThat(queues.messagesToDrain()).isEqualTo(4);
		List<String> args = Files.readAllLines(dir.resolve("args"));
		assertThat(args).hasSize(4).startsWith("-NoProfile", "-NonInteractive", "-EncodedCommand");
		assertThat(Script.decodeCommand(args.get(3))).isEqualTo(LocalPowerShellRunner.LAUNCHER);
		JsonNode input = new ObjectMapper().readTree(dir.resolve("stdin").toFile());
		assertThat(input.path("server").asText()).isEqualTo("EX02");
		assertThat(Script.decodeCommand(input.path("command").asText()))
				.isEqualTo(ExchangeScripts.forCommand(new GetQueue(EX02)).text());
	}

	@Test
	void theRemoteScriptsExitCodeCountsNotTheLaunchers() throws IOException {
		answer(Script.RESULT_SENTINEL + b64("true") + "\n" + LocalPowerShellRunner.EXIT_SENTINEL + "3\n", 0);

		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> shell(Duration.ofSeconds(20)).run(new SuspendClusterNode(EX02)));

		assertThat(e.getMessage()).isEqualTo("Suspend-ClusterNode on EX02 wrote a result but ended with exit code 3, "
				+ "so it is not taken as a success.");
	}

	@Test
	void aCmdletErrorIsNotTransient() throws IOException {
		answer(Script.ERROR_SENTINEL + b64("The specified node EX02 was not found.") + "\n"
				+ LocalPowerShellRunner.EXIT_SENTINEL + "1\n", 0);

		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> shell(Duration.ofSeconds(20)).run(new SuspendClusterNode(EX02)));

		assertThat(e.getMessage()).isEqualTo("Suspend-ClusterNode on EX02 failed: The specified node EX02 was not found.");
		assertThat(e.isTransient()).isFalse();
	}

	@Test
	void aServerRemotingCannotReachIsTransientAndNamed() throws IOException {
		answer(LocalPowerShellRunner.UNREACHABLE_SENTINEL + b64("Connecting to remote server EX02 failed with the "
				+ "following error message : WinRM cannot complete the operation.") + "\n", 1);

		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> shell(Duration.ofSeconds(20)).run(new GetQueue(EX02)));

		assertThat(e.getMessage()).isEqualTo("PowerShell remoting to EX02 failed: Connecting to remote server EX02 failed "
				+ "with the following error message : WinRM cannot complete the operation.");
		assertThat(e.isTransient()).isTrue();
		assertThat(shell(Duration.ofSeconds(20)).run(new dev.runbook.command.ExchangeCommand.TestWSMan(EX02)).reachable())
				.isFalse();
	}

	@Test
	void aScriptThatRunsTooLongIsEndedAndTransient() throws IOException {
		answer(Script.RESULT_SENTINEL + b64("true") + "\n", 0);
		Files.writeString(dir.resolve("delay"), "30");

		long start = System.nanoTime();
		CommandFailedException e = assertThrows(CommandFailedException.class,
				() -> shell(Duration.ofSeconds(1)).run(new GetQueue(EX02)));

		assertThat(e.getMessage()).isEqualTo("The GetQueue script on EX02 did not finish within 1 seconds: timed out, "
				+ "and the local PowerShell was ended.");
		assertThat(e.isTransient()).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void aMissingExecutableIsAConfigurationError() {
		ScriptedShell shell = new ScriptedShell(new LocalPowerShellRunner(
				new LocalPowerShellProperties(dir.resolve("no-such-pwsh").toString(), Duration.ofSeconds(5), "EX01")));

		CommandFailedException e = assertThrows(CommandFailedException.class, () -> shell.run(new GetQueue(EX02)));

		assertThat(e.getMessage()).contains("no-such-pwsh").contains("cannot be started");
		assertThat(e.isTransient()).isFalse();
	}
}
