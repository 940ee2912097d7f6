// Public real-time counts: refresh the figures of [data-territoria-live] every minute
// from its JSON URL (the page shows the same figures without it).
(() => {
  const box = document.querySelector("[data-territoria-live]");
  if (!box) return;
  const format = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
  async function refresh() {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      for (const field of box.querySelectorAll("[data-live-field]")) {
        const value = data[field.dataset.liveField];
        if (value === null || value === undefined) continue;
        field.textContent =
          field.dataset.liveField === "updated_at"
            ? new Date(value).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" })
            : format.format(value);
      }
    } catch (error) {
      // Offline: keep the last figures.
    }
  }
  setInterval(refresh, 60000);
})();
