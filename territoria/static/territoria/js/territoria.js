// Page behaviour hangs on data-territoria-* attributes; keep this file tiny.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the content when arriving through the skip link.
  const main = document.getElementById("contenu");
  document.querySelectorAll('a[href="#contenu"]').forEach((link) =>
    link.addEventListener("click", () => main && main.focus())
  );
  // On a phone the main menu folds behind a "Menu" button; without JavaScript it
  // stays unfolded.
  const toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    toggle.hidden = false;
    document.documentElement.classList.add("has-nav-toggle");
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
    });
  }
});
