// Entry of the enketo-core bundle (see scripts/vendor.sh): exposes the form engine as the
// global `EnketoCore` for static/hofburg/elections-enketo.js. Bundled once at vendor time.
import { Form } from 'enketo-core';

window.EnketoCore = { Form };
