// Reads the SARIF log that `sarif-multitool validate --output` wrote and fails (exit 1) on
// any error or warning: results (a result without `level` is a warning, SARIF §3.27.10) and
// notifications of the validator itself. The multitool's own exit code is 0 either way.
// `--allow-disabled RULE` accepts the validator's warning that RULE was switched off.
"use strict";
const fs = require("fs");

const args = process.argv.slice(2);
const [logPath, validatedPath] = args;
const allowIndex = args.indexOf("--allow-disabled");
const allowedDisabled = allowIndex >= 0 ? args[allowIndex + 1] : null;
const log = JSON.parse(fs.readFileSync(logPath, "utf8"));
const problems = [];
for (const run of log.runs || []) {
  for (const result of run.results || []) {
    const level = result.level || "warning";
    if (level === "error" || level === "warning") {
      const args = (result.message && result.message.arguments) || [];
      const text = (result.message && (result.message.text || result.message.id)) || "";
      problems.push(`${level} ${result.ruleId}: ${args[0] || ""} ${text}`.trim());
    }
  }
  for (const invocation of run.invocations || []) {
    if (invocation.executionSuccessful === false) {
      problems.push("error: the validator did not complete");
    }
    const notifications = [
      ...(invocation.toolExecutionNotifications || []),
      ...(invocation.toolConfigurationNotifications || []),
    ];
    for (const n of notifications) {
      const level = n.level || "warning";
      const id = (n.descriptor && n.descriptor.id) || "";
      const text = (n.message && n.message.text) || "";
      const allowed =
        allowedDisabled !== null &&
        id === "WRN999.RuleExplicitlyDisabled" &&
        text.includes(`'${allowedDisabled}'`);
      if ((level === "error" || level === "warning") && !allowed) {
        problems.push(`${level} ${id}: ${text}`.trim());
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`${validatedPath}: ${problems.length} error(s)/warning(s) from sarif-multitool:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`${validatedPath}: valid SARIF (0 errors, 0 warnings)`);
