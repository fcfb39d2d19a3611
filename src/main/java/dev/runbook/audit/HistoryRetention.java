package dev.runbook.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps history as long as {@code runbook.audit.retention} says, whatever a BPMN file declares: every process
 * definition's history time to live is the configured number of days, for new deployments as they are parsed and for
 * those already deployed when the engine starts. History cleanup then removes a run that many days after it ended
 * (in the cleanup window, camunda.bpm.generic-properties). A changed retention applies to runs that end after it.
 */
public class HistoryRetention extends AbstractProcessEnginePlugin {

	private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

	private final int days;

	public HistoryRetention(int days) {
		this.days = days;
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null ? new ArrayList<>()
				: new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
		listeners.add(new AbstractBpmnParseListener() {
			@Override
			public void parseProcess(Element processElement, ProcessDefinitionEntity definition) {
				definition.setHistoryTimeToLive(days);
			}
		});
		configuration.setCustomPostBPMNParseListeners(listeners);
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine engine) {
		RepositoryService repository = engine.getRepositoryService();
		for (ProcessDefinition definition : repository.createProcessDefinitionQuery().list()) {
			if (!Objects.equals(definition.getHistoryTimeToLive(), days)) {
				repository.updateProcessDefinitionHistoryTimeToLive(definition.getId(), days);
				log.info("History of {} v{} is now kept {} days (was {})", definition.getKey(), definition.getVersion(),
						days, definition.getHistoryTimeToLive());
			}
		}
	}
}
