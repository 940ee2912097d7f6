// Live count of a participatory-budget ballot: the server checks the rule anyway.
(function () {
  "use strict";
  var euro = new Intl.NumberFormat("fr-FR");
  document.querySelectorAll("[data-territoria-ballot]").forEach(function (form) {
    var out = form.querySelector("[data-territoria-ballot-total]");
    var envelope = Number(form.dataset.envelope);
    var max = Number(form.dataset.max || 0);
    function update() {
      var boxes = form.querySelectorAll("input[name=projects]:checked");
      var total = 0;
      boxes.forEach(function (box) { total += Number(box.dataset.cost || 0); });
      var over = form.dataset.rule === "budget" ? total > envelope : max && boxes.length > max;
      out.textContent = form.dataset.rule === "budget"
        ? "Total : " + euro.format(total) + " € sur " + euro.format(envelope) + " €"
        : boxes.length + " projet(s) choisi(s) sur " + max + " au plus";
      out.classList.toggle("over", Boolean(over));
    }
    form.addEventListener("change", update);
    update();
  });
})();
