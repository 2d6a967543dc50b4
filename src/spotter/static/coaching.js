/* Coaching pages (exercise library, builder, client record): the search-and-choose picker
   (templates/clients/_picker.html). Plain event delegation, so it works in content HTMX
   swaps in and whatever order the scripts load in. app.js already moves between the
   search box and its matches with the arrow keys and turns Enter into "choose the first". */
(function () {
  function parts(picker) {
    return {
      value: picker.querySelector("[data-picker-value]"),
      name: picker.querySelector("[data-picker-name]"),
      label: picker.querySelector("[data-picker-label]"),
      chosen: picker.querySelector("[data-picker-chosen]"),
      search: picker.querySelector("[data-picker-search]"),
      input: picker.querySelector("[data-picker-search] input"),
      results: picker.querySelector(".search-results"),
    };
  }

  function set(picker, id, name) {
    var p = parts(picker);
    p.value.value = id;
    if (p.name) p.name.value = name;
    p.label.textContent = name;
    p.chosen.hidden = !id;
    p.search.hidden = !!id;
    p.results.innerHTML = "";
    if (p.input) {
      p.input.value = "";
      p.input.removeAttribute("aria-invalid");
    }
    /* Listeners (HTMX triggers such as "change from:#x-value") hear the choice. */
    p.value.dispatchEvent(new Event("change", { bubbles: true }));
    var focus = id ? picker.querySelector("[data-picker-clear]") : p.input;
    if (focus) focus.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var pick = target.closest("[data-pick-id]");
    var picker = target.closest("[data-picker]");
    if (pick && picker) {
      event.preventDefault();
      set(picker, pick.getAttribute("data-pick-id"), pick.getAttribute("data-pick-name"));
    } else if (picker && target.closest("[data-picker-clear]")) {
      event.preventDefault();
      set(picker, "", "");
    }
  });

  /* An HTMX swap re-renders a whole card: disclosures that were open (a progression
     editor, a reschedule form) stay open, so the person keeps their place. */
  var open = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    open = target ? Array.prototype.map.call(target.querySelectorAll("details[open][id]"), function (d) { return d.id; }) : [];
  });
  /* After settling, so that a disclosure whose content loads when opened is wired up. */
  document.addEventListener("htmx:afterSettle", function () {
    open.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
    open = [];
  });
})();
