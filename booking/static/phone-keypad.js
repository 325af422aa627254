/* The kiosk's phone keypad ("text me my ticket"): digits and + into the field. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-phone-keypad]").forEach(function (form) {
    var input = form.querySelector("input[name=phone]");
    form.querySelectorAll("[data-phone-key]").forEach(function (key) {
      key.addEventListener("click", function () {
        var sign = key.getAttribute("data-phone-key");
        if (sign === "back") input.value = input.value.slice(0, -1);
        else if (input.value.length < 20 && (sign !== "+" || input.value === "")) input.value += sign;
      });
    });
  });
})();
