// Edit forms: Enter in a picker's search box searches that picker (its own button) instead of
// saving. Without this script Enter saves, as in any form: the form's first submit button is a
// hidden copy of "Spara utkast". Nothing else depends on it.
"use strict";
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || !(box instanceof HTMLInputElement) || !box.name.startsWith("sok_")) return;
  const button = box.parentElement && box.parentElement.querySelector('button[name="sok"]');
  if (!button) return;
  event.preventDefault();
  button.click();
});
