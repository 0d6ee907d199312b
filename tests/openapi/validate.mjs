// Validates an OpenAPI document against the OpenAPI 3.1 schema (with
// @seriousme/openapi-schema-validator) and checks that every $ref resolves.
// Prints one TAP-like line per check and "openapi: N passed, N failed"; exits 1
// on failure.
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
const checks = [];
const validator = new Validator();
const res = await validator.validate(file);

checks.push(["is valid against the OpenAPI schema", res.valid, res.errors]);
checks.push(["declares OpenAPI 3.1", validator.version === "3.1", `version ${validator.version}`]);
let resolved = false, why;
try {
	validator.resolveRefs();
	resolved = true;
} catch (e) {
	why = e.message;
}
checks.push(["resolves every $ref", resolved, why]);

let failed = 0;
for (const [name, ok, detail] of checks) {
	console.log(`${ok ? "ok" : "not ok"} - openapi.yaml ${name}`);
	if (!ok) {
		failed++;
		console.log(typeof detail === "string" ? detail : JSON.stringify(detail, null, 2));
	}
}
console.log(`openapi: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
