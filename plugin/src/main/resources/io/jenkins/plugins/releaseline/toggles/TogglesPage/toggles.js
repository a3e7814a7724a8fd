// Feature toggles page: flip, kill and rollout buttons send a POST (with the crumb) and reload the grid.
(function () {
  "use strict";

  function post(action, params) {
    const body = new URLSearchParams(params);
    return fetch(action, {
      method: "POST",
      headers: crumb.wrap({ "Content-Type": "application/x-www-form-urlencoded" }),
      body: body,
    }).then(function (response) {
      if (response.ok) {
        window.location.reload();
        return;
      }
      return response.text().then(function (text) {
        showError(text || response.statusText);
      });
    });
  }

  function showError(text) {
    const box = document.querySelector(".release-line-toggle-error");
    if (box) {
      box.textContent = text; // text, never markup
      box.classList.remove("jenkins-hidden");
    }
  }

  function cellOf(button) {
    return button.closest(".release-line-toggle-cell");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".release-line-flip").forEach(function (button) {
      button.addEventListener("click", function () {
        const cell = cellOf(button);
        post("flip", { key: cell.dataset.key, environment: cell.dataset.environment, enabled: button.dataset.enabled });
      });
    });
    document.querySelectorAll(".release-line-kill").forEach(function (button) {
      button.addEventListener("click", function () {
        const cell = cellOf(button);
        const reason = window.prompt("Why kill " + cell.dataset.key + " in " + cell.dataset.environment + "?");
        if (reason !== null) {
          post("kill", { key: cell.dataset.key, environment: cell.dataset.environment, reason: reason });
        }
      });
    });
    document.querySelectorAll(".release-line-delete").forEach(function (button) {
      button.addEventListener("click", function () {
        const key = button.dataset.key;
        const reason = window.prompt("Delete " + key + " in every environment? Applications then get their default. Why?");
        if (reason !== null) {
          post("delete", { key: key, reason: reason });
        }
      });
    });
    document.querySelectorAll(".release-line-rollout").forEach(function (button) {
      button.addEventListener("click", function () {
        const cell = cellOf(button);
        const input = cell.querySelector(".release-line-percentage");
        post("rollout", { key: cell.dataset.key, environment: cell.dataset.environment, percentage: input.value });
      });
    });
  });
})();
