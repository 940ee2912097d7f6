// The report form: show only the chosen category's questions, and list open reports
// of that category near the chosen point while the report is being written.
(() => {
  function setup(form) {
    const category = form.querySelector("#id_category");
    const lat = form.querySelector("#id_latitude");
    const lon = form.querySelector("#id_longitude");
    const nearby = document.getElementById("nearby");
    const showQuestions = () => {
      form.querySelectorAll(".report-questions").forEach((group) => {
        group.hidden = group.dataset.category !== category.value;
      });
    };
    const lookNearby = () => {
      if (!category.value || !lat.value || !lon.value || !nearby) return;
      const url = new URL(form.dataset.nearbyUrl, window.location.href);
      url.searchParams.set("category", category.value);
      url.searchParams.set("latitude", lat.value);
      url.searchParams.set("longitude", lon.value);
      fetch(url, { headers: { "HX-Request": "true" } })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => {
          nearby.innerHTML = html;
        });
    };
    category.addEventListener("change", () => {
      showQuestions();
      lookNearby();
    });
    lat.addEventListener("change", lookNearby);
    showQuestions();
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-territoria-report-form]").forEach(setup);
  });
})();
