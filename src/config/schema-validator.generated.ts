// Generated from schema/memlint.schema.json by `npx tsx scripts/schema-validator.ts`; do not edit by hand.
// @ts-nocheck
/* eslint-disable */
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","title":"memlint configuration (.github/memlint.yml)","description":"Configuration of memlint, the reviewer of Go pull requests for memory-management pitfalls. Read by the GitHub App (from the default branch) and by the `memlint` CLI (from the working tree). Every key is optional; what the file leaves out keeps its default.","type":"object","additionalProperties":false,"properties":{"_extends":{"type":"string","description":"Inherit settings from another repository's `.github/memlint.yml` (Probot convention: `repo` or `owner/repo`). Resolved by the App before memlint reads the file; the CLI ignores it."},"rules":{"type":"object","description":"Per-rule settings, keyed by rule id (`memlint rules` lists them). A rule is `off`, a severity (`error`, `warning`, `info`: enabled with that severity), or a mapping `{enabled, severity}`. Rules not listed run with their default severity.","default":{},"propertyNames":{"pattern":"^[a-z0-9]+(-[a-z0-9]+)*$","patternErrorMessage":"rule ids are lower-case words joined by hyphens, like `defer-in-loop`"},"additionalProperties":{"$ref":"#/definitions/ruleSetting"}},"paths":{"type":"object","description":"Which files are analyzed: globs (picomatch syntax) matched against paths relative to the repository root.","additionalProperties":false,"properties":{"include":{"description":"Only files matching one of these globs are analyzed. Replaces the default.","default":["**/*.go"],"$ref":"#/definitions/globs"},"exclude":{"description":"Files matching one of these globs are not analyzed, even when included. Replaces the default, so list `vendor/**` again if you set it.","default":["vendor/**","**/vendor/**","**/testdata/**"],"$ref":"#/definitions/globs"},"non_production":{"description":"Code that does not run in production (examples, test helpers, end-to-end suites, development tools) is analyzed as test code: each rule's test policy applies there, as in `_test.go` files and `//go:build ignore` files (see `in_tests` of a rule). Replaces the default.","default":["**/example/**","**/examples/**","**/_example/**","**/_examples/**","**/testutil/**","**/testutils/**","**/testhelper/**","**/testhelpers/**","**/testing/**","**/testsuite/**","**/internal/test*/**","**/test/**","**/tests/**","**/e2e/**","**/integration/**","**/itest/**","**/hack/**","**/scripts/**","**/generator/**","**/codegen/**","**/*gen/main.go","**/mock/**","**/mocks/**","**/fake/**","**/fakes/**"],"$ref":"#/definitions/globs"}}},"tests":{"type":"boolean","description":"Analyze `_test.go` files. Test code gets each rule's test policy (`memlint rules` and docs/rules.md show it; most leak rules skip tests, whose process ends soon).","default":true},"generated":{"type":"boolean","description":"Analyze generated files (those with a `// Code generated … DO NOT EDIT.` line, and protoc output `*.pb.go` by its name).","default":false},"go_version":{"type":"string","description":"The Go version the code runs on, overriding the `go` directive of go.mod. Rules about pitfalls the runtime fixed in this version or earlier (the timer rules from 1.23) do not run, unless the rule is given a severity here; `memlint check --all-versions` reports them as `info`. Quote it: YAML reads an unquoted 1.20 as the number 1.2.","pattern":"^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$","patternErrorMessage":"a Go version looks like \"1.22\" or \"1.22.3\"","examples":["1.22","1.23.4"]},"max_comments":{"type":"integer","description":"At most this many inline review comments per run; further findings appear in the check run only.","minimum":1,"maximum":100,"default":25},"comments":{"type":"object","description":"Inline review comments (the App and the Action).","additionalProperties":false,"properties":{"min_severity":{"type":"string","description":"Only findings at or above this severity get an inline review comment; the others are check-run annotations and rows of the summary.","enum":["error","warning","info"],"default":"warning"}}},"drafts":{"type":"string","description":"Whether draft pull requests are analyzed (`analyze`) or skipped until they are ready for review (`skip`).","enum":["analyze","skip"],"default":"analyze"},"environments":{"type":"object","description":"Merge policy by base branch. The first environment whose `branches` match the pull request's base branch applies; the order is production, staging, environments the file adds (in file order), then development. Settings given here are merged over the defaults key by key, so `production: {block_on: error}` changes only that. New environment names are allowed and must give `branches`.","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9_.-]*$","patternErrorMessage":"environment names are letters, digits, `_`, `.` and `-`"},"additionalProperties":{"$ref":"#/definitions/environment"},"properties":{"production":{"description":"Defaults: branches [$default], block_on warning, conclusion failure, waivers not allowed (min_permission admin).","$ref":"#/definitions/environment"},"staging":{"description":"Defaults: branches [release/*, staging], block_on error, conclusion action_required, waivers allowed for maintain and above.","$ref":"#/definitions/environment"},"development":{"description":"Defaults: branches [**] (every other branch), block_on none, conclusion neutral, waivers allowed for write and above, authors may waive their own findings.","$ref":"#/definitions/environment"}}},"ignore":{"type":"object","description":"Rules for waivers (`//memlint:ignore RULE -- reason` in code and `/memlint ignore <id> <reason>` in comments).","additionalProperties":false,"properties":{"min_reason_length":{"type":"integer","description":"The reason of a waiver must have at least this many characters.","minimum":0,"maximum":500,"default":10}}},"locked":{"type":"array","description":"Organization-wide locks, read only from the organization's `.github` repository (`.github/memlint.yml` there): settings that repositories may tighten but not loosen. A repository's value of a locked setting applies only when it is at least as strict as the organization's (a lower `block_on`, a stricter `conclusion`, fewer waivers, a rule enabled at the same or a higher severity, …); otherwise the organization's value applies and the check run says so. Entries: `environments`, `environments.<name|*>`, `environments.<name|*>.<branches|block_on|conclusion|waivers|waivers.allowed|waivers.min_permission|waivers.author_may_waive|waivers.approvers>`, `rules`, `rules.<id>`, `paths`, `paths.include`, `paths.exclude`, `paths.non_production`, `tests`, `generated`, `drafts`, `go_version`, `max_comments`, `comments`, `comments.min_severity`, `ignore`, `ignore.min_reason_length`, `contracts`, `contracts.<scopes|require|scan_package>`. In a repository's own file the list has no effect.","items":{"type":"string","pattern":"^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$","patternErrorMessage":"a locked setting is a dotted key such as `environments.production.block_on` or `rules.defer-in-loop`"},"default":[],"examples":[["environments.production.block_on","environments.production.waivers","rules"]]},"contracts":{"type":"object","description":"Lifetime contracts (`//memlint:borrow`, `//memlint:lifetime`, `//memlint:owned`, `//memlint:bounds`).","additionalProperties":false,"properties":{"scopes":{"type":"array","description":"Lifetime scopes from shortest to longest. Must start with `call` and end with `process`; names are unique.","items":{"type":"string","pattern":"^[a-z][a-z0-9_]*$","patternErrorMessage":"a scope is a lower-case word such as `request` or `session`"},"minItems":2,"default":["call","request","process"]},"require":{"description":"Globs (from the repository root) of files whose exported functions must declare contracts (see the `contract-missing` rule).","default":[],"$ref":"#/definitions/globs"},"scan_package":{"type":"boolean","description":"Read contracts from the other files of each touched package, not only from the changed files.","default":true}}}},"definitions":{"severity":{"type":"string","enum":["error","warning","info"]},"globs":{"type":"array","items":{"type":"string","minLength":1,"pattern":"^(?!/|\\./)","patternErrorMessage":"globs are matched against paths relative to the repository root; drop the leading `/` or `./`"}},"ruleSetting":{"anyOf":[{"type":"string","enum":["off","error","warning","info"],"description":"`off` disables the rule; a severity enables it with that severity."},{"type":"object","description":"Whether the rule runs and the severity of its findings.","additionalProperties":false,"properties":{"enabled":{"type":"boolean","description":"Whether the rule runs.","default":true},"severity":{"$ref":"#/definitions/severity","description":"Severity of the rule's findings, instead of its default."},"in_tests":{"type":"string","description":"What the rule's findings get in test code (`_test.go` files, test functions, `//go:build ignore` files, `paths.non_production`): `skip` (not reported), `info` (reported as info) or `report` (as elsewhere), instead of the rule's own policy.","enum":["skip","info","report"]}}}]},"environment":{"type":"object","additionalProperties":false,"properties":{"branches":{"type":"array","description":"Base-branch globs; `$default` stands for the repository's default branch.","items":{"type":"string","minLength":1}},"block_on":{"type":"string","description":"Lowest severity of an introduced finding that blocks the merge, or `none`.","enum":["error","warning","info","none"]},"conclusion":{"type":"string","description":"Check-run conclusion when something blocks. `neutral` reports without blocking; `action_required` and `failure` block a required check.","enum":["neutral","action_required","failure"]},"waivers":{"type":"object","description":"Who may waive findings (`/memlint ignore`, the check run's Waive button).","additionalProperties":false,"properties":{"allowed":{"type":"boolean","description":"Whether findings may be waived at all."},"min_permission":{"type":"string","description":"Lowest repository permission that may waive with `/memlint ignore`.","enum":["read","triage","write","maintain","admin"]},"author_may_waive":{"type":"boolean","description":"Whether the pull request's author may waive findings of their own pull request."},"approvers":{"type":"array","description":"Logins and teams (`@org/team`) who may press the check run's Waive button.","items":{"type":"string","pattern":"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$","patternErrorMessage":"an approver is a login (`octocat`) or a team (`@org/team`)"}}}}}}}};
const schema14 = {"type":"array","items":{"type":"string","minLength":1,"pattern":"^(?!/|\\./)","patternErrorMessage":"globs are matched against paths relative to the repository root; drop the leading `/` or `./`"}};
const schema17 = {"type":"object","additionalProperties":false,"properties":{"branches":{"type":"array","description":"Base-branch globs; `$default` stands for the repository's default branch.","items":{"type":"string","minLength":1}},"block_on":{"type":"string","description":"Lowest severity of an introduced finding that blocks the merge, or `none`.","enum":["error","warning","info","none"]},"conclusion":{"type":"string","description":"Check-run conclusion when something blocks. `neutral` reports without blocking; `action_required` and `failure` block a required check.","enum":["neutral","action_required","failure"]},"waivers":{"type":"object","description":"Who may waive findings (`/memlint ignore`, the check run's Waive button).","additionalProperties":false,"properties":{"allowed":{"type":"boolean","description":"Whether findings may be waived at all."},"min_permission":{"type":"string","description":"Lowest repository permission that may waive with `/memlint ignore`.","enum":["read","triage","write","maintain","admin"]},"author_may_waive":{"type":"boolean","description":"Whether the pull request's author may waive findings of their own pull request."},"approvers":{"type":"array","description":"Logins and teams (`@org/team`) who may press the check run's Waive button.","items":{"type":"string","pattern":"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$","patternErrorMessage":"an approver is a login (`octocat`) or a team (`@org/team`)"}}}}}};
const func2 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^[a-z0-9]+(-[a-z0-9]+)*$", "u");
const pattern1 = new RegExp("^(?!/|\\./)", "u");
const pattern4 = new RegExp("^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$", "u");
const pattern5 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_.-]*$", "u");
const pattern6 = new RegExp("^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$", "u");
const pattern10 = new RegExp("^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$", "u");
const pattern11 = new RegExp("^[a-z][a-z0-9_]*$", "u");
const schema12 = {"anyOf":[{"type":"string","enum":["off","error","warning","info"],"description":"`off` disables the rule; a severity enables it with that severity."},{"type":"object","description":"Whether the rule runs and the severity of its findings.","additionalProperties":false,"properties":{"enabled":{"type":"boolean","description":"Whether the rule runs.","default":true},"severity":{"$ref":"#/definitions/severity","description":"Severity of the rule's findings, instead of its default."},"in_tests":{"type":"string","description":"What the rule's findings get in test code (`_test.go` files, test functions, `//go:build ignore` files, `paths.non_production`): `skip` (not reported), `info` (reported as info) or `report` (as elsewhere), instead of the rule's own policy.","enum":["skip","info","report"]}}}]};
const schema13 = {"type":"string","enum":["error","warning","info"]};

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
const _errs0 = errors;
let valid0 = false;
const _errs1 = errors;
if(typeof data !== "string"){
const err0 = {instancePath,schemaPath:"#/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.anyOf[0].type,parentSchema:schema12.anyOf[0],data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(!((((data === "off") || (data === "error")) || (data === "warning")) || (data === "info"))){
const err1 = {instancePath,schemaPath:"#/anyOf/0/enum",keyword:"enum",params:{allowedValues: schema12.anyOf[0].enum},message:"must be equal to one of the allowed values",schema:schema12.anyOf[0].enum,parentSchema:schema12.anyOf[0],data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
var _valid0 = _errs1 === errors;
valid0 = valid0 || _valid0;
if(!valid0){
const _errs3 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((key0 === "enabled") || (key0 === "severity")) || (key0 === "in_tests"))){
const err2 = {instancePath,schemaPath:"#/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema12.anyOf[1],data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.enabled !== undefined){
let data0 = data.enabled;
if(typeof data0 !== "boolean"){
const err3 = {instancePath:instancePath+"/enabled",schemaPath:"#/anyOf/1/properties/enabled/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema12.anyOf[1].properties.enabled.type,parentSchema:schema12.anyOf[1].properties.enabled,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.severity !== undefined){
let data1 = data.severity;
if(typeof data1 !== "string"){
const err4 = {instancePath:instancePath+"/severity",schemaPath:"#/definitions/severity/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema13.type,parentSchema:schema13,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(!(((data1 === "error") || (data1 === "warning")) || (data1 === "info"))){
const err5 = {instancePath:instancePath+"/severity",schemaPath:"#/definitions/severity/enum",keyword:"enum",params:{allowedValues: schema13.enum},message:"must be equal to one of the allowed values",schema:schema13.enum,parentSchema:schema13,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.in_tests !== undefined){
let data2 = data.in_tests;
if(typeof data2 !== "string"){
const err6 = {instancePath:instancePath+"/in_tests",schemaPath:"#/anyOf/1/properties/in_tests/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema12.anyOf[1].properties.in_tests.type,parentSchema:schema12.anyOf[1].properties.in_tests,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(!(((data2 === "skip") || (data2 === "info")) || (data2 === "report"))){
const err7 = {instancePath:instancePath+"/in_tests",schemaPath:"#/anyOf/1/properties/in_tests/enum",keyword:"enum",params:{allowedValues: schema12.anyOf[1].properties.in_tests.enum},message:"must be equal to one of the allowed values",schema:schema12.anyOf[1].properties.in_tests.enum,parentSchema:schema12.anyOf[1].properties.in_tests,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
else {
const err8 = {instancePath,schemaPath:"#/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.anyOf[1].type,parentSchema:schema12.anyOf[1],data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
var _valid0 = _errs3 === errors;
valid0 = valid0 || _valid0;
}
if(!valid0){
const err9 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema12.anyOf,parentSchema:schema12,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate11.errors = vErrors;
return errors === 0;
}


function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data._extends !== undefined){
let data0 = data._extends;
if(typeof data0 !== "string"){
const err1 = {instancePath:instancePath+"/_extends",schemaPath:"#/properties/_extends/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties._extends.type,parentSchema:schema11.properties._extends,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.rules !== undefined){
let data1 = data.rules;
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
for(const key1 in data1){
const _errs6 = errors;
if(typeof key1 === "string"){
if(!pattern0.test(key1)){
const err2 = {instancePath:instancePath+"/rules",schemaPath:"#/properties/rules/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9]+(-[a-z0-9]+)*$"},message:"must match pattern \""+"^[a-z0-9]+(-[a-z0-9]+)*$"+"\"",schema:"^[a-z0-9]+(-[a-z0-9]+)*$",parentSchema:schema11.properties.rules.propertyNames,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
var valid1 = _errs6 === errors;
if(!valid1){
const err3 = {instancePath:instancePath+"/rules",schemaPath:"#/properties/rules/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid",schema:schema11.properties.rules.propertyNames,parentSchema:schema11.properties.rules,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
for(const key2 in data1){
if(!(validate11(data1[key2], {instancePath:instancePath+"/rules/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data1,parentDataProperty:key2,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
}
}
else {
const err4 = {instancePath:instancePath+"/rules",schemaPath:"#/properties/rules/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.rules.type,parentSchema:schema11.properties.rules,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.paths !== undefined){
let data3 = data.paths;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key3 in data3){
if(!(((key3 === "include") || (key3 === "exclude")) || (key3 === "non_production"))){
const err5 = {instancePath:instancePath+"/paths",schemaPath:"#/properties/paths/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.paths,data:data3};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data3.include !== undefined){
let data4 = data3.include;
if(Array.isArray(data4)){
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
let data5 = data4[i0];
if(typeof data5 === "string"){
if(data5.length < 1){
const err6 = {instancePath:instancePath+"/paths/include/" + i0,schemaPath:"#/definitions/globs/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.items,data:data5};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(!pattern1.test(data5)){
const err7 = {instancePath:instancePath+"/paths/include/" + i0,schemaPath:"#/definitions/globs/items/pattern",keyword:"pattern",params:{pattern: "^(?!/|\\./)"},message:"must match pattern \""+"^(?!/|\\./)"+"\"",schema:"^(?!/|\\./)",parentSchema:schema14.items,data:data5};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/paths/include/" + i0,schemaPath:"#/definitions/globs/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.items.type,parentSchema:schema14.items,data:data5};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath:instancePath+"/paths/include",schemaPath:"#/definitions/globs/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema14.type,parentSchema:schema14,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.exclude !== undefined){
let data6 = data3.exclude;
if(Array.isArray(data6)){
const len1 = data6.length;
for(let i1=0; i1<len1; i1++){
let data7 = data6[i1];
if(typeof data7 === "string"){
if(data7.length < 1){
const err10 = {instancePath:instancePath+"/paths/exclude/" + i1,schemaPath:"#/definitions/globs/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.items,data:data7};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(!pattern1.test(data7)){
const err11 = {instancePath:instancePath+"/paths/exclude/" + i1,schemaPath:"#/definitions/globs/items/pattern",keyword:"pattern",params:{pattern: "^(?!/|\\./)"},message:"must match pattern \""+"^(?!/|\\./)"+"\"",schema:"^(?!/|\\./)",parentSchema:schema14.items,data:data7};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/paths/exclude/" + i1,schemaPath:"#/definitions/globs/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.items.type,parentSchema:schema14.items,data:data7};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/paths/exclude",schemaPath:"#/definitions/globs/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema14.type,parentSchema:schema14,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data3.non_production !== undefined){
let data8 = data3.non_production;
if(Array.isArray(data8)){
const len2 = data8.length;
for(let i2=0; i2<len2; i2++){
let data9 = data8[i2];
if(typeof data9 === "string"){
if(data9.length < 1){
const err14 = {instancePath:instancePath+"/paths/non_production/" + i2,schemaPath:"#/definitions/globs/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.items,data:data9};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(!pattern1.test(data9)){
const err15 = {instancePath:instancePath+"/paths/non_production/" + i2,schemaPath:"#/definitions/globs/items/pattern",keyword:"pattern",params:{pattern: "^(?!/|\\./)"},message:"must match pattern \""+"^(?!/|\\./)"+"\"",schema:"^(?!/|\\./)",parentSchema:schema14.items,data:data9};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/paths/non_production/" + i2,schemaPath:"#/definitions/globs/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.items.type,parentSchema:schema14.items,data:data9};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
else {
const err17 = {instancePath:instancePath+"/paths/non_production",schemaPath:"#/definitions/globs/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema14.type,parentSchema:schema14,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
else {
const err18 = {instancePath:instancePath+"/paths",schemaPath:"#/properties/paths/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.paths.type,parentSchema:schema11.properties.paths,data:data3};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data.tests !== undefined){
let data10 = data.tests;
if(typeof data10 !== "boolean"){
const err19 = {instancePath:instancePath+"/tests",schemaPath:"#/properties/tests/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.tests.type,parentSchema:schema11.properties.tests,data:data10};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data.generated !== undefined){
let data11 = data.generated;
if(typeof data11 !== "boolean"){
const err20 = {instancePath:instancePath+"/generated",schemaPath:"#/properties/generated/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.generated.type,parentSchema:schema11.properties.generated,data:data11};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.go_version !== undefined){
let data12 = data.go_version;
if(typeof data12 === "string"){
if(!pattern4.test(data12)){
const err21 = {instancePath:instancePath+"/go_version",schemaPath:"#/properties/go_version/pattern",keyword:"pattern",params:{pattern: "^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$"},message:"must match pattern \""+"^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$"+"\"",schema:"^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$",parentSchema:schema11.properties.go_version,data:data12};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/go_version",schemaPath:"#/properties/go_version/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.go_version.type,parentSchema:schema11.properties.go_version,data:data12};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data.max_comments !== undefined){
let data13 = data.max_comments;
if(!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))){
const err23 = {instancePath:instancePath+"/max_comments",schemaPath:"#/properties/max_comments/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.max_comments.type,parentSchema:schema11.properties.max_comments,data:data13};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if((typeof data13 == "number") && (isFinite(data13))){
if(data13 > 100 || isNaN(data13)){
const err24 = {instancePath:instancePath+"/max_comments",schemaPath:"#/properties/max_comments/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.max_comments,data:data13};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
if(data13 < 1 || isNaN(data13)){
const err25 = {instancePath:instancePath+"/max_comments",schemaPath:"#/properties/max_comments/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.max_comments,data:data13};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
}
if(data.comments !== undefined){
let data14 = data.comments;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key4 in data14){
if(!(key4 === "min_severity")){
const err26 = {instancePath:instancePath+"/comments",schemaPath:"#/properties/comments/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.comments,data:data14};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data14.min_severity !== undefined){
let data15 = data14.min_severity;
if(typeof data15 !== "string"){
const err27 = {instancePath:instancePath+"/comments/min_severity",schemaPath:"#/properties/comments/properties/min_severity/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.comments.properties.min_severity.type,parentSchema:schema11.properties.comments.properties.min_severity,data:data15};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(!(((data15 === "error") || (data15 === "warning")) || (data15 === "info"))){
const err28 = {instancePath:instancePath+"/comments/min_severity",schemaPath:"#/properties/comments/properties/min_severity/enum",keyword:"enum",params:{allowedValues: schema11.properties.comments.properties.min_severity.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.comments.properties.min_severity.enum,parentSchema:schema11.properties.comments.properties.min_severity,data:data15};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
}
else {
const err29 = {instancePath:instancePath+"/comments",schemaPath:"#/properties/comments/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.comments.type,parentSchema:schema11.properties.comments,data:data14};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data.drafts !== undefined){
let data16 = data.drafts;
if(typeof data16 !== "string"){
const err30 = {instancePath:instancePath+"/drafts",schemaPath:"#/properties/drafts/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.drafts.type,parentSchema:schema11.properties.drafts,data:data16};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
if(!((data16 === "analyze") || (data16 === "skip"))){
const err31 = {instancePath:instancePath+"/drafts",schemaPath:"#/properties/drafts/enum",keyword:"enum",params:{allowedValues: schema11.properties.drafts.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.drafts.enum,parentSchema:schema11.properties.drafts,data:data16};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.environments !== undefined){
let data17 = data.environments;
if(data17 && typeof data17 == "object" && !Array.isArray(data17)){
for(const key5 in data17){
const _errs49 = errors;
if(typeof key5 === "string"){
if(!pattern5.test(key5)){
const err32 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_.-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_.-]*$",parentSchema:schema11.properties.environments.propertyNames,data:key5,propertyName:key5};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
var valid14 = _errs49 === errors;
if(!valid14){
const err33 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/propertyNames",keyword:"propertyNames",params:{propertyName: key5},message:"property name must be valid",schema:schema11.properties.environments.propertyNames,parentSchema:schema11.properties.environments,data:data17};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
for(const key6 in data17){
if(!(((key6 === "production") || (key6 === "staging")) || (key6 === "development"))){
let data18 = data17[key6];
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
for(const key7 in data18){
if(!((((key7 === "branches") || (key7 === "block_on")) || (key7 === "conclusion")) || (key7 === "waivers"))){
const err34 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties",schema:false,parentSchema:schema17,data:data18};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data18.branches !== undefined){
let data19 = data18.branches;
if(Array.isArray(data19)){
const len3 = data19.length;
for(let i3=0; i3<len3; i3++){
let data20 = data19[i3];
if(typeof data20 === "string"){
if(data20.length < 1){
const err35 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/branches/" + i3,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema17.properties.branches.items,data:data20};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
else {
const err36 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/branches/" + i3,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.branches.items.type,parentSchema:schema17.properties.branches.items,data:data20};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
else {
const err37 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.branches.type,parentSchema:schema17.properties.branches,data:data19};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data18.block_on !== undefined){
let data21 = data18.block_on;
if(typeof data21 !== "string"){
const err38 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.block_on.type,parentSchema:schema17.properties.block_on,data:data21};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
if(!((((data21 === "error") || (data21 === "warning")) || (data21 === "info")) || (data21 === "none"))){
const err39 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema17.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.block_on.enum,parentSchema:schema17.properties.block_on,data:data21};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data18.conclusion !== undefined){
let data22 = data18.conclusion;
if(typeof data22 !== "string"){
const err40 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.conclusion.type,parentSchema:schema17.properties.conclusion,data:data22};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
if(!(((data22 === "neutral") || (data22 === "action_required")) || (data22 === "failure"))){
const err41 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema17.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.conclusion.enum,parentSchema:schema17.properties.conclusion,data:data22};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data18.waivers !== undefined){
let data23 = data18.waivers;
if(data23 && typeof data23 == "object" && !Array.isArray(data23)){
for(const key8 in data23){
if(!((((key8 === "allowed") || (key8 === "min_permission")) || (key8 === "author_may_waive")) || (key8 === "approvers"))){
const err42 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema17.properties.waivers,data:data23};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data23.allowed !== undefined){
let data24 = data23.allowed;
if(typeof data24 !== "boolean"){
const err43 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.allowed.type,parentSchema:schema17.properties.waivers.properties.allowed,data:data24};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data23.min_permission !== undefined){
let data25 = data23.min_permission;
if(typeof data25 !== "string"){
const err44 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.min_permission.type,parentSchema:schema17.properties.waivers.properties.min_permission,data:data25};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
if(!(((((data25 === "read") || (data25 === "triage")) || (data25 === "write")) || (data25 === "maintain")) || (data25 === "admin"))){
const err45 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema17.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.waivers.properties.min_permission.enum,parentSchema:schema17.properties.waivers.properties.min_permission,data:data25};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data23.author_may_waive !== undefined){
let data26 = data23.author_may_waive;
if(typeof data26 !== "boolean"){
const err46 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.author_may_waive.type,parentSchema:schema17.properties.waivers.properties.author_may_waive,data:data26};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data23.approvers !== undefined){
let data27 = data23.approvers;
if(Array.isArray(data27)){
const len4 = data27.length;
for(let i4=0; i4<len4; i4++){
let data28 = data27[i4];
if(typeof data28 === "string"){
if(!pattern6.test(data28)){
const err47 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/approvers/" + i4,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema17.properties.waivers.properties.approvers.items,data:data28};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
else {
const err48 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/approvers/" + i4,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.approvers.items.type,parentSchema:schema17.properties.waivers.properties.approvers.items,data:data28};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
}
else {
const err49 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.waivers.properties.approvers.type,parentSchema:schema17.properties.waivers.properties.approvers,data:data27};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
}
else {
const err50 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.properties.waivers.type,parentSchema:schema17.properties.waivers,data:data23};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
}
else {
const err51 = {instancePath:instancePath+"/environments/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.type,parentSchema:schema17,data:data18};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
}
if(data17.production !== undefined){
let data29 = data17.production;
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
for(const key9 in data29){
if(!((((key9 === "branches") || (key9 === "block_on")) || (key9 === "conclusion")) || (key9 === "waivers"))){
const err52 = {instancePath:instancePath+"/environments/production",schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties",schema:false,parentSchema:schema17,data:data29};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
if(data29.branches !== undefined){
let data30 = data29.branches;
if(Array.isArray(data30)){
const len5 = data30.length;
for(let i5=0; i5<len5; i5++){
let data31 = data30[i5];
if(typeof data31 === "string"){
if(data31.length < 1){
const err53 = {instancePath:instancePath+"/environments/production/branches/" + i5,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema17.properties.branches.items,data:data31};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
else {
const err54 = {instancePath:instancePath+"/environments/production/branches/" + i5,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.branches.items.type,parentSchema:schema17.properties.branches.items,data:data31};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
}
else {
const err55 = {instancePath:instancePath+"/environments/production/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.branches.type,parentSchema:schema17.properties.branches,data:data30};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data29.block_on !== undefined){
let data32 = data29.block_on;
if(typeof data32 !== "string"){
const err56 = {instancePath:instancePath+"/environments/production/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.block_on.type,parentSchema:schema17.properties.block_on,data:data32};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
if(!((((data32 === "error") || (data32 === "warning")) || (data32 === "info")) || (data32 === "none"))){
const err57 = {instancePath:instancePath+"/environments/production/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema17.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.block_on.enum,parentSchema:schema17.properties.block_on,data:data32};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
if(data29.conclusion !== undefined){
let data33 = data29.conclusion;
if(typeof data33 !== "string"){
const err58 = {instancePath:instancePath+"/environments/production/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.conclusion.type,parentSchema:schema17.properties.conclusion,data:data33};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
if(!(((data33 === "neutral") || (data33 === "action_required")) || (data33 === "failure"))){
const err59 = {instancePath:instancePath+"/environments/production/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema17.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.conclusion.enum,parentSchema:schema17.properties.conclusion,data:data33};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
if(data29.waivers !== undefined){
let data34 = data29.waivers;
if(data34 && typeof data34 == "object" && !Array.isArray(data34)){
for(const key10 in data34){
if(!((((key10 === "allowed") || (key10 === "min_permission")) || (key10 === "author_may_waive")) || (key10 === "approvers"))){
const err60 = {instancePath:instancePath+"/environments/production/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties",schema:false,parentSchema:schema17.properties.waivers,data:data34};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data34.allowed !== undefined){
let data35 = data34.allowed;
if(typeof data35 !== "boolean"){
const err61 = {instancePath:instancePath+"/environments/production/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.allowed.type,parentSchema:schema17.properties.waivers.properties.allowed,data:data35};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data34.min_permission !== undefined){
let data36 = data34.min_permission;
if(typeof data36 !== "string"){
const err62 = {instancePath:instancePath+"/environments/production/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.min_permission.type,parentSchema:schema17.properties.waivers.properties.min_permission,data:data36};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
if(!(((((data36 === "read") || (data36 === "triage")) || (data36 === "write")) || (data36 === "maintain")) || (data36 === "admin"))){
const err63 = {instancePath:instancePath+"/environments/production/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema17.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.waivers.properties.min_permission.enum,parentSchema:schema17.properties.waivers.properties.min_permission,data:data36};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
if(data34.author_may_waive !== undefined){
let data37 = data34.author_may_waive;
if(typeof data37 !== "boolean"){
const err64 = {instancePath:instancePath+"/environments/production/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.author_may_waive.type,parentSchema:schema17.properties.waivers.properties.author_may_waive,data:data37};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
if(data34.approvers !== undefined){
let data38 = data34.approvers;
if(Array.isArray(data38)){
const len6 = data38.length;
for(let i6=0; i6<len6; i6++){
let data39 = data38[i6];
if(typeof data39 === "string"){
if(!pattern6.test(data39)){
const err65 = {instancePath:instancePath+"/environments/production/waivers/approvers/" + i6,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema17.properties.waivers.properties.approvers.items,data:data39};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
else {
const err66 = {instancePath:instancePath+"/environments/production/waivers/approvers/" + i6,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.approvers.items.type,parentSchema:schema17.properties.waivers.properties.approvers.items,data:data39};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
}
else {
const err67 = {instancePath:instancePath+"/environments/production/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.waivers.properties.approvers.type,parentSchema:schema17.properties.waivers.properties.approvers,data:data38};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
}
else {
const err68 = {instancePath:instancePath+"/environments/production/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.properties.waivers.type,parentSchema:schema17.properties.waivers,data:data34};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
}
}
else {
const err69 = {instancePath:instancePath+"/environments/production",schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.type,parentSchema:schema17,data:data29};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
if(data17.staging !== undefined){
let data40 = data17.staging;
if(data40 && typeof data40 == "object" && !Array.isArray(data40)){
for(const key11 in data40){
if(!((((key11 === "branches") || (key11 === "block_on")) || (key11 === "conclusion")) || (key11 === "waivers"))){
const err70 = {instancePath:instancePath+"/environments/staging",schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties",schema:false,parentSchema:schema17,data:data40};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data40.branches !== undefined){
let data41 = data40.branches;
if(Array.isArray(data41)){
const len7 = data41.length;
for(let i7=0; i7<len7; i7++){
let data42 = data41[i7];
if(typeof data42 === "string"){
if(data42.length < 1){
const err71 = {instancePath:instancePath+"/environments/staging/branches/" + i7,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema17.properties.branches.items,data:data42};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
else {
const err72 = {instancePath:instancePath+"/environments/staging/branches/" + i7,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.branches.items.type,parentSchema:schema17.properties.branches.items,data:data42};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
}
}
else {
const err73 = {instancePath:instancePath+"/environments/staging/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.branches.type,parentSchema:schema17.properties.branches,data:data41};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
if(data40.block_on !== undefined){
let data43 = data40.block_on;
if(typeof data43 !== "string"){
const err74 = {instancePath:instancePath+"/environments/staging/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.block_on.type,parentSchema:schema17.properties.block_on,data:data43};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
if(!((((data43 === "error") || (data43 === "warning")) || (data43 === "info")) || (data43 === "none"))){
const err75 = {instancePath:instancePath+"/environments/staging/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema17.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.block_on.enum,parentSchema:schema17.properties.block_on,data:data43};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
if(data40.conclusion !== undefined){
let data44 = data40.conclusion;
if(typeof data44 !== "string"){
const err76 = {instancePath:instancePath+"/environments/staging/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.conclusion.type,parentSchema:schema17.properties.conclusion,data:data44};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
if(!(((data44 === "neutral") || (data44 === "action_required")) || (data44 === "failure"))){
const err77 = {instancePath:instancePath+"/environments/staging/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema17.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.conclusion.enum,parentSchema:schema17.properties.conclusion,data:data44};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
if(data40.waivers !== undefined){
let data45 = data40.waivers;
if(data45 && typeof data45 == "object" && !Array.isArray(data45)){
for(const key12 in data45){
if(!((((key12 === "allowed") || (key12 === "min_permission")) || (key12 === "author_may_waive")) || (key12 === "approvers"))){
const err78 = {instancePath:instancePath+"/environments/staging/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties",schema:false,parentSchema:schema17.properties.waivers,data:data45};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
if(data45.allowed !== undefined){
let data46 = data45.allowed;
if(typeof data46 !== "boolean"){
const err79 = {instancePath:instancePath+"/environments/staging/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.allowed.type,parentSchema:schema17.properties.waivers.properties.allowed,data:data46};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data45.min_permission !== undefined){
let data47 = data45.min_permission;
if(typeof data47 !== "string"){
const err80 = {instancePath:instancePath+"/environments/staging/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.min_permission.type,parentSchema:schema17.properties.waivers.properties.min_permission,data:data47};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
if(!(((((data47 === "read") || (data47 === "triage")) || (data47 === "write")) || (data47 === "maintain")) || (data47 === "admin"))){
const err81 = {instancePath:instancePath+"/environments/staging/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema17.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.waivers.properties.min_permission.enum,parentSchema:schema17.properties.waivers.properties.min_permission,data:data47};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
if(data45.author_may_waive !== undefined){
let data48 = data45.author_may_waive;
if(typeof data48 !== "boolean"){
const err82 = {instancePath:instancePath+"/environments/staging/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.author_may_waive.type,parentSchema:schema17.properties.waivers.properties.author_may_waive,data:data48};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
if(data45.approvers !== undefined){
let data49 = data45.approvers;
if(Array.isArray(data49)){
const len8 = data49.length;
for(let i8=0; i8<len8; i8++){
let data50 = data49[i8];
if(typeof data50 === "string"){
if(!pattern6.test(data50)){
const err83 = {instancePath:instancePath+"/environments/staging/waivers/approvers/" + i8,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema17.properties.waivers.properties.approvers.items,data:data50};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
else {
const err84 = {instancePath:instancePath+"/environments/staging/waivers/approvers/" + i8,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.approvers.items.type,parentSchema:schema17.properties.waivers.properties.approvers.items,data:data50};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
}
}
else {
const err85 = {instancePath:instancePath+"/environments/staging/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.waivers.properties.approvers.type,parentSchema:schema17.properties.waivers.properties.approvers,data:data49};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
}
else {
const err86 = {instancePath:instancePath+"/environments/staging/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.properties.waivers.type,parentSchema:schema17.properties.waivers,data:data45};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
}
}
else {
const err87 = {instancePath:instancePath+"/environments/staging",schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.type,parentSchema:schema17,data:data40};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
if(data17.development !== undefined){
let data51 = data17.development;
if(data51 && typeof data51 == "object" && !Array.isArray(data51)){
for(const key13 in data51){
if(!((((key13 === "branches") || (key13 === "block_on")) || (key13 === "conclusion")) || (key13 === "waivers"))){
const err88 = {instancePath:instancePath+"/environments/development",schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties",schema:false,parentSchema:schema17,data:data51};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
if(data51.branches !== undefined){
let data52 = data51.branches;
if(Array.isArray(data52)){
const len9 = data52.length;
for(let i9=0; i9<len9; i9++){
let data53 = data52[i9];
if(typeof data53 === "string"){
if(data53.length < 1){
const err89 = {instancePath:instancePath+"/environments/development/branches/" + i9,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema17.properties.branches.items,data:data53};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
else {
const err90 = {instancePath:instancePath+"/environments/development/branches/" + i9,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.branches.items.type,parentSchema:schema17.properties.branches.items,data:data53};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
}
}
else {
const err91 = {instancePath:instancePath+"/environments/development/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.branches.type,parentSchema:schema17.properties.branches,data:data52};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
if(data51.block_on !== undefined){
let data54 = data51.block_on;
if(typeof data54 !== "string"){
const err92 = {instancePath:instancePath+"/environments/development/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.block_on.type,parentSchema:schema17.properties.block_on,data:data54};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
if(!((((data54 === "error") || (data54 === "warning")) || (data54 === "info")) || (data54 === "none"))){
const err93 = {instancePath:instancePath+"/environments/development/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema17.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.block_on.enum,parentSchema:schema17.properties.block_on,data:data54};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
if(data51.conclusion !== undefined){
let data55 = data51.conclusion;
if(typeof data55 !== "string"){
const err94 = {instancePath:instancePath+"/environments/development/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.conclusion.type,parentSchema:schema17.properties.conclusion,data:data55};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
if(!(((data55 === "neutral") || (data55 === "action_required")) || (data55 === "failure"))){
const err95 = {instancePath:instancePath+"/environments/development/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema17.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.conclusion.enum,parentSchema:schema17.properties.conclusion,data:data55};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
if(data51.waivers !== undefined){
let data56 = data51.waivers;
if(data56 && typeof data56 == "object" && !Array.isArray(data56)){
for(const key14 in data56){
if(!((((key14 === "allowed") || (key14 === "min_permission")) || (key14 === "author_may_waive")) || (key14 === "approvers"))){
const err96 = {instancePath:instancePath+"/environments/development/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties",schema:false,parentSchema:schema17.properties.waivers,data:data56};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
if(data56.allowed !== undefined){
let data57 = data56.allowed;
if(typeof data57 !== "boolean"){
const err97 = {instancePath:instancePath+"/environments/development/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.allowed.type,parentSchema:schema17.properties.waivers.properties.allowed,data:data57};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
if(data56.min_permission !== undefined){
let data58 = data56.min_permission;
if(typeof data58 !== "string"){
const err98 = {instancePath:instancePath+"/environments/development/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.min_permission.type,parentSchema:schema17.properties.waivers.properties.min_permission,data:data58};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
if(!(((((data58 === "read") || (data58 === "triage")) || (data58 === "write")) || (data58 === "maintain")) || (data58 === "admin"))){
const err99 = {instancePath:instancePath+"/environments/development/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema17.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema17.properties.waivers.properties.min_permission.enum,parentSchema:schema17.properties.waivers.properties.min_permission,data:data58};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data56.author_may_waive !== undefined){
let data59 = data56.author_may_waive;
if(typeof data59 !== "boolean"){
const err100 = {instancePath:instancePath+"/environments/development/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema17.properties.waivers.properties.author_may_waive.type,parentSchema:schema17.properties.waivers.properties.author_may_waive,data:data59};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
}
if(data56.approvers !== undefined){
let data60 = data56.approvers;
if(Array.isArray(data60)){
const len10 = data60.length;
for(let i10=0; i10<len10; i10++){
let data61 = data60[i10];
if(typeof data61 === "string"){
if(!pattern6.test(data61)){
const err101 = {instancePath:instancePath+"/environments/development/waivers/approvers/" + i10,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema17.properties.waivers.properties.approvers.items,data:data61};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
}
else {
const err102 = {instancePath:instancePath+"/environments/development/waivers/approvers/" + i10,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema17.properties.waivers.properties.approvers.items.type,parentSchema:schema17.properties.waivers.properties.approvers.items,data:data61};
if(vErrors === null){
vErrors = [err102];
}
else {
vErrors.push(err102);
}
errors++;
}
}
}
else {
const err103 = {instancePath:instancePath+"/environments/development/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema17.properties.waivers.properties.approvers.type,parentSchema:schema17.properties.waivers.properties.approvers,data:data60};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
}
else {
const err104 = {instancePath:instancePath+"/environments/development/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.properties.waivers.type,parentSchema:schema17.properties.waivers,data:data56};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
}
else {
const err105 = {instancePath:instancePath+"/environments/development",schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema17.type,parentSchema:schema17,data:data51};
if(vErrors === null){
vErrors = [err105];
}
else {
vErrors.push(err105);
}
errors++;
}
}
}
else {
const err106 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.environments.type,parentSchema:schema11.properties.environments,data:data17};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
if(data.ignore !== undefined){
let data62 = data.ignore;
if(data62 && typeof data62 == "object" && !Array.isArray(data62)){
for(const key15 in data62){
if(!(key15 === "min_reason_length")){
const err107 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.ignore,data:data62};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
if(data62.min_reason_length !== undefined){
let data63 = data62.min_reason_length;
if(!(((typeof data63 == "number") && (!(data63 % 1) && !isNaN(data63))) && (isFinite(data63)))){
const err108 = {instancePath:instancePath+"/ignore/min_reason_length",schemaPath:"#/properties/ignore/properties/min_reason_length/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.ignore.properties.min_reason_length.type,parentSchema:schema11.properties.ignore.properties.min_reason_length,data:data63};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
if((typeof data63 == "number") && (isFinite(data63))){
if(data63 > 500 || isNaN(data63)){
const err109 = {instancePath:instancePath+"/ignore/min_reason_length",schemaPath:"#/properties/ignore/properties/min_reason_length/maximum",keyword:"maximum",params:{comparison: "<=", limit: 500},message:"must be <= 500",schema:500,parentSchema:schema11.properties.ignore.properties.min_reason_length,data:data63};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
if(data63 < 0 || isNaN(data63)){
const err110 = {instancePath:instancePath+"/ignore/min_reason_length",schemaPath:"#/properties/ignore/properties/min_reason_length/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.ignore.properties.min_reason_length,data:data63};
if(vErrors === null){
vErrors = [err110];
}
else {
vErrors.push(err110);
}
errors++;
}
}
}
}
else {
const err111 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.ignore.type,parentSchema:schema11.properties.ignore,data:data62};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
if(data.locked !== undefined){
let data64 = data.locked;
if(Array.isArray(data64)){
const len11 = data64.length;
for(let i11=0; i11<len11; i11++){
let data65 = data64[i11];
if(typeof data65 === "string"){
if(!pattern10.test(data65)){
const err112 = {instancePath:instancePath+"/locked/" + i11,schemaPath:"#/properties/locked/items/pattern",keyword:"pattern",params:{pattern: "^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$"},message:"must match pattern \""+"^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$"+"\"",schema:"^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$",parentSchema:schema11.properties.locked.items,data:data65};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
}
else {
const err113 = {instancePath:instancePath+"/locked/" + i11,schemaPath:"#/properties/locked/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.locked.items.type,parentSchema:schema11.properties.locked.items,data:data65};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
}
else {
const err114 = {instancePath:instancePath+"/locked",schemaPath:"#/properties/locked/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.locked.type,parentSchema:schema11.properties.locked,data:data64};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
if(data.contracts !== undefined){
let data66 = data.contracts;
if(data66 && typeof data66 == "object" && !Array.isArray(data66)){
for(const key16 in data66){
if(!(((key16 === "scopes") || (key16 === "require")) || (key16 === "scan_package"))){
const err115 = {instancePath:instancePath+"/contracts",schemaPath:"#/properties/contracts/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key16},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.contracts,data:data66};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
if(data66.scopes !== undefined){
let data67 = data66.scopes;
if(Array.isArray(data67)){
if(data67.length < 2){
const err116 = {instancePath:instancePath+"/contracts/scopes",schemaPath:"#/properties/contracts/properties/scopes/minItems",keyword:"minItems",params:{limit: 2},message:"must NOT have fewer than 2 items",schema:2,parentSchema:schema11.properties.contracts.properties.scopes,data:data67};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
const len12 = data67.length;
for(let i12=0; i12<len12; i12++){
let data68 = data67[i12];
if(typeof data68 === "string"){
if(!pattern11.test(data68)){
const err117 = {instancePath:instancePath+"/contracts/scopes/" + i12,schemaPath:"#/properties/contracts/properties/scopes/items/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema11.properties.contracts.properties.scopes.items,data:data68};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
}
else {
const err118 = {instancePath:instancePath+"/contracts/scopes/" + i12,schemaPath:"#/properties/contracts/properties/scopes/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.contracts.properties.scopes.items.type,parentSchema:schema11.properties.contracts.properties.scopes.items,data:data68};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
}
}
else {
const err119 = {instancePath:instancePath+"/contracts/scopes",schemaPath:"#/properties/contracts/properties/scopes/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.contracts.properties.scopes.type,parentSchema:schema11.properties.contracts.properties.scopes,data:data67};
if(vErrors === null){
vErrors = [err119];
}
else {
vErrors.push(err119);
}
errors++;
}
}
if(data66.require !== undefined){
let data69 = data66.require;
if(Array.isArray(data69)){
const len13 = data69.length;
for(let i13=0; i13<len13; i13++){
let data70 = data69[i13];
if(typeof data70 === "string"){
if(data70.length < 1){
const err120 = {instancePath:instancePath+"/contracts/require/" + i13,schemaPath:"#/definitions/globs/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.items,data:data70};
if(vErrors === null){
vErrors = [err120];
}
else {
vErrors.push(err120);
}
errors++;
}
if(!pattern1.test(data70)){
const err121 = {instancePath:instancePath+"/contracts/require/" + i13,schemaPath:"#/definitions/globs/items/pattern",keyword:"pattern",params:{pattern: "^(?!/|\\./)"},message:"must match pattern \""+"^(?!/|\\./)"+"\"",schema:"^(?!/|\\./)",parentSchema:schema14.items,data:data70};
if(vErrors === null){
vErrors = [err121];
}
else {
vErrors.push(err121);
}
errors++;
}
}
else {
const err122 = {instancePath:instancePath+"/contracts/require/" + i13,schemaPath:"#/definitions/globs/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.items.type,parentSchema:schema14.items,data:data70};
if(vErrors === null){
vErrors = [err122];
}
else {
vErrors.push(err122);
}
errors++;
}
}
}
else {
const err123 = {instancePath:instancePath+"/contracts/require",schemaPath:"#/definitions/globs/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema14.type,parentSchema:schema14,data:data69};
if(vErrors === null){
vErrors = [err123];
}
else {
vErrors.push(err123);
}
errors++;
}
}
if(data66.scan_package !== undefined){
let data71 = data66.scan_package;
if(typeof data71 !== "boolean"){
const err124 = {instancePath:instancePath+"/contracts/scan_package",schemaPath:"#/properties/contracts/properties/scan_package/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.contracts.properties.scan_package.type,parentSchema:schema11.properties.contracts.properties.scan_package,data:data71};
if(vErrors === null){
vErrors = [err124];
}
else {
vErrors.push(err124);
}
errors++;
}
}
}
else {
const err125 = {instancePath:instancePath+"/contracts",schemaPath:"#/properties/contracts/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.contracts.type,parentSchema:schema11.properties.contracts,data:data66};
if(vErrors === null){
vErrors = [err125];
}
else {
vErrors.push(err125);
}
errors++;
}
}
}
else {
const err126 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err126];
}
else {
vErrors.push(err126);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

