package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExchangeBuildTest {

	@Test
	void parsesAFourPartBuild() {
		ExchangeBuild cu23 = ExchangeBuild.parse("15.0.1497.2");

		assertThat(cu23.major()).isEqualTo(15);
		assertThat(cu23.minor()).isEqualTo(0);
		assertThat(cu23.part(2)).isEqualTo(1497);
		assertThat(cu23.part(3)).isEqualTo(2);
		assertThat(cu23).hasToString("15.0.1497.2");
	}

	@Test
	void parsesAThreePartExchange2003Build() {
		ExchangeBuild sp1 = ExchangeBuild.parse("6.5.7226");

		assertThat(sp1.major()).isEqualTo(6);
		assertThat(sp1.minor()).isEqualTo(5);
		assertThat(sp1.part(2)).isEqualTo(7226);
		assertThat(sp1.part(3)).isZero();
		assertThat(sp1).hasToString("6.5.7226");
	}

	@Test
	void readsTheZeroPaddedFileVersionOfExSetup() {
		assertThat(ExchangeBuild.parse("15.02.0986.005")).isEqualTo(ExchangeBuild.parse("15.2.986.5"));
	}

	@ParameterizedTest
	@CsvSource({
			"15.0.1497.2, 15.0.1473.3", // 2013 CU23 after CU22
			"15.0.1497.10, 15.0.1497.2", // numeric, not text: 10 > 2
			"15.0.1497.2, 15.0.995.29", // 1497 > 995 although '1' < '9'
			"15.1.2375.7, 15.0.1497.2", // 2016 after 2013
			"15.2.986.5, 15.1.2507.6",
			"6.5.7638.2, 6.5.7226", // 2003 SP2 after SP1, three parts against four
			"6.5.7226.1, 6.5.7226" })
	void comparesPartByPartNumerically(String newer, String older) {
		ExchangeBuild n = ExchangeBuild.parse(newer);
		ExchangeBuild o = ExchangeBuild.parse(older);

		assertThat(n.isNewerThan(o)).isTrue();
		assertThat(o.isNewerThan(n)).isFalse();
		assertThat(n).isGreaterThan(o);
		assertThat(n).isNotEqualTo(o);
	}

	@Test
	void treatsAMissingFourthPartAsZero() {
		ExchangeBuild three = ExchangeBuild.parse("6.5.7226");
		ExchangeBuild four = ExchangeBuild.parse("6.5.7226.0");

		assertThat(three).isEqualTo(four).hasSameHashCodeAs(four);
		assertThat(three.isNewerThan(four)).isFalse();
		assertThat(three.compareTo(four)).isZero();
	}

	@Test
	void cannotBeChangedThroughItsParts() {
		int[] parts = { 15, 0, 1497, 2 };
		ExchangeBuild build = new ExchangeBuild(parts);
		parts[2] = 1;
		build.parts()[3] = 99;

		assertThat(build).hasToString("15.0.1497.2");
	}

	@Test
	void refusesPartsThatAreNotABuild() {
		assertThatThrownBy(() -> new ExchangeBuild(new int[] { 15, 0 })).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("three or four");
		assertThatThrownBy(() -> new ExchangeBuild(new int[] { 15, 0, 1, 2, 3 })).isInstanceOf(InvalidInputException.class);
		assertThatThrownBy(() -> new ExchangeBuild(new int[] { 15, 0, -1, 2 })).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("negative");
	}

	@Test
	void knowsTheProductLine() {
		ExchangeBuild cu22 = ExchangeBuild.parse("15.0.1473.3");

		assertThat(cu22.sameVersionAs(ExchangeBuild.parse("15.0.1497.2"))).isTrue();
		assertThat(cu22.sameVersionAs(ExchangeBuild.parse("15.1.2507.6"))).isFalse();
		assertThat(ExchangeBuild.parse("6.5.7226").sameVersionAs(ExchangeBuild.parse("6.5.7638.2"))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "15", "15.0", "15.0.1497.2.1", "v15.0.1497.2", "15.0.1497.2; calc", "15.0.x.2", "15..1497.2",
			"15.0.1497.", "123456.0.0.0", "-15.0.1497.2", "15,0,1497,2" })
	void refusesWhatIsNotABuildNumber(String raw) {
		assertThatThrownBy(() -> ExchangeBuild.parse(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("is not an Exchange build number: expected three or four numbers separated by dots");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " " })
	void refusesAnEmptyBuild(String raw) {
		assertThatThrownBy(() -> ExchangeBuild.parse(raw)).isInstanceOf(InvalidInputException.class)
				.hasMessageStartingWith("A build number is required");
		assertThatThrownBy(() -> ExchangeBuild.parse(null)).isInstanceOf(InvalidInputException.class);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"Version 15.0 (Build 1497.2) | 15.0.1497.2",
			"Version 15.1 (Build 2507.6) | 15.1.2507.6",
			"Version 15.2 (Build 986.5)  | 15.2.986.5",
			"Version 6.5 (Build 7638.2: Service Pack 2) | 6.5.7638.2", // Exchange 2003 as Get-ExchangeServer shows it
			"Version 6.5 (Build 7226.6: Service Pack 1) | 6.5.7226.6" })
	void readsAdminDisplayVersion(String adminDisplayVersion, String build) {
		assertThat(ExchangeBuild.fromAdminDisplayVersion(adminDisplayVersion)).isEqualTo(ExchangeBuild.parse(build));
	}

	@Test
	void writesAdminDisplayVersionAsGetExchangeServerShowsIt() {
		ExchangeBuild build = ExchangeBuild.parse("15.2.986.5");

		assertThat(build.adminDisplayVersion()).isEqualTo("Version 15.2 (Build 986.5)");
		assertThat(ExchangeBuild.fromAdminDisplayVersion(build.adminDisplayVersion())).isEqualTo(build);
	}

	@ParameterizedTest
	@ValueSource(strings = { "15.0.1497.2", "Version 15.0", "Version 15.0 (Build 1497)", "" })
	void refusesAnAdminDisplayVersionOfAnotherShape(String text) {
		assertThatThrownBy(() -> ExchangeBuild.fromAdminDisplayVersion(text)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("is not of the form 'Version 15.0 (Build 1497.2)'");
	}

	@Test
	void showsAnUnreadableAdminDisplayVersionEscaped() {
		assertThatThrownBy(() -> ExchangeBuild.fromAdminDisplayVersion("Version 15\r\nforged")).isInstanceOf(InvalidInputException.class)
				.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("\\u000a"));
		assertThatThrownBy(() -> ExchangeBuild.fromAdminDisplayVersion(null)).isInstanceOf(InvalidInputException.class)
				.hasMessageContaining("is not of the form");
	}
}
