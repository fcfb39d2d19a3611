package dev.runbook.browser;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * {@code @ExtendWith(RequiresBrowser.class)} on a browser test class: {@link InstalledBrowser#require()} checked before
 * the class starts anything (no Spring context, no browser). Without chromium and chromedriver the class is reported
 * skipped with the reason; on CI (CI=true) it fails instead.
 */
public class RequiresBrowser implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		try {
			InstalledBrowser.require();
			return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
		} catch (TestAbortedException skipped) {
			// Surefire counts a skip but keeps its reason in the report only: say it in the build's output too.
			System.err.println(context.getDisplayName() + ": " + skipped.getMessage());
			return ConditionEvaluationResult.disabled(skipped.getMessage());
		}
	}
}
