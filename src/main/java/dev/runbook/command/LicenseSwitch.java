package dev.runbook.command;

/**
 * The license switch unattended setup needs. From the September 2021 CUs (Exchange 2016 CU22, 2019 CU11) setup refuses
 * the classic switch and wants the diagnostic-data choice spelled out.
 */
public enum LicenseSwitch {
	Classic("/IAcceptExchangeServerLicenseTerms"),
	DiagnosticDataON("/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"),
	DiagnosticDataOFF("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF");

	private static final ExchangeBuild EXCHANGE_2016_CU22 = ExchangeBuild.parse("15.1.2375.7");
	private static final ExchangeBuild EXCHANGE_2019_CU11 = ExchangeBuild.parse("15.2.986.5");

	private final String argument;

	LicenseSwitch(String argument) {
		this.argument = argument;
	}

	public String argument() {
		return argument;
	}

	public static LicenseSwitch forTarget(ExchangeBuild target, boolean sendDiagnosticData) {
		boolean newSwitch = (target.major() == 15 && target.minor() == 1 && target.compareTo(EXCHANGE_2016_CU22) >= 0)
				|| (target.major() == 15 && target.minor() >= 2 && target.compareTo(EXCHANGE_2019_CU11) >= 0);
		if (!newSwitch) {
			return Classic;
		}
		return sendDiagnosticData ? DiagnosticDataON : DiagnosticDataOFF;
	}
}
