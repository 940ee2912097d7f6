// The report form: show only the chosen category's questions, and list open reports
// of that category near the chosen point while the report is being written.
// The back-office list: [data-territoria-bbox-filter="<map id>"] puts the map's visible
// box in the filter form's input named by data-bbox-input and submits the form.
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
  function bboxFilter(button) {
    const map = document.getElementById(button.dataset.territoriaBboxFilter);
    const input = document.getElementById(button.dataset.bboxInput);
    if (!map || !input) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      if (!map.territoriaMap) return;
      input.value = map.territoriaMap.getBounds().toBBoxString();
      button.form.requestSubmit();
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-territoria-report-form]").forEach(setup);
    document.querySelectorAll("[data-territoria-bbox-filter]").forEach(bboxFilter);
  });
})();
