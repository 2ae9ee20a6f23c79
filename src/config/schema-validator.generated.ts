// Generated from schema/memlint.schema.json by `npx tsx scripts/schema-validator.ts`; do not edit by hand.
// @ts-nocheck
/* eslint-disable */
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","title":"memlint configuration (.github/memlint.yml)","description":"Configuration of memlint, the reviewer of Go pull requests for memory-management pitfalls. Read by the GitHub App (from the default branch) and by the `memlint` CLI (from the working tree). Every key is optional; what the file leaves out keeps its default.","type":"object","additionalProperties":false,"properties":{"_extends":{"type":"string","description":"Inherit settings from another repository's `.github/memlint.yml` (Probot convention: `repo` or `owner/repo`). Resolved by the App before memlint reads the file; the CLI ignores it."},"rules":{"type":"object","description":"Per-rule settings, keyed by rule id (`memlint rules` lists them). A rule is `off`, a severity (`error`, `warning`, `info`: enabled with that severity), or a mapping `{enabled, severity}`. Rules not listed run with their default severity.","default":{},"propertyNames":{"pattern":"^[a-z0-9]+(-[a-z0-9]+)*$","patternErrorMessage":"rule ids are lower-case words joined by hyphens, like `defer-in-loop`"},"additionalProperties":{"$ref":"#/definitions/ruleSetting"}},"paths":{"type":"object","description":"Which files are analyzed: globs (picomatch syntax) matched against paths relative to the repository root.","additionalProperties":false,"properties":{"include":{"description":"Only files matching one of these globs are analyzed. Replaces the default.","default":["**/*.go"],"$ref":"#/definitions/globs"},"exclude":{"description":"Files matching one of these globs are not analyzed, even when included. Replaces the default, so list `vendor/**` again if you set it.","default":["vendor/**","**/vendor/**","**/testdata/**"],"$ref":"#/definitions/globs"}}},"tests":{"type":"boolean","description":"Analyze `_test.go` files. Some rules skip test files and `Test*`/`Benchmark*`/`Fuzz*` functions regardless.","default":true},"generated":{"type":"boolean","description":"Analyze generated files (those with a `// Code generated … DO NOT EDIT.` line).","default":false},"go_version":{"type":"string","description":"The Go version the code runs on, overriding the `go` directive of go.mod. Pitfalls the runtime fixed in this version or earlier are reported as `info`. Quote it: YAML reads an unquoted 1.20 as the number 1.2.","pattern":"^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$","patternErrorMessage":"a Go version looks like \"1.22\" or \"1.22.3\"","examples":["1.22","1.23.4"]},"max_comments":{"type":"integer","description":"At most this many inline review comments per run; further findings appear in the check run only.","minimum":1,"maximum":100,"default":25},"drafts":{"type":"string","description":"Whether draft pull requests are analyzed (`analyze`) or skipped until they are ready for review (`skip`).","enum":["analyze","skip"],"default":"analyze"},"environments":{"type":"object","description":"Merge policy by base branch. The first environment whose `branches` match the pull request's base branch applies; the order is production, staging, environments the file adds (in file order), then development. Settings given here are merged over the defaults key by key, so `production: {block_on: error}` changes only that. New environment names are allowed and must give `branches`.","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9_.-]*$","patternErrorMessage":"environment names are letters, digits, `_`, `.` and `-`"},"additionalProperties":{"$ref":"#/definitions/environment"},"properties":{"production":{"description":"Defaults: branches [$default], block_on warning, conclusion failure, waivers not allowed (min_permission admin).","$ref":"#/definitions/environment"},"staging":{"description":"Defaults: branches [release/*, staging], block_on error, conclusion action_required, waivers allowed for maintain and above.","$ref":"#/definitions/environment"},"development":{"description":"Defaults: branches [**] (every other branch), block_on none, conclusion neutral, waivers allowed for write and above, authors may waive their own findings.","$ref":"#/definitions/environment"}}},"ignore":{"type":"object","description":"Rules for waivers (`//memlint:ignore RULE -- reason` in code and `/memlint ignore <id> <reason>` in comments).","additionalProperties":false,"properties":{"min_reason_length":{"type":"integer","description":"The reason of a waiver must have at least this many characters.","minimum":0,"maximum":500,"default":10}}},"locked":{"type":"array","description":"Organization-wide locks, read only from the organization's `.github` repository (`.github/memlint.yml` there): settings that repositories may tighten but not loosen. A repository's value of a locked setting applies only when it is at least as strict as the organization's (a lower `block_on`, a stricter `conclusion`, fewer waivers, a rule enabled at the same or a higher severity, …); otherwise the organization's value applies and the check run says so. Entries: `environments`, `environments.<name|*>`, `environments.<name|*>.<branches|block_on|conclusion|waivers|waivers.allowed|waivers.min_permission|waivers.author_may_waive|waivers.approvers>`, `rules`, `rules.<id>`, `paths`, `paths.include`, `paths.exclude`, `tests`, `generated`, `drafts`, `go_version`, `max_comments`, `ignore`, `ignore.min_reason_length`, `contracts`, `contracts.<scopes|require|scan_package>`. In a repository's own file the list has no effect.","items":{"type":"string","pattern":"^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$","patternErrorMessage":"a locked setting is a dotted key such as `environments.production.block_on` or `rules.defer-in-loop`"},"default":[],"examples":[["environments.production.block_on","environments.production.waivers","rules"]]},"contracts":{"type":"object","description":"Lifetime contracts (`//memlint:borrow`, `//memlint:lifetime`, `//memlint:owned`, `//memlint:bounds`).","additionalProperties":false,"properties":{"scopes":{"type":"array","description":"Lifetime scopes from shortest to longest. Must start with `call` and end with `process`; names are unique.","items":{"type":"string","pattern":"^[a-z][a-z0-9_]*$","patternErrorMessage":"a scope is a lower-case word such as `request` or `session`"},"minItems":2,"default":["call","request","process"]},"require":{"description":"Globs (from the repository root) of files whose exported functions must declare contracts (see the `contract-missing` rule).","default":[],"$ref":"#/definitions/globs"},"scan_package":{"type":"boolean","description":"Read contracts from the other files of each touched package, not only from the changed files.","default":true}}}},"definitions":{"severity":{"type":"string","enum":["error","warning","info"]},"globs":{"type":"array","items":{"type":"string","minLength":1,"pattern":"^(?!/|\\./)","patternErrorMessage":"globs are matched against paths relative to the repository root; drop the leading `/` or `./`"}},"ruleSetting":{"anyOf":[{"type":"string","enum":["off","error","warning","info"],"description":"`off` disables the rule; a severity enables it with that severity."},{"type":"object","description":"Whether the rule runs and the severity of its findings.","additionalProperties":false,"properties":{"enabled":{"type":"boolean","description":"Whether the rule runs.","default":true},"severity":{"$ref":"#/definitions/severity","description":"Severity of the rule's findings, instead of its default."}}}]},"environment":{"type":"object","additionalProperties":false,"properties":{"branches":{"type":"array","description":"Base-branch globs; `$default` stands for the repository's default branch.","items":{"type":"string","minLength":1}},"block_on":{"type":"string","description":"Lowest severity of an introduced finding that blocks the merge, or `none`.","enum":["error","warning","info","none"]},"conclusion":{"type":"string","description":"Check-run conclusion when something blocks. `neutral` reports without blocking; `action_required` and `failure` block a required check.","enum":["neutral","action_required","failure"]},"waivers":{"type":"object","description":"Who may waive findings (`/memlint ignore`, the check run's Waive button).","additionalProperties":false,"properties":{"allowed":{"type":"boolean","description":"Whether findings may be waived at all."},"min_permission":{"type":"string","description":"Lowest repository permission that may waive with `/memlint ignore`.","enum":["read","triage","write","maintain","admin"]},"author_may_waive":{"type":"boolean","description":"Whether the pull request's author may waive findings of their own pull request."},"approvers":{"type":"array","description":"Logins and teams (`@org/team`) who may press the check run's Waive button.","items":{"type":"string","pattern":"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$","patternErrorMessage":"an approver is a login (`octocat`) or a team (`@org/team`)"}}}}}}}};
const schema14 = {"type":"array","items":{"type":"string","minLength":1,"pattern":"^(?!/|\\./)","patternErrorMessage":"globs are matched against paths relative to the repository root; drop the leading `/` or `./`"}};
const schema16 = {"type":"object","additionalProperties":false,"properties":{"branches":{"type":"array","description":"Base-branch globs; `$default` stands for the repository's default branch.","items":{"type":"string","minLength":1}},"block_on":{"type":"string","description":"Lowest severity of an introduced finding that blocks the merge, or `none`.","enum":["error","warning","info","none"]},"conclusion":{"type":"string","description":"Check-run conclusion when something blocks. `neutral` reports without blocking; `action_required` and `failure` block a required check.","enum":["neutral","action_required","failure"]},"waivers":{"type":"object","description":"Who may waive findings (`/memlint ignore`, the check run's Waive button).","additionalProperties":false,"properties":{"allowed":{"type":"boolean","description":"Whether findings may be waived at all."},"min_permission":{"type":"string","description":"Lowest repository permission that may waive with `/memlint ignore`.","enum":["read","triage","write","maintain","admin"]},"author_may_waive":{"type":"boolean","description":"Whether the pull request's author may waive findings of their own pull request."},"approvers":{"type":"array","description":"Logins and teams (`@org/team`) who may press the check run's Waive button.","items":{"type":"string","pattern":"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$","patternErrorMessage":"an approver is a login (`octocat`) or a team (`@org/team`)"}}}}}};
const func2 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^[a-z0-9]+(-[a-z0-9]+)*$", "u");
const pattern1 = new RegExp("^(?!/|\\./)", "u");
const pattern3 = new RegExp("^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$", "u");
const pattern4 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_.-]*$", "u");
const pattern5 = new RegExp("^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$", "u");
const pattern9 = new RegExp("^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$", "u");
const pattern10 = new RegExp("^[a-z][a-z0-9_]*$", "u");
const schema12 = {"anyOf":[{"type":"string","enum":["off","error","warning","info"],"description":"`off` disables the rule; a severity enables it with that severity."},{"type":"object","description":"Whether the rule runs and the severity of its findings.","additionalProperties":false,"properties":{"enabled":{"type":"boolean","description":"Whether the rule runs.","default":true},"severity":{"$ref":"#/definitions/severity","description":"Severity of the rule's findings, instead of its default."}}}]};
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
if(!((key0 === "enabled") || (key0 === "severity"))){
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
}
else {
const err6 = {instancePath,schemaPath:"#/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema12.anyOf[1].type,parentSchema:schema12.anyOf[1],data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
var _valid0 = _errs3 === errors;
valid0 = valid0 || _valid0;
}
if(!valid0){
const err7 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema12.anyOf,parentSchema:schema12,data};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
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
if(!((key3 === "include") || (key3 === "exclude"))){
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
}
else {
const err14 = {instancePath:instancePath+"/paths",schemaPath:"#/properties/paths/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.paths.type,parentSchema:schema11.properties.paths,data:data3};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.tests !== undefined){
let data8 = data.tests;
if(typeof data8 !== "boolean"){
const err15 = {instancePath:instancePath+"/tests",schemaPath:"#/properties/tests/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.tests.type,parentSchema:schema11.properties.tests,data:data8};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.generated !== undefined){
let data9 = data.generated;
if(typeof data9 !== "boolean"){
const err16 = {instancePath:instancePath+"/generated",schemaPath:"#/properties/generated/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.generated.type,parentSchema:schema11.properties.generated,data:data9};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.go_version !== undefined){
let data10 = data.go_version;
if(typeof data10 === "string"){
if(!pattern3.test(data10)){
const err17 = {instancePath:instancePath+"/go_version",schemaPath:"#/properties/go_version/pattern",keyword:"pattern",params:{pattern: "^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$"},message:"must match pattern \""+"^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$"+"\"",schema:"^(go)?1\\.[0-9]+(\\.[0-9]+)?((rc|beta)[0-9]+)?$",parentSchema:schema11.properties.go_version,data:data10};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/go_version",schemaPath:"#/properties/go_version/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.go_version.type,parentSchema:schema11.properties.go_version,data:data10};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data.max_comments !== undefined){
let data11 = data.max_comments;
if(!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))){
const err19 = {instancePath:instancePath+"/max_comments",schemaPath:"#/properties/max_comments/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.max_comments.type,parentSchema:schema11.properties.max_comments,data:data11};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
if((typeof data11 == "number") && (isFinite(data11))){
if(data11 > 100 || isNaN(data11)){
const err20 = {instancePath:instancePath+"/max_comments",schemaPath:"#/properties/max_comments/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100",schema:100,parentSchema:schema11.properties.max_comments,data:data11};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(data11 < 1 || isNaN(data11)){
const err21 = {instancePath:instancePath+"/max_comments",schemaPath:"#/properties/max_comments/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema11.properties.max_comments,data:data11};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
if(data.drafts !== undefined){
let data12 = data.drafts;
if(typeof data12 !== "string"){
const err22 = {instancePath:instancePath+"/drafts",schemaPath:"#/properties/drafts/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.drafts.type,parentSchema:schema11.properties.drafts,data:data12};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
if(!((data12 === "analyze") || (data12 === "skip"))){
const err23 = {instancePath:instancePath+"/drafts",schemaPath:"#/properties/drafts/enum",keyword:"enum",params:{allowedValues: schema11.properties.drafts.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.drafts.enum,parentSchema:schema11.properties.drafts,data:data12};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.environments !== undefined){
let data13 = data.environments;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
for(const key4 in data13){
const _errs38 = errors;
if(typeof key4 === "string"){
if(!pattern4.test(key4)){
const err24 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_.-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_.-]*$",parentSchema:schema11.properties.environments.propertyNames,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
var valid10 = _errs38 === errors;
if(!valid10){
const err25 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/propertyNames",keyword:"propertyNames",params:{propertyName: key4},message:"property name must be valid",schema:schema11.properties.environments.propertyNames,parentSchema:schema11.properties.environments,data:data13};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
for(const key5 in data13){
if(!(((key5 === "production") || (key5 === "staging")) || (key5 === "development"))){
let data14 = data13[key5];
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key6 in data14){
if(!((((key6 === "branches") || (key6 === "block_on")) || (key6 === "conclusion")) || (key6 === "waivers"))){
const err26 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key6},message:"must NOT have additional properties",schema:false,parentSchema:schema16,data:data14};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data14.branches !== undefined){
let data15 = data14.branches;
if(Array.isArray(data15)){
const len2 = data15.length;
for(let i2=0; i2<len2; i2++){
let data16 = data15[i2];
if(typeof data16 === "string"){
if(data16.length < 1){
const err27 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/branches/" + i2,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema16.properties.branches.items,data:data16};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
else {
const err28 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/branches/" + i2,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.branches.items.type,parentSchema:schema16.properties.branches.items,data:data16};
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
const err29 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.branches.type,parentSchema:schema16.properties.branches,data:data15};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data14.block_on !== undefined){
let data17 = data14.block_on;
if(typeof data17 !== "string"){
const err30 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.block_on.type,parentSchema:schema16.properties.block_on,data:data17};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
if(!((((data17 === "error") || (data17 === "warning")) || (data17 === "info")) || (data17 === "none"))){
const err31 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema16.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.block_on.enum,parentSchema:schema16.properties.block_on,data:data17};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data14.conclusion !== undefined){
let data18 = data14.conclusion;
if(typeof data18 !== "string"){
const err32 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.conclusion.type,parentSchema:schema16.properties.conclusion,data:data18};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
if(!(((data18 === "neutral") || (data18 === "action_required")) || (data18 === "failure"))){
const err33 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema16.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.conclusion.enum,parentSchema:schema16.properties.conclusion,data:data18};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data14.waivers !== undefined){
let data19 = data14.waivers;
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
for(const key7 in data19){
if(!((((key7 === "allowed") || (key7 === "min_permission")) || (key7 === "author_may_waive")) || (key7 === "approvers"))){
const err34 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties",schema:false,parentSchema:schema16.properties.waivers,data:data19};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data19.allowed !== undefined){
let data20 = data19.allowed;
if(typeof data20 !== "boolean"){
const err35 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.allowed.type,parentSchema:schema16.properties.waivers.properties.allowed,data:data20};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data19.min_permission !== undefined){
let data21 = data19.min_permission;
if(typeof data21 !== "string"){
const err36 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.min_permission.type,parentSchema:schema16.properties.waivers.properties.min_permission,data:data21};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
if(!(((((data21 === "read") || (data21 === "triage")) || (data21 === "write")) || (data21 === "maintain")) || (data21 === "admin"))){
const err37 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema16.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.waivers.properties.min_permission.enum,parentSchema:schema16.properties.waivers.properties.min_permission,data:data21};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
if(data19.author_may_waive !== undefined){
let data22 = data19.author_may_waive;
if(typeof data22 !== "boolean"){
const err38 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.author_may_waive.type,parentSchema:schema16.properties.waivers.properties.author_may_waive,data:data22};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data19.approvers !== undefined){
let data23 = data19.approvers;
if(Array.isArray(data23)){
const len3 = data23.length;
for(let i3=0; i3<len3; i3++){
let data24 = data23[i3];
if(typeof data24 === "string"){
if(!pattern5.test(data24)){
const err39 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/approvers/" + i3,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema16.properties.waivers.properties.approvers.items,data:data24};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
else {
const err40 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/approvers/" + i3,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.approvers.items.type,parentSchema:schema16.properties.waivers.properties.approvers.items,data:data24};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
}
else {
const err41 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.waivers.properties.approvers.type,parentSchema:schema16.properties.waivers.properties.approvers,data:data23};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
}
else {
const err42 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1")+"/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.properties.waivers.type,parentSchema:schema16.properties.waivers,data:data19};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
}
else {
const err43 = {instancePath:instancePath+"/environments/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.type,parentSchema:schema16,data:data14};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
}
if(data13.production !== undefined){
let data25 = data13.production;
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
for(const key8 in data25){
if(!((((key8 === "branches") || (key8 === "block_on")) || (key8 === "conclusion")) || (key8 === "waivers"))){
const err44 = {instancePath:instancePath+"/environments/production",schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties",schema:false,parentSchema:schema16,data:data25};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data25.branches !== undefined){
let data26 = data25.branches;
if(Array.isArray(data26)){
const len4 = data26.length;
for(let i4=0; i4<len4; i4++){
let data27 = data26[i4];
if(typeof data27 === "string"){
if(data27.length < 1){
const err45 = {instancePath:instancePath+"/environments/production/branches/" + i4,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema16.properties.branches.items,data:data27};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
else {
const err46 = {instancePath:instancePath+"/environments/production/branches/" + i4,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.branches.items.type,parentSchema:schema16.properties.branches.items,data:data27};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/environments/production/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.branches.type,parentSchema:schema16.properties.branches,data:data26};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
if(data25.block_on !== undefined){
let data28 = data25.block_on;
if(typeof data28 !== "string"){
const err48 = {instancePath:instancePath+"/environments/production/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.block_on.type,parentSchema:schema16.properties.block_on,data:data28};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
if(!((((data28 === "error") || (data28 === "warning")) || (data28 === "info")) || (data28 === "none"))){
const err49 = {instancePath:instancePath+"/environments/production/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema16.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.block_on.enum,parentSchema:schema16.properties.block_on,data:data28};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
if(data25.conclusion !== undefined){
let data29 = data25.conclusion;
if(typeof data29 !== "string"){
const err50 = {instancePath:instancePath+"/environments/production/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.conclusion.type,parentSchema:schema16.properties.conclusion,data:data29};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
if(!(((data29 === "neutral") || (data29 === "action_required")) || (data29 === "failure"))){
const err51 = {instancePath:instancePath+"/environments/production/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema16.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.conclusion.enum,parentSchema:schema16.properties.conclusion,data:data29};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
if(data25.waivers !== undefined){
let data30 = data25.waivers;
if(data30 && typeof data30 == "object" && !Array.isArray(data30)){
for(const key9 in data30){
if(!((((key9 === "allowed") || (key9 === "min_permission")) || (key9 === "author_may_waive")) || (key9 === "approvers"))){
const err52 = {instancePath:instancePath+"/environments/production/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties",schema:false,parentSchema:schema16.properties.waivers,data:data30};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
if(data30.allowed !== undefined){
let data31 = data30.allowed;
if(typeof data31 !== "boolean"){
const err53 = {instancePath:instancePath+"/environments/production/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.allowed.type,parentSchema:schema16.properties.waivers.properties.allowed,data:data31};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data30.min_permission !== undefined){
let data32 = data30.min_permission;
if(typeof data32 !== "string"){
const err54 = {instancePath:instancePath+"/environments/production/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.min_permission.type,parentSchema:schema16.properties.waivers.properties.min_permission,data:data32};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
if(!(((((data32 === "read") || (data32 === "triage")) || (data32 === "write")) || (data32 === "maintain")) || (data32 === "admin"))){
const err55 = {instancePath:instancePath+"/environments/production/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema16.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.waivers.properties.min_permission.enum,parentSchema:schema16.properties.waivers.properties.min_permission,data:data32};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
if(data30.author_may_waive !== undefined){
let data33 = data30.author_may_waive;
if(typeof data33 !== "boolean"){
const err56 = {instancePath:instancePath+"/environments/production/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.author_may_waive.type,parentSchema:schema16.properties.waivers.properties.author_may_waive,data:data33};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data30.approvers !== undefined){
let data34 = data30.approvers;
if(Array.isArray(data34)){
const len5 = data34.length;
for(let i5=0; i5<len5; i5++){
let data35 = data34[i5];
if(typeof data35 === "string"){
if(!pattern5.test(data35)){
const err57 = {instancePath:instancePath+"/environments/production/waivers/approvers/" + i5,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema16.properties.waivers.properties.approvers.items,data:data35};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
else {
const err58 = {instancePath:instancePath+"/environments/production/waivers/approvers/" + i5,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.approvers.items.type,parentSchema:schema16.properties.waivers.properties.approvers.items,data:data35};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
}
else {
const err59 = {instancePath:instancePath+"/environments/production/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.waivers.properties.approvers.type,parentSchema:schema16.properties.waivers.properties.approvers,data:data34};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
}
else {
const err60 = {instancePath:instancePath+"/environments/production/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.properties.waivers.type,parentSchema:schema16.properties.waivers,data:data30};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
}
else {
const err61 = {instancePath:instancePath+"/environments/production",schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.type,parentSchema:schema16,data:data25};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
if(data13.staging !== undefined){
let data36 = data13.staging;
if(data36 && typeof data36 == "object" && !Array.isArray(data36)){
for(const key10 in data36){
if(!((((key10 === "branches") || (key10 === "block_on")) || (key10 === "conclusion")) || (key10 === "waivers"))){
const err62 = {instancePath:instancePath+"/environments/staging",schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties",schema:false,parentSchema:schema16,data:data36};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
if(data36.branches !== undefined){
let data37 = data36.branches;
if(Array.isArray(data37)){
const len6 = data37.length;
for(let i6=0; i6<len6; i6++){
let data38 = data37[i6];
if(typeof data38 === "string"){
if(data38.length < 1){
const err63 = {instancePath:instancePath+"/environments/staging/branches/" + i6,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema16.properties.branches.items,data:data38};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
else {
const err64 = {instancePath:instancePath+"/environments/staging/branches/" + i6,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.branches.items.type,parentSchema:schema16.properties.branches.items,data:data38};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
}
else {
const err65 = {instancePath:instancePath+"/environments/staging/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.branches.type,parentSchema:schema16.properties.branches,data:data37};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
if(data36.block_on !== undefined){
let data39 = data36.block_on;
if(typeof data39 !== "string"){
const err66 = {instancePath:instancePath+"/environments/staging/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.block_on.type,parentSchema:schema16.properties.block_on,data:data39};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
if(!((((data39 === "error") || (data39 === "warning")) || (data39 === "info")) || (data39 === "none"))){
const err67 = {instancePath:instancePath+"/environments/staging/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema16.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.block_on.enum,parentSchema:schema16.properties.block_on,data:data39};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data36.conclusion !== undefined){
let data40 = data36.conclusion;
if(typeof data40 !== "string"){
const err68 = {instancePath:instancePath+"/environments/staging/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.conclusion.type,parentSchema:schema16.properties.conclusion,data:data40};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
if(!(((data40 === "neutral") || (data40 === "action_required")) || (data40 === "failure"))){
const err69 = {instancePath:instancePath+"/environments/staging/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema16.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.conclusion.enum,parentSchema:schema16.properties.conclusion,data:data40};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
}
if(data36.waivers !== undefined){
let data41 = data36.waivers;
if(data41 && typeof data41 == "object" && !Array.isArray(data41)){
for(const key11 in data41){
if(!((((key11 === "allowed") || (key11 === "min_permission")) || (key11 === "author_may_waive")) || (key11 === "approvers"))){
const err70 = {instancePath:instancePath+"/environments/staging/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties",schema:false,parentSchema:schema16.properties.waivers,data:data41};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
}
if(data41.allowed !== undefined){
let data42 = data41.allowed;
if(typeof data42 !== "boolean"){
const err71 = {instancePath:instancePath+"/environments/staging/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.allowed.type,parentSchema:schema16.properties.waivers.properties.allowed,data:data42};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
if(data41.min_permission !== undefined){
let data43 = data41.min_permission;
if(typeof data43 !== "string"){
const err72 = {instancePath:instancePath+"/environments/staging/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.min_permission.type,parentSchema:schema16.properties.waivers.properties.min_permission,data:data43};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
if(!(((((data43 === "read") || (data43 === "triage")) || (data43 === "write")) || (data43 === "maintain")) || (data43 === "admin"))){
const err73 = {instancePath:instancePath+"/environments/staging/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema16.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.waivers.properties.min_permission.enum,parentSchema:schema16.properties.waivers.properties.min_permission,data:data43};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
if(data41.author_may_waive !== undefined){
let data44 = data41.author_may_waive;
if(typeof data44 !== "boolean"){
const err74 = {instancePath:instancePath+"/environments/staging/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.author_may_waive.type,parentSchema:schema16.properties.waivers.properties.author_may_waive,data:data44};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
}
if(data41.approvers !== undefined){
let data45 = data41.approvers;
if(Array.isArray(data45)){
const len7 = data45.length;
for(let i7=0; i7<len7; i7++){
let data46 = data45[i7];
if(typeof data46 === "string"){
if(!pattern5.test(data46)){
const err75 = {instancePath:instancePath+"/environments/staging/waivers/approvers/" + i7,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema16.properties.waivers.properties.approvers.items,data:data46};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
else {
const err76 = {instancePath:instancePath+"/environments/staging/waivers/approvers/" + i7,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.approvers.items.type,parentSchema:schema16.properties.waivers.properties.approvers.items,data:data46};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
else {
const err77 = {instancePath:instancePath+"/environments/staging/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.waivers.properties.approvers.type,parentSchema:schema16.properties.waivers.properties.approvers,data:data45};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
}
}
else {
const err78 = {instancePath:instancePath+"/environments/staging/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.properties.waivers.type,parentSchema:schema16.properties.waivers,data:data41};
if(vErrors === null){
vErrors = [err78];
}
else {
vErrors.push(err78);
}
errors++;
}
}
}
else {
const err79 = {instancePath:instancePath+"/environments/staging",schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.type,parentSchema:schema16,data:data36};
if(vErrors === null){
vErrors = [err79];
}
else {
vErrors.push(err79);
}
errors++;
}
}
if(data13.development !== undefined){
let data47 = data13.development;
if(data47 && typeof data47 == "object" && !Array.isArray(data47)){
for(const key12 in data47){
if(!((((key12 === "branches") || (key12 === "block_on")) || (key12 === "conclusion")) || (key12 === "waivers"))){
const err80 = {instancePath:instancePath+"/environments/development",schemaPath:"#/definitions/environment/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties",schema:false,parentSchema:schema16,data:data47};
if(vErrors === null){
vErrors = [err80];
}
else {
vErrors.push(err80);
}
errors++;
}
}
if(data47.branches !== undefined){
let data48 = data47.branches;
if(Array.isArray(data48)){
const len8 = data48.length;
for(let i8=0; i8<len8; i8++){
let data49 = data48[i8];
if(typeof data49 === "string"){
if(data49.length < 1){
const err81 = {instancePath:instancePath+"/environments/development/branches/" + i8,schemaPath:"#/definitions/environment/properties/branches/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema16.properties.branches.items,data:data49};
if(vErrors === null){
vErrors = [err81];
}
else {
vErrors.push(err81);
}
errors++;
}
}
else {
const err82 = {instancePath:instancePath+"/environments/development/branches/" + i8,schemaPath:"#/definitions/environment/properties/branches/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.branches.items.type,parentSchema:schema16.properties.branches.items,data:data49};
if(vErrors === null){
vErrors = [err82];
}
else {
vErrors.push(err82);
}
errors++;
}
}
}
else {
const err83 = {instancePath:instancePath+"/environments/development/branches",schemaPath:"#/definitions/environment/properties/branches/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.branches.type,parentSchema:schema16.properties.branches,data:data48};
if(vErrors === null){
vErrors = [err83];
}
else {
vErrors.push(err83);
}
errors++;
}
}
if(data47.block_on !== undefined){
let data50 = data47.block_on;
if(typeof data50 !== "string"){
const err84 = {instancePath:instancePath+"/environments/development/block_on",schemaPath:"#/definitions/environment/properties/block_on/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.block_on.type,parentSchema:schema16.properties.block_on,data:data50};
if(vErrors === null){
vErrors = [err84];
}
else {
vErrors.push(err84);
}
errors++;
}
if(!((((data50 === "error") || (data50 === "warning")) || (data50 === "info")) || (data50 === "none"))){
const err85 = {instancePath:instancePath+"/environments/development/block_on",schemaPath:"#/definitions/environment/properties/block_on/enum",keyword:"enum",params:{allowedValues: schema16.properties.block_on.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.block_on.enum,parentSchema:schema16.properties.block_on,data:data50};
if(vErrors === null){
vErrors = [err85];
}
else {
vErrors.push(err85);
}
errors++;
}
}
if(data47.conclusion !== undefined){
let data51 = data47.conclusion;
if(typeof data51 !== "string"){
const err86 = {instancePath:instancePath+"/environments/development/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.conclusion.type,parentSchema:schema16.properties.conclusion,data:data51};
if(vErrors === null){
vErrors = [err86];
}
else {
vErrors.push(err86);
}
errors++;
}
if(!(((data51 === "neutral") || (data51 === "action_required")) || (data51 === "failure"))){
const err87 = {instancePath:instancePath+"/environments/development/conclusion",schemaPath:"#/definitions/environment/properties/conclusion/enum",keyword:"enum",params:{allowedValues: schema16.properties.conclusion.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.conclusion.enum,parentSchema:schema16.properties.conclusion,data:data51};
if(vErrors === null){
vErrors = [err87];
}
else {
vErrors.push(err87);
}
errors++;
}
}
if(data47.waivers !== undefined){
let data52 = data47.waivers;
if(data52 && typeof data52 == "object" && !Array.isArray(data52)){
for(const key13 in data52){
if(!((((key13 === "allowed") || (key13 === "min_permission")) || (key13 === "author_may_waive")) || (key13 === "approvers"))){
const err88 = {instancePath:instancePath+"/environments/development/waivers",schemaPath:"#/definitions/environment/properties/waivers/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties",schema:false,parentSchema:schema16.properties.waivers,data:data52};
if(vErrors === null){
vErrors = [err88];
}
else {
vErrors.push(err88);
}
errors++;
}
}
if(data52.allowed !== undefined){
let data53 = data52.allowed;
if(typeof data53 !== "boolean"){
const err89 = {instancePath:instancePath+"/environments/development/waivers/allowed",schemaPath:"#/definitions/environment/properties/waivers/properties/allowed/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.allowed.type,parentSchema:schema16.properties.waivers.properties.allowed,data:data53};
if(vErrors === null){
vErrors = [err89];
}
else {
vErrors.push(err89);
}
errors++;
}
}
if(data52.min_permission !== undefined){
let data54 = data52.min_permission;
if(typeof data54 !== "string"){
const err90 = {instancePath:instancePath+"/environments/development/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.min_permission.type,parentSchema:schema16.properties.waivers.properties.min_permission,data:data54};
if(vErrors === null){
vErrors = [err90];
}
else {
vErrors.push(err90);
}
errors++;
}
if(!(((((data54 === "read") || (data54 === "triage")) || (data54 === "write")) || (data54 === "maintain")) || (data54 === "admin"))){
const err91 = {instancePath:instancePath+"/environments/development/waivers/min_permission",schemaPath:"#/definitions/environment/properties/waivers/properties/min_permission/enum",keyword:"enum",params:{allowedValues: schema16.properties.waivers.properties.min_permission.enum},message:"must be equal to one of the allowed values",schema:schema16.properties.waivers.properties.min_permission.enum,parentSchema:schema16.properties.waivers.properties.min_permission,data:data54};
if(vErrors === null){
vErrors = [err91];
}
else {
vErrors.push(err91);
}
errors++;
}
}
if(data52.author_may_waive !== undefined){
let data55 = data52.author_may_waive;
if(typeof data55 !== "boolean"){
const err92 = {instancePath:instancePath+"/environments/development/waivers/author_may_waive",schemaPath:"#/definitions/environment/properties/waivers/properties/author_may_waive/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema16.properties.waivers.properties.author_may_waive.type,parentSchema:schema16.properties.waivers.properties.author_may_waive,data:data55};
if(vErrors === null){
vErrors = [err92];
}
else {
vErrors.push(err92);
}
errors++;
}
}
if(data52.approvers !== undefined){
let data56 = data52.approvers;
if(Array.isArray(data56)){
const len9 = data56.length;
for(let i9=0; i9<len9; i9++){
let data57 = data56[i9];
if(typeof data57 === "string"){
if(!pattern5.test(data57)){
const err93 = {instancePath:instancePath+"/environments/development/waivers/approvers/" + i9,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/pattern",keyword:"pattern",params:{pattern: "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"},message:"must match pattern \""+"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$"+"\"",schema:"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)$",parentSchema:schema16.properties.waivers.properties.approvers.items,data:data57};
if(vErrors === null){
vErrors = [err93];
}
else {
vErrors.push(err93);
}
errors++;
}
}
else {
const err94 = {instancePath:instancePath+"/environments/development/waivers/approvers/" + i9,schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema16.properties.waivers.properties.approvers.items.type,parentSchema:schema16.properties.waivers.properties.approvers.items,data:data57};
if(vErrors === null){
vErrors = [err94];
}
else {
vErrors.push(err94);
}
errors++;
}
}
}
else {
const err95 = {instancePath:instancePath+"/environments/development/waivers/approvers",schemaPath:"#/definitions/environment/properties/waivers/properties/approvers/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema16.properties.waivers.properties.approvers.type,parentSchema:schema16.properties.waivers.properties.approvers,data:data56};
if(vErrors === null){
vErrors = [err95];
}
else {
vErrors.push(err95);
}
errors++;
}
}
}
else {
const err96 = {instancePath:instancePath+"/environments/development/waivers",schemaPath:"#/definitions/environment/properties/waivers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.properties.waivers.type,parentSchema:schema16.properties.waivers,data:data52};
if(vErrors === null){
vErrors = [err96];
}
else {
vErrors.push(err96);
}
errors++;
}
}
}
else {
const err97 = {instancePath:instancePath+"/environments/development",schemaPath:"#/definitions/environment/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema16.type,parentSchema:schema16,data:data47};
if(vErrors === null){
vErrors = [err97];
}
else {
vErrors.push(err97);
}
errors++;
}
}
}
else {
const err98 = {instancePath:instancePath+"/environments",schemaPath:"#/properties/environments/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.environments.type,parentSchema:schema11.properties.environments,data:data13};
if(vErrors === null){
vErrors = [err98];
}
else {
vErrors.push(err98);
}
errors++;
}
}
if(data.ignore !== undefined){
let data58 = data.ignore;
if(data58 && typeof data58 == "object" && !Array.isArray(data58)){
for(const key14 in data58){
if(!(key14 === "min_reason_length")){
const err99 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key14},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.ignore,data:data58};
if(vErrors === null){
vErrors = [err99];
}
else {
vErrors.push(err99);
}
errors++;
}
}
if(data58.min_reason_length !== undefined){
let data59 = data58.min_reason_length;
if(!(((typeof data59 == "number") && (!(data59 % 1) && !isNaN(data59))) && (isFinite(data59)))){
const err100 = {instancePath:instancePath+"/ignore/min_reason_length",schemaPath:"#/properties/ignore/properties/min_reason_length/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema11.properties.ignore.properties.min_reason_length.type,parentSchema:schema11.properties.ignore.properties.min_reason_length,data:data59};
if(vErrors === null){
vErrors = [err100];
}
else {
vErrors.push(err100);
}
errors++;
}
if((typeof data59 == "number") && (isFinite(data59))){
if(data59 > 500 || isNaN(data59)){
const err101 = {instancePath:instancePath+"/ignore/min_reason_length",schemaPath:"#/properties/ignore/properties/min_reason_length/maximum",keyword:"maximum",params:{comparison: "<=", limit: 500},message:"must be <= 500",schema:500,parentSchema:schema11.properties.ignore.properties.min_reason_length,data:data59};
if(vErrors === null){
vErrors = [err101];
}
else {
vErrors.push(err101);
}
errors++;
}
if(data59 < 0 || isNaN(data59)){
const err102 = {instancePath:instancePath+"/ignore/min_reason_length",schemaPath:"#/properties/ignore/properties/min_reason_length/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema11.properties.ignore.properties.min_reason_length,data:data59};
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
}
else {
const err103 = {instancePath:instancePath+"/ignore",schemaPath:"#/properties/ignore/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.ignore.type,parentSchema:schema11.properties.ignore,data:data58};
if(vErrors === null){
vErrors = [err103];
}
else {
vErrors.push(err103);
}
errors++;
}
}
if(data.locked !== undefined){
let data60 = data.locked;
if(Array.isArray(data60)){
const len10 = data60.length;
for(let i10=0; i10<len10; i10++){
let data61 = data60[i10];
if(typeof data61 === "string"){
if(!pattern9.test(data61)){
const err104 = {instancePath:instancePath+"/locked/" + i10,schemaPath:"#/properties/locked/items/pattern",keyword:"pattern",params:{pattern: "^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$"},message:"must match pattern \""+"^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$"+"\"",schema:"^[a-z_]+(\\.(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?))*$",parentSchema:schema11.properties.locked.items,data:data61};
if(vErrors === null){
vErrors = [err104];
}
else {
vErrors.push(err104);
}
errors++;
}
}
else {
const err105 = {instancePath:instancePath+"/locked/" + i10,schemaPath:"#/properties/locked/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.locked.items.type,parentSchema:schema11.properties.locked.items,data:data61};
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
const err106 = {instancePath:instancePath+"/locked",schemaPath:"#/properties/locked/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.locked.type,parentSchema:schema11.properties.locked,data:data60};
if(vErrors === null){
vErrors = [err106];
}
else {
vErrors.push(err106);
}
errors++;
}
}
if(data.contracts !== undefined){
let data62 = data.contracts;
if(data62 && typeof data62 == "object" && !Array.isArray(data62)){
for(const key15 in data62){
if(!(((key15 === "scopes") || (key15 === "require")) || (key15 === "scan_package"))){
const err107 = {instancePath:instancePath+"/contracts",schemaPath:"#/properties/contracts/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties",schema:false,parentSchema:schema11.properties.contracts,data:data62};
if(vErrors === null){
vErrors = [err107];
}
else {
vErrors.push(err107);
}
errors++;
}
}
if(data62.scopes !== undefined){
let data63 = data62.scopes;
if(Array.isArray(data63)){
if(data63.length < 2){
const err108 = {instancePath:instancePath+"/contracts/scopes",schemaPath:"#/properties/contracts/properties/scopes/minItems",keyword:"minItems",params:{limit: 2},message:"must NOT have fewer than 2 items",schema:2,parentSchema:schema11.properties.contracts.properties.scopes,data:data63};
if(vErrors === null){
vErrors = [err108];
}
else {
vErrors.push(err108);
}
errors++;
}
const len11 = data63.length;
for(let i11=0; i11<len11; i11++){
let data64 = data63[i11];
if(typeof data64 === "string"){
if(!pattern10.test(data64)){
const err109 = {instancePath:instancePath+"/contracts/scopes/" + i11,schemaPath:"#/properties/contracts/properties/scopes/items/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema11.properties.contracts.properties.scopes.items,data:data64};
if(vErrors === null){
vErrors = [err109];
}
else {
vErrors.push(err109);
}
errors++;
}
}
else {
const err110 = {instancePath:instancePath+"/contracts/scopes/" + i11,schemaPath:"#/properties/contracts/properties/scopes/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.contracts.properties.scopes.items.type,parentSchema:schema11.properties.contracts.properties.scopes.items,data:data64};
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
else {
const err111 = {instancePath:instancePath+"/contracts/scopes",schemaPath:"#/properties/contracts/properties/scopes/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema11.properties.contracts.properties.scopes.type,parentSchema:schema11.properties.contracts.properties.scopes,data:data63};
if(vErrors === null){
vErrors = [err111];
}
else {
vErrors.push(err111);
}
errors++;
}
}
if(data62.require !== undefined){
let data65 = data62.require;
if(Array.isArray(data65)){
const len12 = data65.length;
for(let i12=0; i12<len12; i12++){
let data66 = data65[i12];
if(typeof data66 === "string"){
if(data66.length < 1){
const err112 = {instancePath:instancePath+"/contracts/require/" + i12,schemaPath:"#/definitions/globs/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema14.items,data:data66};
if(vErrors === null){
vErrors = [err112];
}
else {
vErrors.push(err112);
}
errors++;
}
if(!pattern1.test(data66)){
const err113 = {instancePath:instancePath+"/contracts/require/" + i12,schemaPath:"#/definitions/globs/items/pattern",keyword:"pattern",params:{pattern: "^(?!/|\\./)"},message:"must match pattern \""+"^(?!/|\\./)"+"\"",schema:"^(?!/|\\./)",parentSchema:schema14.items,data:data66};
if(vErrors === null){
vErrors = [err113];
}
else {
vErrors.push(err113);
}
errors++;
}
}
else {
const err114 = {instancePath:instancePath+"/contracts/require/" + i12,schemaPath:"#/definitions/globs/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema14.items.type,parentSchema:schema14.items,data:data66};
if(vErrors === null){
vErrors = [err114];
}
else {
vErrors.push(err114);
}
errors++;
}
}
}
else {
const err115 = {instancePath:instancePath+"/contracts/require",schemaPath:"#/definitions/globs/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema14.type,parentSchema:schema14,data:data65};
if(vErrors === null){
vErrors = [err115];
}
else {
vErrors.push(err115);
}
errors++;
}
}
if(data62.scan_package !== undefined){
let data67 = data62.scan_package;
if(typeof data67 !== "boolean"){
const err116 = {instancePath:instancePath+"/contracts/scan_package",schemaPath:"#/properties/contracts/properties/scan_package/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema11.properties.contracts.properties.scan_package.type,parentSchema:schema11.properties.contracts.properties.scan_package,data:data67};
if(vErrors === null){
vErrors = [err116];
}
else {
vErrors.push(err116);
}
errors++;
}
}
}
else {
const err117 = {instancePath:instancePath+"/contracts",schemaPath:"#/properties/contracts/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.contracts.type,parentSchema:schema11.properties.contracts,data:data62};
if(vErrors === null){
vErrors = [err117];
}
else {
vErrors.push(err117);
}
errors++;
}
}
}
else {
const err118 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.type,parentSchema:schema11,data};
if(vErrors === null){
vErrors = [err118];
}
else {
vErrors.push(err118);
}
errors++;
}
validate10.errors = vErrors;
return errors === 0;
}

