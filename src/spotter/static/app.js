/* Spotter's own small behaviours, as Alpine.js components (loaded before Alpine). */
document.addEventListener("alpine:init", function () {
  var Alpine = window.Alpine;

  /* Light/dark toggle: remembered in localStorage; without a choice the system decides. */
  Alpine.data("themeToggle", function () {
    return {
      dark: false,
      init: function () {
        var chosen = document.documentElement.dataset.theme;
        this.dark = chosen ? chosen === "dark"
          : window.matchMedia("(prefers-color-scheme: dark)").matches;
      },
      toggle: function () {
        this.dark = !this.dark;
        var theme = this.dark ? "dark" : "light";
        document.documentElement.dataset.theme = theme;
        try { localStorage.setItem("spotter-theme", theme); } catch (e) { /* ignore */ }
      },
      get label() { return this.dark ? "Switch to light theme" : "Switch to dark theme"; },
    };
  });

  /* Copy a field's value to the clipboard, saying so for screen readers too. */
  Alpine.data("copyField", function () {
    return {
      copied: false,
      copy: function () {
        var field = this.$refs.value;
        var done = function () { this.copied = true; setTimeout(function () { this.copied = false; }.bind(this), 2500); }.bind(this);
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
        } else {
          field.select();
          try { document.execCommand("copy"); done(); } catch (e) { /* selected: copy by hand */ }
        }
      },
    };
  });

  /* Password inputs with a show/hide button. */
  Alpine.data("reveal", function () {
    return { shown: false };
  });

  /* Colour input kept in step with a text input showing the hex value. */
  Alpine.data("colorPair", function (initial) {
    return { value: initial || "#2563eb" };
  });

  /* Preselect the browser's time zone on a select, if it is one of the options. */
  Alpine.data("browserTimezone", function () {
    return {
      init: function () {
        var select = this.$el;
        if (select.dataset.touched) return;
        try {
          var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
          if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
        } catch (e) { /* keep the default */ }
      },
    };
  });
});

/* Focus the first field with an error after a refused form. */
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
});

/* HTMX: a refused form (422) still replaces its target, so messages show next to fields. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

/* Builder keyboard: Alt+Up/Down moves the exercise being edited; in an exercise search,
   Enter adds the first match and Down moves into the results (Up/Down between them). */
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (!(target instanceof Element)) return;
  if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
    var row = target.closest("[data-rx]");
    var button = row && row.querySelector(event.key === "ArrowUp" ? ".move-up" : ".move-down");
    if (button && !button.disabled) {
      event.preventDefault();
      var form = button.closest("form");
      if (form) form.requestSubmit(button);
    }
    return;
  }
  var resultsSel = target.getAttribute("data-results");
  if (resultsSel) {
    var first = document.querySelector(resultsSel + " .result");
    if (event.key === "Enter") {
      event.preventDefault();
      if (first) first.click();
    } else if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
    return;
  }
  if (target.classList.contains("result") && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    var items = Array.prototype.slice.call(target.closest(".results").querySelectorAll(".result"));
    var i = items.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1);
    event.preventDefault();
    if (i >= 0 && i < items.length) items[i].focus();
    else if (i < 0) {
      var input = document.querySelector('[data-results="#' + target.closest(".search-results").id + '"]');
      if (input) input.focus();
    }
  }
});
