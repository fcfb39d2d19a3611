package dev.runbook.winrm.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.ServerName;
import dev.runbook.winrm.script.ResultReader;
import dev.runbook.winrm.script.Script;
import dev.runbook.winrm.script.ScriptOutput;
import dev.runbook.winrm.script.ScriptRunner;

/**
 * Runs the same fixed scripts through a local {@code powershell.exe} on a Windows management host: a fixed launcher
 * reads the server and the encoded script from standard input and runs the script on that server with
 * {@code Invoke-Command}, in a fresh {@code powershell.exe} there, so output, sentinels and exit code are those of the
 * WinRM executor. Standard input, because the script's command line would not fit into the launcher's.
 */
public class LocalPowerShellRunner implements ScriptRunner {

	private static final Logger log = LoggerFactory.getLogger(LocalPowerShellRunner.class);

	static final String EXIT_SENTINEL = "#RUNBOOK-EXIT#";
	static final String UNREACHABLE_SENTINEL = "#RUNBOOK-UNREACHABLE#";

	/** Fixed text: the server and the script arrive on standard input as JSON, never in the text. */
	static final String LAUNCHER = """
			$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue'
			$q=[Console]::In.ReadToEnd()|ConvertFrom-Json
			try{$o=Invoke-Command -ComputerName $q.server -ArgumentList $q.command -ScriptBlock {param($e)
			& powershell.exe -NoProfile -NonInteractive -EncodedCommand $e;'#RUNBOOK-EXIT#'+$LASTEXITCODE}
			}catch{[Console]::Out.WriteLine('#RUNBOOK-UNREACHABLE#'+[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($_.Exception.Message)")));exit 1}
			$o|%{[Console]::Out.WriteLine("$_")}
			exit 0
			""";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final LocalPowerShellProperties properties;

	public LocalPowerShellRunner(LocalPowerShellProperties properties) {
		this.properties = properties;
	}

	@Override
	public ScriptOutput run(ServerName server, Script script) {
		List<String> command = List.of(properties.executable(), "-NoProfile", "-NonInteractive", "-EncodedCommand",
				Base64.getEncoder().encodeToString(LAUNCHER.getBytes(StandardCharsets.UTF_16LE)));
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		} catch (IOException e) {
			throw new CommandFailedException(server, "The local PowerShell '" + properties.executable()
					+ "' cannot be started: check runbook.powershell.executable.", false);
		}
		log.debug("Running the {} script on {} through {}", script.kind(), server, properties.executable());
		CompletableFuture<byte[]> stdout = drain(process.getInputStream());
		CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
		try (OutputStream in = process.getOutputStream()) {
			in.write(input(server, script).getBytes(StandardCharsets.UTF_8));
		} catch (IOException e) {
			// The process ended before reading its input; its exit code and output tell why.
		}
		try {
			if (!process.waitFor(properties.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new CommandFailedException(server, "The " + script.kind() + " script on " + server
						+ " did not finish within " + properties.commandTimeout().toSeconds()
						+ " seconds: timed out, and the local PowerShell was ended.", true);
			}
			return output(server, new String(stdout.get(), StandardCharsets.UTF_8),
					new String(stderr.get(), StandardCharsets.UTF_8), process.exitValue());
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new CommandFailedException(server, "Running the " + script.kind() + " script on " + server
					+ " was interrupted.", true);
		} catch (java.util.concurrent.ExecutionException e) {
			throw new CommandFailedException(server, "The local PowerShell's output could not be read.", true);
		}
	}

	/** The script's own output and exit code, as they came back from the server; or why it could not get there. */
	static ScriptOutput output(ServerName server, String stdout, String stderr, int processExit) {
		List<String> kept = new ArrayList<>();
		Integer exit = null;
		for (String line : stdout.split("\\R")) {
			if (line.startsWith(UNREACHABLE_SENTINEL)) {
				String message = new String(Base64.getDecoder().decode(line.substring(UNREACHABLE_SENTINEL.length()).strip()),
						StandardCharsets.UTF_8);
				throw new CommandFailedException(server, "PowerShell remoting to " + server + " failed: "
						+ ResultReader.printable(message), true);
			}
			if (line.startsWith(EXIT_SENTINEL)) {
				exit = Integer.valueOf(line.substring(EXIT_SENTINEL.length()).strip());
			} else {
				kept.add(line);
			}
		}
		return new ScriptOutput(String.join("\n", kept), stderr, exit != null ? exit : processExit);
	}

	private static String input(ServerName server, Script script) {
		Map<String, String> input = new LinkedHashMap<>();
		input.put("server", server.value());
		input.put("command", script.encodedCommand());
		try {
			return JSON.writeValueAsString(input);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	private static CompletableFuture<byte[]> drain(InputStream stream) {
		return CompletableFuture.supplyAsync(() -> {
			try (stream) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				stream.transferTo(out);
				return out.toByteArray();
			} catch (IOException e) {
				return new byte[0];
			}
		});
	}
}
