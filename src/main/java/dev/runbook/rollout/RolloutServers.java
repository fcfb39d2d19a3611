package dev.runbook.rollout;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

import dev.runbook.command.ServerName;

/**
 * The servers the rollout upgrades one after the other, as a collection for the sequential multi-instance
 * ({@code camunda:collection="${rolloutServers.planned(execution)}"}): the plan keeps them as text, and each name is
 * validated again on the way out.
 */
@Component("rolloutServers")
public class RolloutServers {

	public List<String> planned(DelegateExecution execution) {
		return ServerList.parse((String) execution.getVariable("plannedServers")).stream().map(ServerName::value).toList();
	}
}
