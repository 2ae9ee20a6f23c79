import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
import{setFlagsFromString}from"node:v8";function warmUpParser(shortRun){shortRun&&setFlagsFromString("--liftoff-only"),import("./parser-H4YE5LHQ.js").then(p=>p.initParser()).catch(()=>{})}export{warmUpParser};
