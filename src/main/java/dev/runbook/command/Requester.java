package dev.runbook.command;

/** Who set a component state; a component is Inactive while any requester holds it Inactive. */
public enum Requester {
	Maintenance, Functional, HealthApi, Sidelined, Deployment
}
