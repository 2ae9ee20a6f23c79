import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
function byCodeUnits(a,b){return a<b?-1:a>b?1:0}export{byCodeUnits};
