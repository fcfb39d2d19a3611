package dev.runbook.winrm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runbook.command.ServerName;

/** How the executor reads its account and settings, and where it connects. */
class WinRmSettingsTest {

	@TempDir
	Path dir;

	static WinRmProperties properties(String transport, Integer port, String endpoint, String dnsSuffix,
			String authentication, String encryption, String user, Path passwordFile) {
		return new WinRmProperties(transport, port, endpoint, dnsSuffix, authentication, encryption, null, user,
				passwordFile, null, null, null, null, "EX01", null);
	}

	@Test
	void thePasswordFileIsReadWithoutItsTrailingLineBreak() throws Exception {
		Path file = dir.resolve("password");
		Files.writeString(file, "  Spaces kept  \n", StandardCharsets.UTF_8);

		WinRmCredentials credentials = WinRmCredentials.from(properties(null, null, null, null, null, null,
				"CONTOSO\\svc-runbook", file), Map.of("RUNBOOK_WINRM_PASSWORD", "ignored")::get);

		assertThat(credentials.password()).isEqualTo("  Spaces kept  ");
		assertThat(credentials.domain()).isEqualTo("CONTOSO");
		assertThat(credentials.user()).isEqualTo("svc-runbook");
	}

	@Test
	void theEnvironmentGivesUserAndPasswordWhenNothingIsConfigured() {
		WinRmCredentials credentials = WinRmCredentials.from(properties(null, null, null, null, null, null, null, null),
				Map.of("RUNBOOK_WINRM_USER", "svc-runbook@contoso.local", "RUNBOOK_WINRM_PASSWORD", "From-Env-1")::get);

		assertThat(credentials.user()).isEqualTo("svc-runbook@contoso.local");
		assertThat(credentials.domain()).isNull();
		assertThat(credentials.password()).isEqualTo("From-Env-1");
		assertThat(credentials).hasToString("svc-runbook@contoso.local (password withheld)");
	}

	@Test
	void aMissingAccountOrPasswordStopsTheStartWithoutShowingAnySecret() {
		IllegalStateException noUser = assertThrows(IllegalStateException.class, () -> WinRmCredentials.from(
				properties(null, null, null, null, null, null, null, null), Map.of("RUNBOOK_WINRM_PASSWORD", "Pw-123")::get));
		IllegalStateException noPassword = assertThrows(IllegalStateException.class, () -> WinRmCredentials.from(
				properties(null, null, null, null, null, null, "svc", null), Map.<String, String>of()::get));
		IllegalStateException unreadable = assertThrows(IllegalStateException.class, () -> WinRmCredentials.from(
				properties(null, null, null, null, null, null, "svc", dir.resolve("missing")), Map.<String, String>of()::get));

		assertThat(noUser.getMessage()).contains("RUNBOOK_WINRM_USER").doesNotContain("Pw-123");
		assertThat(noPassword.getMessage()).contains("RUNBOOK_WINRM_PASSWORD").contains("password-file");
		assertThat(unreadable.getMessage()).contains("cannot be read");
	}

	@Test
	void endpointsFollowTransportPortAndDnsSuffix() {
		WinRmCredentials account = new WinRmCredentials(null, "svc", "x");
		assertThat(new WinRmRunner(properties(null, null, null, "contoso.local", null, null, null, null), account)
				.endpoint(ServerName.of("EX01"))).hasToString("https://ex01.contoso.local:5986/wsman");
		assertThat(new WinRmRunner(properties("http", null, null, "contoso.local", null, null, null, null), account)
				.endpoint(ServerName.of("ex02.fabrikam.local"))).hasToString("http://ex02.fabrikam.local:5985/wsman");
		assertThat(new WinRmRunner(properties("https", 15986, null, null, null, null, null, null), account)
				.endpoint(ServerName.of("EX03"))).hasToString("https://ex03:15986/wsman");
		assertThat(new WinRmRunner(properties("http", null, "http://127.0.0.1:1234/{host}/wsman", null, null, null,
				null, null), account).endpoint(ServerName.of("EX04"))).hasToString("http://127.0.0.1:1234/ex04/wsman");
	}

	@Test
	void unsafeOrUnknownSettingsAreRefusedAtStart() {
		WinRmCredentials account = new WinRmCredentials(null, "svc", "x");

		assertThat(assertThrows(IllegalStateException.class, () -> new WinRmRunner(
				properties(null, null, null, null, "basic", null, null, null), account)).getMessage())
				.contains("Basic authentication is not offered");
		assertThat(assertThrows(IllegalStateException.class, () -> new WinRmRunner(
				properties("http", null, null, null, "kerberos", null, null, null), account)).getMessage())
				.contains("Kerberos over http");
		assertThat(assertThrows(IllegalStateException.class, () -> new WinRmRunner(
				properties("ftp", null, null, null, null, null, null, null), account)).getMessage())
				.contains("must be https or http");
		assertThat(assertThrows(IllegalStateException.class, () -> new WinRmRunner(
				properties("http", null, null, null, null, "sometimes", null, null), account)).getMessage())
				.contains("required, optional or off");
	}

	@Test
	void theDefaultsAreTheSafeOnes() {
		WinRmProperties defaults = properties(null, null, null, null, null, null, null, null);

		assertThat(defaults.https()).isTrue();
		assertThat(defaults.verifyCertificates()).isTrue();
		assertThat(defaults.encryption()).isEqualTo("required");
		assertThat(defaults.authentication()).isEqualTo("ntlm");
		assertThat(defaults.receiveTimeout()).isEqualTo(Duration.ofMinutes(2));
	}

	/** RFC 1320's test vectors, for the MD4 the WS-Management double checks NTLM logons with. */
	@Test
	void theDoublesMd4IsMd4() {
		assertThat(HexFormat.of().formatHex(NtlmServer.md4(new byte[0]))).isEqualTo("31d6cfe0d16ae931b73c59d7e0c089c0");
		assertThat(HexFormat.of().formatHex(NtlmServer.md4("abc".getBytes(StandardCharsets.US_ASCII))))
				.isEqualTo("a448017aaf21d8525fc10ae87aa6729d");
		assertThat(HexFormat.of().formatHex(NtlmServer.md4(
				"12345678901234567890123456789012345678901234567890123456789012345678901234567890".getBytes(StandardCharsets.US_ASCII))))
				.isEqualTo("e33b4ddc9c38f2199c3e7b164fcc0536");
	}
}
