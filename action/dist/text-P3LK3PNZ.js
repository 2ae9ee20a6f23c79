import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{coverageLines,formatText,summary}from"./chunk-BNPDM74Y.js";import"./chunk-2KUWEQT6.js";import"./chunk-PAFU6MMN.js";import"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-RD7YYD6P.js";export{coverageLines,formatText,summary};
