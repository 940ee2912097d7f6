// Show each priority slider's value next to it as it moves.
document.addEventListener("input", (event) => {
  const slider = event.target;
  if (!(slider instanceof HTMLInputElement) || slider.type !== "range") return;
  const output = slider.parentElement.querySelector("[data-territoria-slider-value]");
  if (output) output.textContent = slider.value;
});
