/* Runs in <head> before the first paint: apply the theme the person chose, if any. */
(function () {
  try {
    var theme = localStorage.getItem("spotter-theme");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage blocked: follow the system setting */ }
})();
