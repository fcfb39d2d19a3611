package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseNameTest {

	@Test
	void acceptsExchangeStyleNamesKeepingTheirCase() {
		assertThat(DatabaseName.of("DB01").value()).isEqualTo("DB01");
		assertThat(DatabaseName.of(" Mailbox Database 0311695863 ").value()).isEqualTo("Mailbox Database 0311695863");
		assertThat(DatabaseName.of("EMEA_DB-01.a").value()).isEqualTo("EMEA_DB-01.a");
		assertThat(DatabaseName.of("x".repeat(64)).value()).hasSize(64);
	}

	@Test
	void theSameDatabaseWhateverTheCase() {
		assertThat(DatabaseName.of("db01")).isEqualTo(DatabaseName.of("DB01")).hasSameHashCodeAs(DatabaseName.of("DB01"));
		assertThat(DatabaseName.of("DB01")).isNotEqualTo(DatabaseName.of("DB02"));
	}

	/** A backslash or wildcard would change which copies an identity such as {@code DB01\*} names. */
	@ParameterizedTest
	@ValueSource(strings = { "DB01'; Dismount-Database DB02 -Confirm:$false; '", "DB01\\EX01", "DB*", "DB0?", "DB[01]",
			"DB01\u2018", "DB01\"", "DB`01", "$DB", "DB01;", "DB01|x", "DB01 .", "-DB01", "DB01.", "DB01/EX01",
			"DB\u00e901" })
	void refusesCharactersThatCarryMeaning(String raw) {
		assertThatThrownBy(() -> DatabaseName.of(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("Database name '");
	}

	@Test
	void refusesAnOverlongName() {
		assertThatThrownBy(() -> DatabaseName.of("x".repeat(65))).isInstanceOf(InvalidInputException.class);
	}

	@Test
	void refusesControlCharactersAndBlanks() {
		assertThatThrownBy(() -> DatabaseName.of("DB01\r\nDB02")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("control characters");
		assertThatThrownBy(() -> DatabaseName.of("")).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("required");
	}

	@Test
	void namesEveryCopyOfOneDatabaseAndNothingElse() {
		String line = PowerShell.render(new ExchangeCommand.GetDatabaseCopies(ServerName.of("EX01"), DatabaseName.of("DB01")));

		assertThat(line).isEqualTo("Get-MailboxDatabaseCopyStatus -Identity 'DB01\\*'");
	}
}
