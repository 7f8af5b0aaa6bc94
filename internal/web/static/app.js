// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Logging out drops the village's reference data kept for offline work
  // (the outbox stays until each change is sent or discarded).
  var out = document.getElementById("logout");
  if (out) out.form.addEventListener("submit", function () { try { localStorage.removeItem("thonso.ref"); } catch (e) {} });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
});
