// Entry point loaded by every page as
//   <script type="module" src="/static/js/app.js" nonce="...">
// Copied unchanged to eventapp/static/js/app.js by `npm run build`.
import { initAll } from "./govuk-frontend.min.js";

initAll();
