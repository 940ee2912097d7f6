// Page behaviour hangs on data-territoria-* attributes; keep this file tiny.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the content when arriving through the skip link.
  const main = document.getElementById("contenu");
  document.querySelectorAll('a[href="#contenu"]').forEach((link) =>
    link.addEventListener("click", () => main && main.focus())
  );
});
