// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Logging out drops the village's reference data kept for offline work
  // (the outbox stays until each change is sent or discarded).
  var out = document.getElementById("logout");
  // A registered phone asks the server to spare its storage (the outbox and
  // the device's token); elsewhere logout clears the site's storage.
  if (out) out.form.addEventListener("submit", function () {
    try {
      localStorage.removeItem("thonso.ref");
      for (var i = 0; i < localStorage.length; i++) {
        if (localStorage.key(i).indexOf("thonso.offline.") === 0) {
          var k = document.createElement("input");
          k.type = "hidden"; k.name = "keep"; k.value = "outbox";
          out.form.appendChild(k);
          break;
        }
      }
    } catch (e) {}
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
});
