package dev.runbook.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.RunbookProperties;
import dev.runbook.command.ActiveDirectoryForest;
import dev.runbook.command.DirectoryPreparation;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.GetADForest;
import dev.runbook.command.ExchangeCommand.GetActiveDirectoryPreparation;
import dev.runbook.command.ExchangeCommand.StartSetup;
import dev.runbook.command.LicenseSwitch;
import dev.runbook.command.ServerName;
import dev.runbook.command.SetupMode;
import dev.runbook.process.Step;
import dev.runbook.process.StepContext;
import dev.runbook.process.StepFamily;
import dev.runbook.rollout.PreflightReport.Verdict;

/**
 * Active Directory preparation for the CU, once, before the first server: Setup /PrepareSchema, /PrepareAD and, in a
 * forest of several domains, /PrepareAllDomains, each only while the levels Active Directory reports are below the
 * target's, so that each step can run twice and an organisation already prepared skips them all.
 *
 * <p>Variables: {@code adPreparation} (the setup modes needed, comma-separated), {@code adPreparationNeeded};
 * {@code adPreparationServer} is set by the plan: the first server of the rollout, whose media path pre-flight tested.
 */
@Component
public class ActiveDirectorySteps implements StepFamily {

	private final boolean diagnosticData;

	public ActiveDirectorySteps(RunbookProperties properties) {
		this.diagnosticData = properties.setup().diagnosticData();
	}

	@Override
	public Map<String, Step> steps() {
		return Map.of(
				"check-active-directory", ActiveDirectorySteps::check,
				"prepare-schema", step -> prepare(step, SetupMode.PrepareSchema),
				"prepare-ad", step -> prepare(step, SetupMode.PrepareAD),
				"prepare-all-domains", step -> prepare(step, SetupMode.PrepareAllDomains),
				"verify-active-directory", ActiveDirectorySteps::verify);
	}

	private record Levels(ActiveDirectoryForest forest, DirectoryPreparation preparation) {

		/** The setup modes still needed for {@code target}, in the order they must run. */
		List<SetupMode> needed(ExchangeBuild target) {
			List<SetupMode> modes = new ArrayList<>();
			List<DomainName> domains = preparation.domainsNotReadyFor(target);
			if (!preparation.schemaReadyFor(target)) {
				modes.add(SetupMode.PrepareSchema);
			}
			if (!preparation.organizationReadyFor(target) || domains.contains(forest.name())) {
				modes.add(SetupMode.PrepareAD);
			}
			if (forest.hasSeveralDomains() && domains.stream().anyMatch(d -> !d.equals(forest.name()))) {
				modes.add(SetupMode.PrepareAllDomains);
			}
			return modes;
		}
	}

	private static Levels read(StepContext step) {
		Inventory inventory = Inventory.read(step);
		ActiveDirectoryForest forest = inventory.runOnAnyMember(step, GetADForest::new, null);
		DirectoryPreparation preparation = inventory.runOnAnyMember(step,
				runOn -> new GetActiveDirectoryPreparation(runOn, forest.name(), forest.domains()), null);
		return new Levels(forest, preparation);
	}

	public static List<SetupMode> modes(StepContext step) {
		String text = step.text("adPreparation");
		return text == null || text.isBlank() ? List.of()
				: java.util.Arrays.stream(text.split(",")).map(String::trim).map(SetupMode::valueOf).toList();
	}

	private static void check(StepContext step) {
		ExchangeBuild target = step.build("targetBuild");
		Levels levels = read(step);
		List<SetupMode> needed = levels.needed(target);
		step.set("adPreparation", String.join(",", needed.stream().map(Enum::name).toList()));
		step.set("adPreparationNeeded", !needed.isEmpty());
		DirectoryPreparation p = levels.preparation();
		List<String> lines = new ArrayList<>();
		lines.add("Forest " + levels.forest().name() + " (" + levels.forest().domains().size() + " domain"
				+ (levels.forest().domains().size() == 1 ? "" : "s") + "): schema prepared for " + p.schema()
				+ ", organisation for " + p.organization() + ".");
		if (needed.isEmpty()) {
			lines.add("Already at the levels " + target + " needs: no preparation.");
		} else {
			lines.add("Setup " + String.join(", ", needed.stream().map(m -> m.argument()).toList())
					+ " runs once, from the first server of the plan, before it; then the rollout waits for replication.");
		}
		PreflightReport.record(step, PreflightCheck.ACTIVE_DIRECTORY, needed.isEmpty() ? Verdict.PASSED : Verdict.NOTE,
				lines);
	}

	private void prepare(StepContext step, SetupMode mode) {
		ExchangeBuild target = step.build("targetBuild");
		if (!read(step).needed(target).contains(mode)) {
			return;
		}
		step.run(new StartSetup(ServerName.of(step.text("adPreparationServer")), step.path("setupPath"), mode,
				LicenseSwitch.forTarget(target, diagnosticData)));
	}

	private static void verify(StepContext step) {
		ExchangeBuild target = step.build("targetBuild");
		List<SetupMode> needed = read(step).needed(target);
		if (!needed.isEmpty()) {
			throw step.verificationFailed("Active Directory is still not prepared for " + target + ": "
					+ String.join(", ", needed.stream().map(SetupMode::argument).toList())
					+ " still needed after the preparation and the replication wait.");
		}
	}
}
