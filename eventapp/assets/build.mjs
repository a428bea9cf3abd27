// Builds eventapp/static/ from eventapp/assets/ and node_modules/.
//
//   npm run build        (node eventapp/assets/build.mjs)
//
// - eventapp/assets/scss/app.scss -> eventapp/static/css/app.css (Dart Sass,
//   compressed, no source map, dependency warnings silenced; any warning from
//   our own SCSS fails the build)
// - govuk-frontend.min.js (+ .map) -> eventapp/static/js/
// - govuk-frontend assets (images, manifest.json; no fonts) -> eventapp/static/assets/
// - eventapp/assets/js/app.js -> eventapp/static/js/app.js
//
// Plain Node (>= 20) plus the `sass` package: works the same on any OS.

import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const assetsDir = dirname(fileURLToPath(import.meta.url));
const appDir = resolve(assetsDir, "..");
const root = resolve(appDir, "..");
const nodeModules = join(root, "node_modules");
const govuk = join(nodeModules, "govuk-frontend", "dist", "govuk");
const staticDir = join(appDir, "static");

const rel = (p) => relative(root, p);

function copy(src, dest, options = {}) {
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(src, dest, { recursive: true, ...options });
  console.log(`copied   ${rel(src)} -> ${rel(dest)}`);
}

// 1. Stylesheet
const warnings = [];
const result = sass.compile(join(assetsDir, "scss", "app.scss"), {
  loadPaths: [nodeModules],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  logger: {
    warn(message, { deprecation, span, stack }) {
      const where = span?.url ? ` (${rel(fileURLToPath(span.url))}:${span.start.line + 1})` : "";
      const trace = stack ? `\n${stack.trimEnd()}` : "";
      warnings.push(`${deprecation ? "deprecation " : ""}warning${where}: ${message}${trace}`);
    },
    debug(message) {
      console.log(`sass debug: ${message}`);
    },
  },
});
if (warnings.length > 0) {
  for (const w of warnings) console.error(w);
  console.error(`build failed: ${warnings.length} Sass warning(s)`);
  process.exit(1);
}
const cssOut = join(staticDir, "css", "app.css");
mkdirSync(dirname(cssOut), { recursive: true });
writeFileSync(cssOut, result.css + "\n");
console.log(`compiled ${rel(join(assetsDir, "scss", "app.scss"))} -> ${rel(cssOut)}`);

// 2. GOV.UK Frontend JavaScript (an ES module exporting initAll etc.)
const jsDir = join(staticDir, "js");
copy(join(govuk, "govuk-frontend.min.js"), join(jsDir, "govuk-frontend.min.js"));
copy(join(govuk, "govuk-frontend.min.js.map"), join(jsDir, "govuk-frontend.min.js.map"));

// 3. GOV.UK Frontend static assets, without the GDS Transport fonts
const assetsOut = join(staticDir, "assets");
rmSync(assetsOut, { recursive: true, force: true });
copy(join(govuk, "assets"), assetsOut, {
  filter: (src) => !relative(join(govuk, "assets"), src).split(/[\\/]/).includes("fonts"),
});

// 4. Our own JavaScript entry point
copy(join(assetsDir, "js", "app.js"), join(jsDir, "app.js"));
