import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);
var CliError=class extends Error{};function useColor(io){return io.env.NO_COLOR?!1:io.env.FORCE_COLOR&&io.env.FORCE_COLOR!=="0"?!0:io.stdout.isTTY===!0}export{CliError,useColor};
