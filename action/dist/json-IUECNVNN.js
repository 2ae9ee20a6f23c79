import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{contractCoverageJson,formatJson,jsonReport,toJsonFinding}from"./chunk-IHTEU2KQ.js";import"./chunk-JMXVUD3Z.js";import"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-RD7YYD6P.js";export{contractCoverageJson,formatJson,jsonReport,toJsonFinding};
