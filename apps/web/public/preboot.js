// Runs before the app's modules. An external file, not an inline script: the server's
// Content-Security-Policy allows only same-origin scripts (and no eval).
/* global window, document */

// 1. Apply the saved colour scheme before the first paint, as Mantine's (inline)
//    ColorSchemeScript would.
(function () {
  var key = 'mantine-color-scheme-value';
  var value = 'auto';
  try {
    var saved = window.localStorage.getItem(key);
    if (saved === 'light' || saved === 'dark' || saved === 'auto') value = saved;
  } catch {
    /* storage unavailable: keep auto */
  }
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var computed = value === 'auto' ? (dark ? 'dark' : 'light') : value;
  document.documentElement.setAttribute('data-mantine-color-scheme', computed);
})();

// 2. zod 4 probes `new Function` when its first object schema is built (at module load, before
//    any app code could call z.config); under our CSP that probe is reported as a violation.
//    zod reads this global config object when it loads.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
