import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{coverageLines,formatText,summary}from"./chunk-QBJDNOY5.js";import"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-XUEU6XYT.js";import"./chunk-RD7YYD6P.js";export{coverageLines,formatText,summary};
