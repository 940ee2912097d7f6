// Territory autocomplete: the WAI-ARIA 1.2 combobox pattern (list autocomplete).
// Markup: territories/includes/territory_autocomplete.html. An <input> carrying
// data-territoria-autocomplete="<search endpoint>" becomes a combobox; the chosen code
// goes into the hidden input named by data-territoria-autocomplete-target. Without this
// script the text field still submits and the server resolves it.
(function () {
  "use strict";
  if (window.territoriaAutocomplete) return; // the include may load this file twice
  const DELAY_MS = 200;
  const MIN_LENGTH = 2;
  const LIMIT = 8;
  let counter = 0;

  function format(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, (match, key) =>
      key in values ? String(values[key]) : match
    );
  }

  function enhance(input) {
    if (input.dataset.territoriaAutocompleteReady) return;
    input.dataset.territoriaAutocompleteReady = "1";
    const endpoint = input.dataset.territoriaAutocomplete;
    const kind = input.dataset.territoriaAutocompleteKind || "";
    const target = document.getElementById(input.dataset.territoriaAutocompleteTarget || "");
    const msg = input.dataset;
    const baseId = input.id || "territoria-autocomplete-" + ++counter;
    input.id = baseId;

    const listbox = document.createElement("ul");
    listbox.id = baseId + "-listbox";
    listbox.className = "autocomplete-list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", msg.msgListLabel || "Suggestions");
    listbox.hidden = true;

    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");

    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    let results = [];
    let active = -1;
    let timer = null;
    let controller = null;
    let lastQuery = null;

    function announce(text) {
      // Clear first so that the same message twice is still read out.
      status.textContent = "";
      window.setTimeout(() => {
        status.textContent = text;
      }, 50);
    }

    function open() {
      if (!results.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function setActive(index) {
      const options = listbox.querySelectorAll('[role="option"]');
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function detail(result) {
      const parts = [];
      if (result.kind === "epci") {
        parts.push(msg.msgEpci || "Intercommunalité");
      } else if (result.postal_codes && result.postal_codes.length) {
        parts.push(result.postal_codes.slice(0, 3).join(", "));
      }
      if (result.population) {
        parts.push(
          format(msg.msgPopulation || "{count} hab.", {
            count: result.population.toLocaleString("fr-FR"),
          })
        );
      }
      if (result.kind === "commune" && result.epci_name) parts.push(result.epci_name);
      if (result.former_code) {
        parts.push(format(msg.msgFormerCode || "ancien code {code}", { code: result.former_code }));
      }
      return parts.join(" · ");
    }

    function render() {
      listbox.replaceChildren();
      results.forEach((result, i) => {
        const option = document.createElement("li");
        option.id = baseId + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = result.label;
        const extra = document.createElement("span");
        extra.className = "option-detail";
        extra.textContent = detail(result);
        option.appendChild(extra);
        // mousedown would blur the input before the click lands.
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(i));
        listbox.appendChild(option);
      });
      active = -1;
      if (results.length) {
        open();
      } else {
        close();
      }
    }

    function choose(index) {
      const result = results[index];
      if (!result) return;
      input.value = result.label;
      if (target) target.value = result.code;
      lastQuery = input.value.trim();
      close();
      announce(format(msg.msgChosen || "{label} sélectionné.", { label: result.label }));
      input.dispatchEvent(new CustomEvent("territoria:territory-chosen", { bubbles: true, detail: result }));
    }

    async function fetchResults(query) {
      if (controller) controller.abort();
      controller = new AbortController();
      const params = new URLSearchParams({ q: query, limit: String(LIMIT) });
      if (kind) params.set("kind", kind);
      try {
        const response = await fetch(endpoint + "?" + params.toString(), {
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (!response.ok) {
          results = [];
          render();
          announce(msg.msgError || "La recherche a échoué.");
          return;
        }
        const data = await response.json();
        results = data.results || [];
        render();
        if (!results.length) {
          announce(msg.msgNone || "Aucun résultat.");
        } else if (results.length === 1) {
          announce(msg.msgOne || "1 résultat disponible.");
        } else {
          announce(format(msg.msgMany || "{count} résultats disponibles.", { count: results.length }));
        }
      } catch (error) {
        if (error.name !== "AbortError") announce(msg.msgError || "La recherche a échoué.");
      }
    }

    input.addEventListener("input", () => {
      if (target) target.value = ""; // the text changed: the earlier choice no longer holds
      const query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < MIN_LENGTH) {
        results = [];
        lastQuery = null;
        close();
        return;
      }
      if (query === lastQuery) return;
      timer = window.setTimeout(() => {
        lastQuery = query;
        fetchResults(query);
      }, DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      switch (event.key) {
        case "ArrowDown":
          if (!results.length) return;
          event.preventDefault();
          if (listbox.hidden) open();
          setActive(active + 1 >= results.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!results.length) return;
          event.preventDefault();
          if (listbox.hidden) open();
          setActive(active - 1 < 0 ? results.length - 1 : active - 1);
          break;
        case "Enter":
          if (!listbox.hidden && active >= 0) {
            event.preventDefault(); // choose, do not submit the form yet
            choose(active);
          }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            if (target) target.value = "";
            results = [];
            lastQuery = null;
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    });

    input.addEventListener("blur", () => window.setTimeout(close, 150));
    input.addEventListener("focus", () => {
      if (results.length && !(target && target.value)) open();
    });
    // Typed before this script ran (a slow connection): search what is there.
    if (document.activeElement === input && !(target && target.value)) {
      input.dispatchEvent(new Event("input"));
    }
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("[data-territoria-autocomplete]").forEach(enhance);
  }

  window.territoriaAutocomplete = { enhance, enhanceAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  } else {
    enhanceAll(document);
  }
  // Content swapped in by HTMX gets the same behaviour.
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
