package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerNameTest {

	@Test
	void normalisesANetBiosNameToUpperCase() {
		assertThat(ServerName.of("ex01").value()).isEqualTo("EX01");
		assertThat(ServerName.of("ex01")).isEqualTo(ServerName.of("EX01"));
		assertThat(ServerName.of("  EX01  ").value()).isEqualTo("EX01");
	}

	@Test
	void acceptsADnsNameAndKnowsItsHostPart() {
		ServerName fqdn = ServerName.of("ex01.contoso.local");

		assertThat(fqdn.value()).isEqualTo("EX01.CONTOSO.LOCAL");
		assertThat(fqdn.shortName()).isEqualTo("EX01");
		assertThat(ServerName.of("EX01").shortName()).isEqualTo("EX01");
	}

	@ParameterizedTest
	@ValueSource(strings = { "A", "EX-MBX-01", "ABCDEFGHIJKLMNO", "1EX", "EX01.a-b.example.com" })
	void acceptsValidNames(String name) {
		assertThat(ServerName.of(name).value()).isEqualToIgnoringCase(name);
	}

	static Stream<Arguments> injectionAttempts() {
		return Stream.of(
				Arguments.of("EX01; Remove-Item C:\\"),
				Arguments.of("EX01'"),
				Arguments.of("EX01$(calc)"),
				Arguments.of("EX01`r`n"),
				Arguments.of("EX01\u2019"),
				Arguments.of("EX01`"),
				Arguments.of("EX01|calc"),
				Arguments.of("EX01&calc"),
				Arguments.of("EX 01"),
				Arguments.of("EX01\""),
				Arguments.of("EX01_A"),
				Arguments.of("-EX01"),
				Arguments.of("EX01-"),
				Arguments.of("EX01..contoso.local"),
				Arguments.of(".EX01"),
				Arguments.of("EX01.contoso.local."),
				Arguments.of("ÉX01"));
	}

	@ParameterizedTest
	@MethodSource("injectionAttempts")
	void refusesAnythingButLettersDigitsHyphensAndDots(String attempt) {
		assertThatThrownBy(() -> ServerName.of(attempt)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("Server name '")
				.hasMessageContaining("is not a valid host name: use only letters, digits and hyphens");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   " })
	void refusesAnEmptyName(String empty) {
		assertThatThrownBy(() -> ServerName.of(empty)).isInstanceOf(InvalidInputException.class)
				.hasMessage("A server name is required.");
	}

	@Test
	void refusesNull() {
		assertThatThrownBy(() -> ServerName.of(null)).isInstanceOf(InvalidInputException.class)
				.hasMessage("A server name is required.");
	}

	@Test
	void refusesAHostPartLongerThanANetBiosName() {
		assertThatThrownBy(() -> ServerName.of("ABCDEFGHIJKLMNOP")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("longer than the 15 characters a NetBIOS name allows");
		assertThatThrownBy(() -> ServerName.of("ABCDEFGHIJKLMNOP.contoso.local")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("15 characters");
	}

	@Test
	void acceptsLongDomainLabelsAfterTheHostPart() {
		assertThat(ServerName.of("EX01.a-rather-long-department-name.contoso.local").shortName()).isEqualTo("EX01");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1234", "1234.contoso.local", "10.0.0.1" })
	void refusesAnAllDigitHostPart(String name) {
		assertThatThrownBy(() -> ServerName.of(name)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("the host part cannot be all digits");
	}

	@Test
	void refusesADnsLabelLongerThan63Characters() {
		String label = "a".repeat(64);
		assertThatThrownBy(() -> ServerName.of("EX01." + label + ".local")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("labels of 1 to 63 characters");
		assertThat(ServerName.of("EX01." + "a".repeat(63) + ".local").shortName()).isEqualTo("EX01");
	}

	@Test
	void refusesANameLongerThan253Characters() {
		String name = "EX01" + ".abcdefghij".repeat(23) + ".local";
		assertThat(name.length()).isGreaterThan(253);
		assertThatThrownBy(() -> ServerName.of(name)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("longer than 253 characters");
	}

	@Test
	void showsControlCharactersEscapedInTheRefusalSoThatItCannotForgeALogLine() {
		assertThatThrownBy(() -> ServerName.of("EX01\r\nINFO forged"))
				.hasMessageContaining("EX01\\u000d\\u000aINFO forged")
				.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
	}

	/** Trimming would silently drop them; a name that arrives with a line break is not what the operator typed. */
	@ParameterizedTest
	@ValueSource(strings = { "EX01\n", "EX01\nRemove-Item", "EX01\r\n", "\tEX01", "EX01\u0000", "EX01\u001b[2J" })
	void refusesControlCharactersEvenWhereTrimmingWouldRemoveThem(String attempt) {
		assertThatThrownBy(() -> ServerName.of(attempt)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("contains control characters");
	}

	@ParameterizedTest
	@ValueSource(strings = { "EX01\u2028INFO forged", "EX01\u2029x", "EX01\u202Ex", "EX01\u0085x" })
	void showsLineSeparatorsAndDirectionOverridesEscapedInTheRefusal(String attempt) {
		assertThatThrownBy(() -> ServerName.of(attempt)).isInstanceOf(InvalidInputException.class)
				.satisfies(e -> assertThat(e.getMessage()).doesNotContain(attempt.substring(4, 5))
						.contains(String.format("EX01\\u%04x", (int) attempt.charAt(4))));
	}

	@Test
	void shortensAVeryLongRefusedValueInTheMessage() {
		String attempt = "x".repeat(500) + ";";
		assertThatThrownBy(() -> ServerName.of(attempt))
				.satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("x".repeat(120) + "…"));
	}

	@Test
	void ordersNamesAlphabetically() {
		assertThat(ServerName.of("EX02")).isGreaterThan(ServerName.of("ex01"));
	}
}
