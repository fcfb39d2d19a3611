package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LicenseSwitchTest {

	@ParameterizedTest
	@CsvSource({
			"15.0.1497.2, true", // Exchange 2013 CU23: setup knows only the classic switch
			"15.0.1497.2, false",
			"15.1.2308.8, true", // 2016 CU21, the last before the change
			"15.1.2308.27, false", // 2016 CU21 with a later security update: the CU's setup decides
			"15.2.922.7, true", // 2019 CU10
			"15.2.922.27, false" })
	void keepsTheClassicSwitchBeforeTheSeptember2021Updates(String target, boolean diagnosticData) {
		LicenseSwitch license = LicenseSwitch.forTarget(ExchangeBuild.parse(target), diagnosticData);

		assertThat(license).isEqualTo(LicenseSwitch.Classic);
		assertThat(license.argument()).isEqualTo("/IAcceptExchangeServerLicenseTerms");
	}

	@ParameterizedTest
	@CsvSource({
			"15.1.2375.7", // 2016 CU22
			"15.1.2375.37", // 2016 CU22 with an update
			"15.1.2507.6", // 2016 CU23
			"15.2.986.5", // 2019 CU11
			"15.2.1118.7", // 2019 CU12
			"15.2.1748.10", // 2019 CU15
			"15.2.2562.17" }) // Exchange Server SE RTM
	void spellsOutTheDiagnosticDataChoiceFrom2016Cu22And2019Cu11(String target) {
		ExchangeBuild build = ExchangeBuild.parse(target);

		assertThat(LicenseSwitch.forTarget(build, true)).isEqualTo(LicenseSwitch.DiagnosticDataON);
		assertThat(LicenseSwitch.forTarget(build, true).argument())
				.isEqualTo("/IAcceptExchangeServerLicenseTerms_DiagnosticDataON");
		assertThat(LicenseSwitch.forTarget(build, false)).isEqualTo(LicenseSwitch.DiagnosticDataOFF);
		assertThat(LicenseSwitch.forTarget(build, false).argument())
				.isEqualTo("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF");
	}

	@ParameterizedTest
	@CsvSource({ "6.5.7226", "6.5.7638.2" })
	void keepsTheClassicSwitchForExchange2003(String target) {
		assertThat(LicenseSwitch.forTarget(ExchangeBuild.parse(target), true)).isEqualTo(LicenseSwitch.Classic);
	}
}
