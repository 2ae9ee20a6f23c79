import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{setFlagsFromString}from"node:v8";function warmUpParser(shortRun){shortRun&&setFlagsFromString("--liftoff-only"),import("./parser-VTLMAFZ5.js").then(p=>p.initParser()).catch(()=>{})}export{warmUpParser};
