package dev.runbook.security;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The production profile's refusals, before the engine writes anything: no lab profile beside it (its demo users),
 * and no account whose password is its own name, the demo users' pattern, whether it comes from
 * runbook.identity.users or camunda.bpm.admin-user.
 */
public class ProductionGuard extends AbstractProcessEnginePlugin {

	private final Environment environment;
	private final IdentityProperties identity;
	private final CamundaBpmProperties camunda;

	public ProductionGuard(Environment environment, IdentityProperties identity, CamundaBpmProperties camunda) {
		this.environment = environment;
		this.identity = identity;
		this.camunda = camunda;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<String> refusals = new ArrayList<>();
		if (environment.acceptsProfiles(Profiles.of("lab"))) {
			refusals.add("the lab profile is active beside production: it creates demo users");
		}
		identity.users().stream().filter(u -> u.id().equalsIgnoreCase(u.password()))
				.forEach(u -> refusals.add("user " + u.id() + " has its name as password"));
		var admin = camunda.getAdminUser();
		if (admin.getId() != null && admin.getId().equalsIgnoreCase(admin.getPassword())) {
			refusals.add("camunda.bpm.admin-user " + admin.getId() + " has its name as password");
		}
		if (!refusals.isEmpty()) {
			throw new IllegalStateException("The production profile refuses to start: " + String.join("; ", refusals)
					+ ". Take users and passwords from the environment.");
		}
	}
}
