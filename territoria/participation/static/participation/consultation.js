// Conditional questions: shown only when the question they depend on has the given
// answer. Without JavaScript every question shows and the server ignores the answers
// to questions that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("[data-territoria-survey]");
  if (!form) return;
  var conditional = form.querySelectorAll("[data-condition-question]");
  function update() {
    conditional.forEach(function (fieldset) {
      var name = fieldset.dataset.conditionQuestion;
      var wanted = fieldset.dataset.conditionChoice;
      var chosen = Array.prototype.some.call(
        form.querySelectorAll("input[name='" + name + "']:checked"),
        function (input) { return input.value === wanted; }
      );
      fieldset.hidden = !chosen;
    });
  }
  form.addEventListener("change", update);
  update();
})();
