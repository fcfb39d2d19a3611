package dev.runbook.command;

import java.util.List;

/** The registry's reboot markers (PendingFileRenameOperations, CBS RebootPending, Windows Update RebootRequired). */
public record PendingReboot(boolean pending, List<String> reasons) {

	public PendingReboot {
		reasons = List.copyOf(reasons);
	}
}
