package dev.runbook.lab;

import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeShell;

/** The executor for rehearsals: every command goes to the simulated organisation. */
public class LabShell implements ExchangeShell {

	private final LabOrganisation organisation;

	public LabShell(LabOrganisation organisation) {
		this.organisation = organisation;
	}

	@Override
	public <R> R run(ExchangeCommand<R> command) {
		return organisation.execute(command);
	}

	@Override
	public double timeScale() {
		return organisation.clock().timeScale();
	}
}
