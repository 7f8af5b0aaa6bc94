// Thôn Số offline: an outbox of changes kept on this phone (localStorage),
// sent oldest first when there is a connection, each with an id made here
// so the server applies it once. No framework, no build step.
(function () {
  "use strict";
  var app = document.getElementById("offline-app");
  if (!app) return;
  // Each user's device and outbox are kept apart: a change waits for its
  // author to log in again on this phone, and is never sent as someone else.
  var KEY = "thonso.offline." + app.dataset.user;
  var ALPHA = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  function load() { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } }
  function save(st) { localStorage.setItem(KEY, JSON.stringify(st)); }
  var st = load();
  st.outbox = st.outbox || [];
  if (app.dataset.token) { // just registered: keep the device on this phone
    st.device = { id: Number(app.dataset.device), prefix: app.dataset.prefix, token: app.dataset.token };
    save(st);
    history.replaceState(null, "", "/offline");
  }
  var work = document.getElementById("work"), reg = document.getElementById("register");
  if (st.device) { work.hidden = false; reg.hidden = true; }
  function rand(n) {
    var b = new Uint8Array(n), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < n; i++) s += ALPHA[b[i] & 31];
    return s;
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var h = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function render() {
    var list = document.getElementById("outbox"), status = document.getElementById("outbox-status");
    list.textContent = "";
    st.outbox.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.label + (c.error ? " — " + c.error : "");
      if (c.error) { // refused: the member fixes it elsewhere or discards it
        li.className = "err";
        var b = document.createElement("button");
        b.type = "button"; b.className = "link"; b.textContent = app.dataset.msgDiscard;
        b.addEventListener("click", function () {
          st.outbox = st.outbox.filter(function (x) { return x.id !== c.id; });
          save(st); render();
          if (c.kind === "household.create") fillHouseholds(loadRef()); // no longer offered
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(b);
      }
      list.appendChild(li);
    });
    var n = st.outbox.length;
    status.textContent = n ? app.dataset.msgPending.replace("{count}", n) : app.dataset.msgNone;
    if (!navigator.onLine) status.textContent += " " + app.dataset.msgOffline;
  }
  var sending = false;
  function send() {
    if (sending || !st.device || !st.outbox.length || !navigator.onLine) return;
    sending = true;
    var batch = st.outbox.filter(function (c) { return !c.error; }).slice(0, 50);
    if (!batch.length) { sending = false; return; }
    fetch(app.dataset.sync, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + st.device.token },
      body: JSON.stringify({ device_id: st.device.id, changes: batch.map(function (c) { return { id: c.id, kind: c.kind, payload: c.payload }; }) })
    }).then(function (r) { return r.json(); }).then(function (out) {
      (out.results || []).forEach(function (res) {
        st.outbox.forEach(function (c) {
          if (c.id !== res.id) return;
          if (res.status === "refused") c.error = res.error && res.error.message; else c.done = true;
        });
      });
      st.outbox = st.outbox.filter(function (c) { return !c.done; });
      save(st);
      fetchRef();
    }).catch(function () { /* still offline: kept */ }).then(function () { sending = false; render(); });
  }
  // Reference data: what the phone keeps to work without a connection,
  // dropped after 14 days without a fresh copy (and at logout, app.js).
  var REF = "thonso.ref", DAY = 86400000;
  var STEPS = {}, REASON = { decline: 1, request_correction: 1, refuse: 1 };
  try { STEPS = JSON.parse(app.dataset.steps || "{}"); } catch (e) {}
  function loadRef() {
    try {
      var r = JSON.parse(localStorage.getItem(REF));
      if (r && Date.now() - r.fetched > 14 * DAY) { localStorage.removeItem(REF); return null; }
      return r;
    } catch (e) { return null; }
  }
  // Times are the commune's (Asia/Ho_Chi_Minh), whatever the phone's zone.
  var TZ = "Asia/Ho_Chi_Minh";
  function hm(d) { return d.toLocaleTimeString("vi-VN", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }); }
  function cap(x) { return x.charAt(0).toUpperCase() + x.slice(1); }
  function fold(x) { return x.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase(); }
  function li(text) { var e = document.createElement("li"); e.textContent = text; return e; }
  function renderRef() {
    var r = loadRef(), asof = document.getElementById("ref-asof");
    ["ref-queue", "ref-sessions", "ref-residents"].forEach(function (id) { document.getElementById(id).textContent = ""; });
    if (!r) { asof.textContent = app.dataset.msgNoref; return; }
    asof.textContent = app.dataset.msgAsof.replace("{time}", new Date(r.fetched).toLocaleString("vi-VN", { timeZone: TZ }));
    r.data.queue.forEach(function (d) {
      var e = li(d.step + ". " + d.procedure + " — " + d.applicant + " (" + d.lookup_code + ") ");
      // Steps that need nothing more than the day: kept in the outbox with
      // the version read; the server decides when it arrives.
      d.allowed.filter(function (a) { return STEPS[a]; }).forEach(function (a) {
        var code = null;
        if (a === "submit") { // the portal's dossier code goes with it
          code = document.createElement("input");
          code.className = "portal-code"; code.setAttribute("aria-label", app.dataset.msgPortal); code.placeholder = app.dataset.msgPortal;
          e.appendChild(code);
        }
        var note = null;
        if (REASON[a]) { // sent back, declined, refused: the reason goes with it
          note = document.createElement("input");
          note.className = "step-note"; note.dataset.action = a; note.setAttribute("aria-label", app.dataset.msgReason); note.placeholder = app.dataset.msgReason;
          e.appendChild(note);
        }
        var b = document.createElement("button");
        b.type = "button"; b.className = "link step"; b.dataset.action = a; b.textContent = STEPS[a];
        b.addEventListener("click", function () {
          if (note && !note.value.trim()) { note.focus(); note.setAttribute("aria-invalid", "true"); return; }
          var payload = { dossier_id: d.id, action: a, on: app.dataset.today, version: d.version };
          if (code) payload.portal_code = code.value;
          if (note) payload.note = note.value;
          st.outbox.push({ id: uuid(), kind: "dossier.step", label: cap(STEPS[a]) + " — " + d.procedure + " — " + d.applicant, payload: payload });
          save(st); render(); send();
        });
        e.appendChild(b);
      });
      document.getElementById("ref-queue").appendChild(e);
    });
    r.data.sessions.slice(0, 6).forEach(function (o) {
      var s = new Date(o.start), e = new Date(o.end);
      document.getElementById("ref-sessions").appendChild(li(s.toLocaleDateString("vi-VN", { timeZone: TZ }) + " " + hm(s) + "–" + hm(e) + (o.place ? " · " + o.place : "")));
    });
    showDocs();
    var q = fold(document.getElementById("ref-q").value || "");
    var hits = q.length < 2 ? [] : r.data.residents.filter(function (p) { return fold(p.name).indexOf(q) >= 0; }).slice(0, 20);
    hits.forEach(function (p) {
      var e = li(p.name + " · " + p.birth_year + " ");
      var b = document.createElement("button");
      b.type = "button"; b.className = "link correct"; b.textContent = app.dataset.msgCorrect;
      b.addEventListener("click", function () { openCorrect(p); });
      e.appendChild(b);
      document.getElementById("ref-residents").appendChild(e);
    });
    var box = document.getElementById("s_members");
    if (box && !box.querySelector("input")) {
      if (!r.data.team) box.appendChild(li(app.dataset.msgNoteam));
      else r.data.team.members.forEach(function (m) {
        var l = document.createElement("label"), c = document.createElement("input");
        l.className = "check"; c.type = "checkbox"; c.name = "member"; c.value = m.id;
        l.appendChild(c); l.appendChild(document.createTextNode(" " + m.name)); box.appendChild(l);
      });
    }
  }
  // fillHouseholds lists the village's households for adding a resident
  // (with those added on this phone and not sent yet) and for correcting.
  function fillHouseholds(r) {
    function fill(sel, items) {
      var keep = sel.value;
      sel.textContent = "";
      items.forEach(function (x) { var o = document.createElement("option"); o.value = x[0]; o.textContent = x[1]; sel.appendChild(o); });
      if (keep) sel.value = keep;
    }
    // "12 — Lò Văn An": the number and its head, as people know a household.
    var names = {};
    if (r) r.data.residents.forEach(function (p) { names[p.id] = p.name; });
    var known = (r ? r.data.households : []).map(function (h) { return [String(h.id), h.number + (names[h.head_id] ? " — " + names[h.head_id] : "")]; });
    var mine = st.outbox.filter(function (c) { return c.kind === "household.create"; })
      .map(function (c) { return ["c:" + c.id, app.dataset.msgHouseholdNew.replace("{number}", c.payload.number)]; });
    fill(document.getElementById("household"), known.concat(mine));
    var pick = document.getElementById("f_pick"), was = pick.value;
    fill(pick, known);
    if (pick.value !== was) pickHousehold();
  }
  function household(id) {
    var r = loadRef();
    return r && r.data.households.filter(function (h) { return String(h.id) === id; })[0];
  }
  // pickHousehold fills the correction form with what the phone holds.
  function pickHousehold() {
    var f = document.getElementById("household-fix-form"), h = household(f.pick.value) || {};
    f.number.value = h.number || ""; f.hamlet.value = h.hamlet || ""; f.address.value = h.address || "";
    f.bank.value = h.bank || ""; f.zalo.value = h.zalo || ""; f.bank_helped.checked = false; f.zalo_helped.checked = false;
  }
  var FACTS = ["smartphone", "vneid", "portal", "bank"];
  // openCorrect fills the correction form with what the phone holds.
  function openCorrect(p) {
    var f = document.getElementById("correct-form");
    f.resident_id.value = p.id; f.version.value = p.version;
    f.full_name.value = p.name; f.birth.value = p.birth || "";
    FACTS.forEach(function (k) { f[k].value = p[k] || ""; f[k + "_helped"].checked = false; });
    f.dataset.orig = JSON.stringify(p);
    var sec = document.getElementById("correct");
    sec.hidden = false;
    sec.scrollIntoView();
  }
  function dmy(iso) { var x = (iso || "").split("-"); return x.length === 3 ? x[2] + "/" + x[1] + "/" + x[0] : iso; }
  function fetchRef() {
    if (!st.device || !navigator.onLine) return;
    fetch("/api/v1/offline/" + app.dataset.village, { headers: { "Authorization": "Bearer " + st.device.token } })
      .then(function (r) { if (!r.ok) throw r; return r.json(); })
      .then(function (data) {
        localStorage.setItem(REF, JSON.stringify({ fetched: Date.now(), data: data }));
        renderRef();
        fillHouseholds(loadRef());
      })
      .catch(function () {});
  }
  // showDocs lists the papers the chosen procedure needs, from the
  // catalogue kept on the phone.
  function showDocs() {
    var r = loadRef(), code = document.getElementById("procedure").value, ul = document.getElementById("proc-docs");
    ul.textContent = "";
    var p = r && r.data.procedures.filter(function (x) { return x.code === code; })[0];
    document.getElementById("proc-docs-box").hidden = !p || !p.documents.length;
    if (p) p.documents.forEach(function (d) { ul.appendChild(li(d)); });
  }
  // slip fills the receipt slip of a dossier received on this phone, to
  // print or show: the code, who, what, when and the papers to bring.
  function slip(code, who, proc, pcode, on) {
    var r = loadRef(), p = r && r.data.procedures.filter(function (x) { return x.code === pcode; })[0], ul = document.getElementById("slip-docs");
    document.getElementById("slip-code").textContent = code;
    document.getElementById("slip-applicant").textContent = who;
    document.getElementById("slip-proc").textContent = proc + " (" + pcode + ")";
    document.getElementById("slip-on").textContent = dmy(on);
    document.getElementById("slip-url").textContent = "/tra-cuu?ma=" + code;
    ul.textContent = "";
    if (p) p.documents.forEach(function (d) { ul.appendChild(li(d)); });
    document.getElementById("slip-docs-box").hidden = !ul.children.length;
    document.getElementById("offline-slip").hidden = false;
  }
  document.getElementById("slip-print").addEventListener("click", function () { window.print(); });
  document.getElementById("procedure").addEventListener("change", showDocs);
  document.getElementById("ref-q").addEventListener("input", renderRef);
  renderRef();
  // The household lists change with the reference data and the outbox,
  // not with each letter typed in the search.
  fillHouseholds(loadRef());
  fetchRef();
  window.addEventListener("online", fetchRef);
  document.getElementById("send-now").addEventListener("click", send);
  window.addEventListener("online", send);
  window.addEventListener("offline", render);
  setInterval(send, 30000);
  var on = document.getElementById("received_on");
  if (on && !on.value) on.value = app.dataset.today;
  document.getElementById("receive-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, code = st.device.prefix + rand(8);
    var proc = f.procedure.options[f.procedure.selectedIndex].text;
    st.outbox.push({ id: uuid(), kind: "dossier.receive", label: proc + " — " + f.applicant_name.value + " (" + code + ")", payload: {
      village_code: app.dataset.village, procedure: f.procedure.value, applicant_name: f.applicant_name.value,
      applicant_phone: f.applicant_phone.value, received_on: f.received_on.value, lookup_code: code } });
    save(st);
    var rc = document.getElementById("receipt");
    rc.textContent = app.dataset.msgCode.replace("{code}", code);
    rc.hidden = false;
    slip(code, f.applicant_name.value, proc, f.procedure.value, f.received_on.value);
    f.applicant_name.value = ""; f.applicant_phone.value = "";
    render();
    send();
  });
  document.getElementById("household-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, p = { village_code: app.dataset.village, number: f.number.value, hamlet: f.hamlet.value, address: f.address.value };
    if (f.bank.value) p.bank = { since: f.bank.value, helped: false };
    if (f.zalo.value) p.zalo = { since: f.zalo.value, helped: false };
    st.outbox.push({ id: uuid(), kind: "household.create", label: app.dataset.msgHouseholdLabel.replace("{number}", f.number.value), payload: p });
    save(st);
    f.reset();
    fillHouseholds(loadRef());
    render();
    send();
  });
  document.getElementById("f_pick").addEventListener("change", pickHousehold);
  document.getElementById("household-fix-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, h = household(f.pick.value);
    if (!h) return;
    // Only what was changed is sent, on the version the phone read.
    var p = { household_id: h.id, version: h.version };
    ["number", "hamlet", "address"].forEach(function (k) { if (f[k].value !== (h[k] || "")) p[k] = f[k].value; });
    ["bank", "zalo"].forEach(function (k) {
      if (f[k].value !== (h[k] || "") || f[k + "_helped"].checked) p[k] = { since: f[k].value, helped: f[k + "_helped"].checked };
    });
    st.outbox.push({ id: uuid(), kind: "household.update", label: app.dataset.msgHouseholdFixLabel.replace("{number}", h.number), payload: p });
    save(st);
    render();
    send();
  });
  document.getElementById("resident-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, hv = f.household.value;
    var payload = { full_name: f.full_name.value, birth_date: f.birth_date.value, sex: f.sex.value, relation: f.relation.value };
    // A household added on this phone is named by its change, resolved by
    // the server once that change (sent first) is applied.
    if (hv.indexOf("c:") === 0) payload.household_change = hv.slice(2); else payload.household_id = Number(hv);
    st.outbox.push({ id: uuid(), kind: "resident.create", label: f.full_name.value + " (" + f.household.options[f.household.selectedIndex].text + ")",
      payload: payload });
    save(st);
    f.full_name.value = "";
    render();
    send();
  });
  document.getElementById("correct-cancel").addEventListener("click", function () { document.getElementById("correct").hidden = true; });
  document.getElementById("correct-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, p = JSON.parse(f.dataset.orig || "{}");
    // Only what was changed is sent, on the version the phone read.
    var payload = { resident_id: Number(f.resident_id.value), version: Number(f.version.value) };
    if (f.full_name.value !== p.name) payload.full_name = f.full_name.value;
    if (f.birth.value && f.birth.value !== (p.birth || "")) payload.birth_date = f.birth.value;
    FACTS.forEach(function (k) {
      if (f[k].value !== (p[k] || "") || f[k + "_helped"].checked) payload[k] = { since: f[k].value, helped: f[k + "_helped"].checked };
    });
    st.outbox.push({ id: uuid(), kind: "resident.update", label: app.dataset.msgCorrectLabel.replace("{name}", f.full_name.value), payload: payload });
    save(st);
    document.getElementById("correct").hidden = true;
    render();
    send();
  });
  var son = document.getElementById("s_on");
  if (son && !son.value) son.value = app.dataset.today;
  if (son) son.form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target, r = loadRef();
    if (!r || !r.data.team) return;
    var ids = Array.prototype.map.call(f.querySelectorAll("input[name=member]:checked"), function (c) { return Number(c.value); });
    st.outbox.push({ id: uuid(), kind: "session.log", label: app.dataset.msgSessionLabel.replace("{date}", dmy(f.on.value)).replace("{count}", f.residents_helped.value),
      payload: { team_id: r.data.team.id, on: f.on.value, residents_helped: Number(f.residents_helped.value), notes: f.notes.value, member_ids: ids } });
    save(st);
    f.notes.value = ""; f.residents_helped.value = "0";
    Array.prototype.forEach.call(f.querySelectorAll("input[name=member]"), function (c) { c.checked = false; });
    render();
    send();
  });
  render();
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});
  send();
})();
