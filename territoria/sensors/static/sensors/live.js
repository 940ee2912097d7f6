// Public real-time counts: refresh the figures of [data-territoria-live] every minute
// from its JSON URL (the page shows the same figures without it). Fields name a key of
// the JSON, dotted for a nested one ("crowd.present"); data-live-text shows it as is.
(() => {
  const box = document.querySelector("[data-territoria-live]");
  if (!box) return;
  const format = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
  const pick = (data, path) => path.split(".").reduce((value, key) => (value == null ? value : value[key]), data);
  async function refresh() {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      for (const field of box.querySelectorAll("[data-live-field]")) {
        const value = pick(data, field.dataset.liveField);
        if (value === null || value === undefined) continue;
        field.textContent =
          field.dataset.liveField === "updated_at"
            ? new Date(value).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" })
            : format.format(value);
      }
      for (const field of box.querySelectorAll("[data-live-text]")) {
        const value = pick(data, field.dataset.liveText);
        if (value !== null && value !== undefined) field.textContent = value;
      }
      const level = pick(data, "crowd.level");
      for (const badge of box.querySelectorAll("[data-crowd-level]")) {
        if (!level) continue;
        badge.classList.replace(`crowd-${badge.dataset.crowdLevel}`, `crowd-${level}`);
        badge.dataset.crowdLevel = level;
      }
      box.dispatchEvent(new CustomEvent("territoria:live-updated"));
    } catch (error) {
      // Offline: keep the last figures.
    }
  }
  box.addEventListener("territoria:live-refresh", refresh);
  setInterval(refresh, 60000);
})();
