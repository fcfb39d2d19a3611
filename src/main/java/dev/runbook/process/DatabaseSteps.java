package dev.runbook.process;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.command.AutoActivationPolicy;
import dev.runbook.command.CommandFailedException;
import dev.runbook.command.DatabaseCopies;
import dev.runbook.command.ExchangeCommand.GetMailboxDatabaseCopyStatus;
import dev.runbook.command.ExchangeCommand.GetMailboxServer;
import dev.runbook.command.ExchangeCommand.MoveActiveMailboxDatabase;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyActivationDisabledAndMoveNow;
import dev.runbook.command.ExchangeCommand.SetDatabaseCopyAutoActivationPolicy;
import dev.runbook.command.MailboxServerSettings;

/**
 * The mailbox server's activation settings and the database copies it hosts. Set-MailboxServer is idempotent by
 * nature; Move-ActiveMailboxDatabase runs only while active copies remain.
 *
 * <p>Variables: {@code activeCopies} and {@code activeDatabases} (the move loop); {@code moveFailure} when
 * Move-ActiveMailboxDatabase could not move a straggler.
 */
@Component
public class DatabaseSteps implements StepFamily {

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"disable-activation-and-move-now", step -> step.run(new SetDatabaseCopyActivationDisabledAndMoveNow(step.server(), true)),
				"enable-activation", step -> step.run(new SetDatabaseCopyActivationDisabledAndMoveNow(step.server(), false)),
				"block-auto-activation", step -> step.run(new SetDatabaseCopyAutoActivationPolicy(step.server(), AutoActivationPolicy.Blocked)),
				"unrestrict-auto-activation", step -> step.run(new SetDatabaseCopyAutoActivationPolicy(step.server(), AutoActivationPolicy.Unrestricted)),
				"count-active-copies", DatabaseSteps::countActive,
				"move-active-databases", DatabaseSteps::moveStragglers,
				"verify-mailbox-server-in-maintenance", DatabaseSteps::verifyInMaintenance,
				"verify-mailbox-server-restored", DatabaseSteps::verifyRestored,
				"verify-copies-healthy", DatabaseSteps::verifyCopiesHealthy);
	}

	private static List<String> activeDatabases(StepContext step) {
		return step.run(new GetMailboxDatabaseCopyStatus(step.server())).active().stream()
				.map(DatabaseCopies.Copy::databaseName).toList();
	}

	private static void countActive(StepContext step) {
		List<String> active = activeDatabases(step);
		step.set("activeCopies", active.size());
		step.set("activeDatabases", String.join(", ", active));
	}

	/**
	 * Moves the copies MoveNow left behind. A move Exchange refuses is an outcome, not a fault: the next count shows
	 * the stragglers and an operator sees why. A server that does not answer is a fault, retried by the job.
	 */
	private static void moveStragglers(StepContext step) {
		step.remove("moveFailure");
		if (activeDatabases(step).isEmpty()) {
			return;
		}
		try {
			step.run(new MoveActiveMailboxDatabase(step.server()));
		} catch (CommandFailedException e) {
			if (e.isTransient()) {
				throw e;
			}
			step.set("moveFailure", e.getMessage());
		}
	}

	/** The seed's Get-MailboxServer check (DatabaseCopy*), plus the copies themselves: none may be active. */
	private static void verifyInMaintenance(StepContext step) {
		MailboxServerSettings settings = step.run(new GetMailboxServer(step.server()));
		if (settings.databaseCopyAutoActivationPolicy() != AutoActivationPolicy.Blocked
				|| !settings.databaseCopyActivationDisabledAndMoveNow()) {
			throw step.verificationFailed("Get-MailboxServer: " + step.server() + " has DatabaseCopyAutoActivationPolicy "
					+ settings.databaseCopyAutoActivationPolicy() + " and DatabaseCopyActivationDisabledAndMoveNow "
					+ settings.databaseCopyActivationDisabledAndMoveNow() + ", not Blocked and True.");
		}
		List<String> active = activeDatabases(step);
		if (!active.isEmpty()) {
			throw step.verificationFailed("Get-MailboxDatabaseCopyStatus: " + step.server() + " still hosts active copies of "
					+ String.join(", ", active) + ".");
		}
	}

	private static void verifyRestored(StepContext step) {
		MailboxServerSettings settings = step.run(new GetMailboxServer(step.server()));
		if (settings.databaseCopyAutoActivationPolicy() != AutoActivationPolicy.Unrestricted
				|| settings.databaseCopyActivationDisabledAndMoveNow()) {
			throw step.verificationFailed("Get-MailboxServer: " + step.server() + " has DatabaseCopyAutoActivationPolicy "
					+ settings.databaseCopyAutoActivationPolicy() + " and DatabaseCopyActivationDisabledAndMoveNow "
					+ settings.databaseCopyActivationDisabledAndMoveNow() + ", not Unrestricted and False.");
		}
	}

	/** Every copy on the server serves: Mounted where active, Healthy where passive. */
	private static void verifyCopiesHealthy(StepContext step) {
		List<String> unhealthy = step.run(new GetMailboxDatabaseCopyStatus(step.server())).copies().stream()
				.filter(c -> !c.isMounted() && !c.isHealthyPassive()).map(c -> c.name() + " " + c.status()).toList();
		if (!unhealthy.isEmpty()) {
			throw step.verificationFailed("Get-MailboxDatabaseCopyStatus: copies on " + step.server()
					+ " are not Mounted or Healthy: " + String.join(", ", unhealthy) + ".");
		}
	}
}
