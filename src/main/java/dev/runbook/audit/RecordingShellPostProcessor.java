package dev.runbook.audit;

import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.runbook.command.ExchangeShell;

/**
 * Puts a {@link RecordingShell} in front of whichever {@link ExchangeShell} the configuration provides (the lab, remote
 * PowerShell), so that no executor can be configured without its commands being recorded.
 */
class RecordingShellPostProcessor implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ExchangeShell shell && !(bean instanceof RecordingShell)) {
			return new RecordingShell(shell);
		}
		return bean;
	}
}
