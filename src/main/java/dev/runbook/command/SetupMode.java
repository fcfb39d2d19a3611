package dev.runbook.command;

/** Setup.exe's unattended modes the runbook uses. */
public enum SetupMode {
	Upgrade("/m:upgrade"), PrepareSchema("/PrepareSchema"), PrepareAD("/PrepareAD"), PrepareAllDomains("/PrepareAllDomains");

	private final String argument;

	SetupMode(String argument) {
		this.argument = argument;
	}

	public String argument() {
		return argument;
	}
}
