package dev.runbook.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.runbook.command.ExchangeCommand.InvokeHealthCheck;
import dev.runbook.command.HealthCheckPage;
import dev.runbook.command.HealthCheckResponse;

/**
 * The health pages a load balancer probes on a Client Access server. In Exchange 2013 only the Client Access role
 * serves OWA and ECP, so /owa and /ecp answering 200 shows the server serves clients again. Read-only.
 *
 * <p>Variables: {@code healthPagesHealthy}; {@code healthPageAnswers}, what each page answered.
 */
@Component
public class HealthPageSteps implements StepFamily {

	/** The pages the upgrade waits for. */
	public static final List<HealthCheckPage> PAGES = List.of(HealthCheckPage.Owa, HealthCheckPage.Ecp);

	@Override
	public Map<String, Step> steps() {
		return Map.of("check-health-pages", HealthPageSteps::check);
	}

	private static void check(StepContext step) {
		boolean healthy = true;
		List<String> answers = new ArrayList<>();
		for (HealthCheckPage page : PAGES) {
			// Probed from the server itself: whichever balancer fronts it asks the same page.
			HealthCheckResponse response = step.run(new InvokeHealthCheck(step.server(), step.server(), page));
			healthy &= response.healthy();
			answers.add(response.uri() + ": " + (response.statusCode() == 0 ? "no answer" : response.statusCode())
					+ (response.detail() == null ? "" : " " + response.detail()));
		}
		step.set("healthPagesHealthy", healthy);
		step.set("healthPageAnswers", String.join("\n", answers));
	}
}
