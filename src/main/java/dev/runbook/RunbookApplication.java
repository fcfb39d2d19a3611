package dev.runbook;

import org.camunda.bpm.spring.boot.starter.annotation.EnableProcessApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@EnableProcessApplication("exchange-runbook")
@ConfigurationPropertiesScan
public class RunbookApplication {

	public static void main(String[] args) {
		SpringApplication.run(RunbookApplication.class, args);
	}
}
