import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{coverageLines,formatText,summary}from"./chunk-SJTE3VE6.js";import"./chunk-WJDZIOLM.js";import"./chunk-PAFU6MMN.js";import"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-RD7YYD6P.js";export{coverageLines,formatText,summary};
