// Applies the saved colour scheme before the first paint, as Mantine's ColorSchemeScript does
// (that one is an inline script, which the server's Content-Security-Policy forbids).
/* global window, document */
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
