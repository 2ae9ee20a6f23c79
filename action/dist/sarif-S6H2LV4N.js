import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{contractCoverageJson}from"./chunk-V3TAW3AH.js";import{docsBase,ruleDocsUrl}from"./chunk-NAKL6SDG.js";import{ALL_RULE_METAS}from"./chunk-T4ZL7BGJ.js";import"./chunk-AGGV66MY.js";import{toolVersion}from"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-RD7YYD6P.js";import{pathToFileURL}from"node:url";var SARIF_SCHEMA="https://json.schemastore.org/sarif-2.1.0.json",FINGERPRINT_KEY="memlint/v1",SRCROOT="%SRCROOT%";function sarifLevel(s){return s==="error"?"error":s==="warning"?"warning":"note"}function ruleName(id){return id.replace(/(^|-)([a-z0-9])/g,(_,_dash,c)=>c.toUpperCase())}function ruleDescriptor(meta){return{id:meta.id,name:ruleName(meta.id),shortDescription:{text:meta.title},fullDescription:{text:meta.rationale},help:{text:`${meta.rationale}

Fix: ${meta.fix}

Bad:
${meta.bad}

Good:
${meta.good}`,markdown:`${meta.rationale}

**Fix:** ${meta.fix}

**Bad**

\`\`\`go
${meta.bad}
\`\`\`

**Good**

\`\`\`go
${meta.good}
\`\`\``},helpUri:ruleDocsUrl(meta.id),defaultConfiguration:{level:sarifLevel(meta.severity)},properties:{tags:["memory",meta.category],category:meta.category,precision:"high"}}}function artifact(path){return path.startsWith("/")?{uri:pathToFileURL(path).href}:{uri:path.split("/").map(encodeURIComponent).join("/"),uriBaseId:SRCROOT}}function location(f){return{physicalLocation:{artifactLocation:artifact(f.path),region:{startLine:f.line,startColumn:f.column,endLine:f.endLine,endColumn:f.endColumn}}}}function sarifLog(report){let{analysis,options}=report,{result}=analysis,metas=[...ALL_RULE_METAS],ruleIndex=new Map(metas.map((m,i)=>[m.id,i])),isReview=analysis.command==="review",toResult=(f,extra={})=>{let r={ruleId:f.ruleId,level:sarifLevel(f.severity),message:{text:f.message},locations:[location(f)],partialFingerprints:{[FINGERPRINT_KEY]:f.fingerprint},properties:{id:f.id,category:f.category,declaration:f.declaration},...extra},index=ruleIndex.get(f.ruleId);if(index!==void 0&&(r.ruleIndex=index),f.related.length>0&&(r.relatedLocations=f.related.map((rel,i)=>({id:i+1,message:{text:rel.message},physicalLocation:{artifactLocation:artifact(f.path),region:{startLine:rel.line}}}))),f.suggestion){let{startLine,endLine,replacement}=f.suggestion;r.fixes=[{description:{text:"memlint's suggested change"},artifactChanges:[{artifactLocation:artifact(f.path),replacements:[{deletedRegion:{startLine,endLine},insertedContent:{text:`${replacement}
`}}]}]}]}return r},results=[...result.introduced.map(f=>toResult(f,isReview?{baselineState:"new"}:{})),...options.showPreexisting?result.preexisting.map(f=>toResult(f,{baselineState:"unchanged"})):[],...result.suppressed.map(s=>toResult(s.finding,{suppressions:[{kind:"inSource",status:"accepted",justification:s.reason}]}))],notifications=[...result.notes.map(n=>({level:"warning",message:{text:n.message},locations:[{physicalLocation:{artifactLocation:artifact(n.path),...n.line!==void 0?{region:{startLine:n.line}}:{}}}]})),...result.skipped.map(s=>({level:"note",message:{text:`skipped: ${s.reason}`},locations:[{physicalLocation:{artifactLocation:artifact(s.path)}}]}))],coverage=contractCoverageJson(result.coverage);return{$schema:SARIF_SCHEMA,version:"2.1.0",runs:[{tool:{driver:{name:"memlint",version:toolVersion(),semanticVersion:toolVersion(),informationUri:docsBase(),rules:metas.map(ruleDescriptor)}},originalUriBaseIds:{[SRCROOT]:{description:{text:"The root of the repository memlint analyzed (for `check` outside a repository: the directory it ran in)."}}},invocations:[{executionSuccessful:!0,...notifications.length>0?{toolExecutionNotifications:notifications}:{}}],columnKind:"utf16CodeUnits",results,...coverage?{properties:{contractCoverage:coverage}}:{}}]}}function formatSarif(report){return`${JSON.stringify(sarifLog(report),null,2)}
`}export{FINGERPRINT_KEY,SARIF_SCHEMA,formatSarif,ruleDescriptor,sarifLevel,sarifLog};
