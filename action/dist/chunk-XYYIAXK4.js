import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
var SEVERITIES=["error","warning","info"];function severityRank(s){return s==="error"?3:s==="warning"?2:1}export{SEVERITIES,severityRank};
