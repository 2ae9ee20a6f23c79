import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{contractCoverageJson,formatJson,jsonReport,toJsonFinding}from"./chunk-GUZ5MZP5.js";import"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-DVRQ5BKU.js";import"./chunk-RD7YYD6P.js";export{contractCoverageJson,formatJson,jsonReport,toJsonFinding};
