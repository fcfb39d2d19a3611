package dev.runbook.command;

public enum ComponentState {
	Active, Inactive, Draining
}
