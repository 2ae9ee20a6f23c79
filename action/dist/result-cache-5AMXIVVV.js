import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{BUILD_ID_FILE,ResultCache,cacheDirectory,toolIdentity}from"./chunk-5WT3SZKU.js";import"./chunk-M3MDJ7ZF.js";import"./chunk-TFGVDJM7.js";import"./chunk-XYYIAXK4.js";import"./chunk-RD7YYD6P.js";export{BUILD_ID_FILE,ResultCache,cacheDirectory,toolIdentity};
