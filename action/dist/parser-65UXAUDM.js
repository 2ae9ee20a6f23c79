import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{initParser,parseAndDiscard,parseGo}from"./chunk-25YOUGSI.js";import"./chunk-RD7YYD6P.js";export{initParser,parseAndDiscard,parseGo};
