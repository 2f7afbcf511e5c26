// The roll works offline: each tap gets an id and the tablet's time, waits in localStorage, and is
// sent in order when the network is back. The server applies each tap once, so resending is harmless.
(function () {
  var KEY = "planner.taps.v1";
  var roll = document.getElementById("roll");
  if (!roll) return;
  var session = roll.dataset.session;
  var sending = false;

  function queue() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function token() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }

  function recount() {
    // The counter above the roll follows every tap, including taps still waiting to be sent.
    var box = document.getElementById("roll-counts");
    if (!box || !box.dataset.template) return;
    var rows = roll.querySelectorAll("ul.roll > li");
    var here = roll.querySelectorAll("ul.roll > li.present, ul.roll > li.late, ul.roll > li.left_early").length;
    var open = roll.querySelectorAll("ul.roll > li.unmarked").length;
    box.textContent = box.dataset.template.replace("{present}", here).replace("{total}", rows.length)
      .replace("{open}", open);
  }

  function showPending() {
    recount();
    var count = queue().filter(function (t) { return t.session === session; }).length;
    var box = document.getElementById("pending");
    if (!box) return;
    box.hidden = count === 0;
    box.textContent = box.dataset.template.replace("{num}", count);
  }

  function showLocally(tap) {
    // Optimistic: the person's row shows the new state at once, marked as waiting.
    var row = document.getElementById("person-" + tap.fields.person);
    if (!row) return;
    row.className = "person " + (tap.fields.status || "unmarked") + " waiting";
    var state = row.querySelector(".state");
    var label = roll.dataset["label" + (tap.fields.status || "none").replace(/_(.)/g, function (_, c) { return c.toUpperCase(); })
      .replace(/^./, function (c) { return c.toUpperCase(); })];
    if (state && label) state.textContent = label;
    var saved = row.querySelector(".saved");
    if (saved) saved.remove();
  }

  function flush() {
    if (sending) return;
    var items = queue();
    var next = items.filter(function (t) { return t.session === session; })[0];
    if (!next) { showPending(); return; }
    sending = true;
    fetch("/roll/" + session + "/taps", {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(next.fields).toString()
    }).then(function (response) {
      if (response.status >= 500 || response.status === 0) throw new Error("retry later");
      return response.text().then(function (html) {
        save(queue().filter(function (t) { return t.fields.client_id !== next.fields.client_id; }));
        var stillWaiting = queue().some(function (t) { return t.fields.person === next.fields.person; });
        var row = document.getElementById("person-" + next.fields.person);
        if (row && !stillWaiting && response.headers.get("content-type").indexOf("text/html") === 0) {
          row.outerHTML = html;
        }
        sending = false;
        showPending();
        flush();
      });
    }).catch(function () { sending = false; showPending(); });
  }

  roll.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("tap-form")) return;
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) { if (name !== "_csrf_token") fields[name] = value; });
    fields.client_id = plannerTapId();
    fields.device_time = new Date().toISOString();
    var tap = { session: session, fields: fields };
    save(queue().concat([tap]));
    showLocally(tap);
    var details = form.closest("details");
    if (details) details.open = false;
    showPending();
    flush();
  });

  queue().forEach(function (tap) { if (tap.session === session) showLocally(tap); });
  showPending();
  flush();
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  // Keep this page for the moments without network (the service worker serves it then).
  if (window.caches) caches.open("planner-pages-v1").then(function (c) { return c.add(location.pathname); }).catch(function () {});
})();
