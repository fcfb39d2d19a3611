package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

	@Test
	void acceptsDnsNamesInLowerCaseAndWritesTheirDistinguishedName() {
		assertThat(DomainName.of("Contoso.LOCAL").value()).isEqualTo("contoso.local");
		assertThat(DomainName.of("emea.corp.contoso.com").distinguishedName()).isEqualTo("DC=emea,DC=corp,DC=contoso,DC=com");
		assertThat(DomainName.of("contoso").distinguishedName()).isEqualTo("DC=contoso");
		assertThat(DomainName.of("a-very-long-forest-root-name.example")).isEqualTo(DomainName.of("A-VERY-LONG-FOREST-ROOT-NAME.example"));
	}

	/** A comma, equals sign or quote would change the distinguished names the AD reads are built from. */
	@ParameterizedTest
	@ValueSource(strings = { "contoso.local,DC=evil", "contoso.local'; Remove-ADObject x; '", "DC=contoso", "contoso..local",
			".contoso.local", "contoso.local.", "-contoso.local", "contoso_local", "contoso local", "contoso.local\u2019",
			"contoso.$(calc)", "c\u00f6ntoso.local" })
	void refusesAnythingButDnsLabels(String raw) {
		assertThatThrownBy(() -> DomainName.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("Domain name '");
	}

	@Test
	void refusesControlCharactersAndOverlongNames() {
		assertThatThrownBy(() -> DomainName.of("contoso.local\u0000")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("\\u0000");
		assertThatThrownBy(() -> DomainName.of(("a".repeat(60) + ".").repeat(5) + "com"))
				.isInstanceOf(InvalidInputException.class).hasMessageContaining("253");
	}
}
