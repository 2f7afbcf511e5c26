// The roll works offline: every roll action (a tap, "Other", a trial, everyone present, the rest absent,
// close, reopen) gets an id and the tablet's time, waits in localStorage, and is sent in order when the
// network is back. The server applies each id once, so resending is harmless.
// An action leaves the queue only when the server's answer names its id: X-Roll-Stored (applied, or
// applied before) or X-Roll-Refused (can never be: a missing reason, a closed roll). Any other answer
// keeps it: 403 (a page from the offline cache whose CSRF cookie is gone) fetches a fresh token and
// sends again; 401 (signed out meanwhile) asks the facilitator to sign in again in a new tab, then sends;
// 503 (database busy), a proxy's page or no network: the next try, every few seconds. Actions waiting
// from another roll are sent from whichever roll is open, after this one's.
// A finger's tap is taken when the finger lifts, not at Chromium's later click (which is then eaten).
// Over 300 lines: the queue, its answers and the roll's screen (bulk actions and their undo, the status
// buttons) share one closure, and one file keeps the roll to a single script request on a slow tablet.
(function () {
  var KEY = "planner.taps.v1";
  var roll = document.getElementById("roll");
  if (!roll) return;
  var session = roll.dataset.session;
  var sending = false;
  var signedOut = false;
  var reloadWhenDone = false;

  function queue() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function mine(item) { return item.session === session; }
  function actionOf(item) { return item.action || "taps"; }  // queues written before actions had names
  function token() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }

  function setToken(value) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) meta.content = value;
    // htmx on this page reads its header from <body>; keep both in step.
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": value }));
    document.querySelectorAll('input[name="_csrf_token"]').forEach(function (input) { input.value = value; });
  }

  function showSignIn(show) {
    signedOut = show;
    var box = document.getElementById("signin");
    if (box) box.hidden = !show;
  }

  function recount() {
    // The counter above the roll follows every tap, including taps still waiting to be sent.
    var box = document.getElementById("roll-counts");
    if (!box || !box.dataset.hereOne) return;
    var rows = roll.querySelectorAll("ul.roll > li");
    var here = roll.querySelectorAll("ul.roll > li.present, ul.roll > li.late, ul.roll > li.left_early").length;
    var open = roll.querySelectorAll("ul.roll > li.unmarked").length;
    box.textContent = counted(box, "here", here).replace("{total}", rows.length) + ", " + counted(box, "open", open);
  }

  var plurals = null;
  function counted(box, name, n) {
    // The page's plural rules pick the form, as gettext did on the server (French: 0 and 1 are singular).
    if (!plurals && window.Intl && Intl.PluralRules) plurals = new Intl.PluralRules(document.documentElement.lang || "fr");
    var one = plurals ? plurals.select(n) === "one" : n === 1;
    return box.dataset[name + (one ? "One" : "Many")].replace("{num}", n);
  }

  function peopleOf(item) {
    // The people an action waits for: a tap or a remark names one, a bulk action or its undo several.
    if (item.people) return item.people;
    return item.fields.person ? [String(item.fields.person)] : [];
  }

  function showPending() {
    recount();
    var items = queue().filter(mine);
    var people = {};
    items.forEach(function (item) { peopleOf(item).forEach(function (id) { people[id] = true; }); });
    var count = Object.keys(people).length;
    var box = document.getElementById("pending");
    if (!box) return;
    box.hidden = items.length === 0;
    if (box.hidden) return;
    // People, not taps: three taps on one person are one person waiting.
    var text = (count === 0 ? box.dataset.none : count === 1 ? box.dataset.one : box.dataset.many).replace("{num}", count);
    if (box.textContent !== text) box.textContent = text;
  }

  function label(status) {
    var name = (status || "none").replace(/_(.)/g, function (_, c) { return c.toUpperCase(); })
      .replace(/^./, function (c) { return c.toUpperCase(); });
    return roll.dataset["label" + name];
  }

  function showRow(row, status) {
    row.className = "person " + (status || "unmarked") + " waiting";
    var state = row.querySelector(".state");
    if (state && label(status)) state.textContent = label(status);
    var saved = row.querySelector(".saved");
    if (saved) saved.remove();
    row.querySelectorAll("button.st").forEach(function (b) { b.setAttribute("aria-pressed", String(b.value === status)); });
  }

  function showLocally(item) {
    // Optimistic: the rows show the new state at once, marked as waiting.
    var action = actionOf(item);
    if (action === "taps") {
      var row = document.getElementById("person-" + item.fields.person);
      if (row) showRow(row, item.fields.status);
    } else if (action === "everyone-present" || action === "rest-absent") {
      (item.people || []).forEach(function (id) {
        var row = document.getElementById("person-" + id);
        if (row && row.classList.contains("unmarked")) showRow(row, action === "everyone-present" ? "present" : "unexcused");
      });
    } else if (action === "undo") {
      (item.people || []).forEach(function (id) {
        var row = document.getElementById("person-" + id);
        if (row && row.classList.contains(item.status)) showRow(row, "");
      });
    } else if (action === "remarks") {
      var target = document.getElementById("person-" + item.fields.person);
      if (target) target.classList.add("waiting");  // the roll fetched again once it is sent shows the remark
    } else if (action === "close" && !roll.dataset.manage) {
      // The roll looks closed while its close waits: the server refuses a facilitator's later tap, so the
      // tablet must not take one and show it as waiting. A coordinator may still correct a closed roll.
      roll.querySelectorAll("button.tap, button.st").forEach(function (button) { button.disabled = true; });
      roll.querySelectorAll("details, .actions form, .bulk").forEach(function (part) { part.hidden = true; });
    }
  }

  function refreshToken() {
    // A fresh token (and its cookie) from the server; 401 when the session is gone.
    return fetch("/roll/csrf-token", {
      credentials: "same-origin", cache: "no-store", redirect: "manual", headers: { "X-Planner-Queue": "1" }
    }).then(function (response) {
      if (response.status === 200) {
        return response.json().then(function (data) { setToken(data.token); showSignIn(false); return true; });
      }
      if (response.status === 401 || response.type === "opaqueredirect") showSignIn(true);
      return false;
    });
  }

  function done(item) {
    save(queue().filter(function (t) { return t.fields.client_id !== item.fields.client_id; }));
  }

  function send(item) {
    return fetch("/roll/" + item.session + "/" + actionOf(item), {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": token(), "HX-Request": "true", "X-Planner-Queue": "1",
                 "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(item.fields).toString()
    });
  }

  function answered(item, response) {
    // true: the server named this action in its answer, it leaves the queue.
    var id = item.fields.client_id;
    var stored = response.headers.get("X-Roll-Stored") === id;
    var refused = response.headers.get("X-Roll-Refused") === id;
    if (!stored && !refused) return Promise.resolve(false);
    return response.text().then(function (html) {
      done(item);
      if (!mine(item)) return true;  // tapped on another roll: nothing to show here
      var type = response.headers.get("content-type") || "";
      if (actionOf(item) !== "taps") { reloadWhenDone = true; return true; }
      var row = document.getElementById("person-" + item.fields.person);
      var stillWaiting = queue().some(function (t) { return actionOf(t) === "taps" && t.fields.person === item.fields.person; });
      if (!row) { reloadWhenDone = true; return true; }  // a trial walk-in: the roll gains a row
      if (!stillWaiting && type.indexOf("text/html") === 0 && html.trim().indexOf("<li") === 0) {
        row.outerHTML = html;
        var swapped = document.getElementById("person-" + item.fields.person);
        var problem = swapped && swapped.querySelector("details[open] [aria-invalid]");
        if (problem) problem.focus();
      } else if (refused) {
        reloadWhenDone = true;  // a closed roll, or a person no longer on it: show the roll as it stands
      }
      return true;
    });
  }

  function refreshRoll() {
    // After "everyone present", a close or a trial walk-in: the roll as the server has it now. Fetched as
    // htmx (the service worker leaves those to the network, so never its offline copy) and put in place;
    // the listeners sit on #roll itself and stay.
    fetch(location.pathname, { credentials: "same-origin", cache: "no-store", headers: { "HX-Request": "true" } })
      .then(function (response) { if (!response.ok) throw new Error("not now"); return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("roll");
        if (!fresh) throw new Error("not the roll");
        roll.innerHTML = fresh.innerHTML;
        queue().filter(mine).forEach(showLocally);
        showPending();
        if (window.caches) caches.open("planner-pages-v1").then(function (c) { return c.add(location.pathname); }).catch(function () {});
      }).catch(function () { reloadWhenDone = true; });  // again after the next flush
  }

  function flush(retried) {
    if (sending) return;
    var next = queue().filter(mine)[0];
    if (!next) {
      showPending();
      // Another tab (the one signed in again) may have sent them: is this one signed in too?
      if (signedOut) refreshToken().catch(function () {});
      if (reloadWhenDone) { reloadWhenDone = false; refreshRoll(); }
      // Then what waits from another roll (the morning's, when the network came back on the afternoon's):
      // it leaves this tablet without anyone opening that roll again.
      next = queue().filter(function (item) { return !mine(item); })[0];
      if (!next) return;
    }
    sending = true;
    var ready = signedOut ? refreshToken() : Promise.resolve(true);
    ready.then(function (ok) {
      if (!ok) throw new Error("signed out");
      return send(next);
    }).then(function (response) {
      return answered(next, response).then(function (left) {
        sending = false;
        if (left) { showPending(); flush(false); return; }
        if (response.status === 401 || response.type === "opaqueredirect") { showSignIn(true); showPending(); return; }
        if (response.status === 403 && !retried) {
          // A CSRF refusal: the cookie behind this page's token is gone. New token, one more try now.
          refreshToken().then(function (ok) { if (ok) flush(true); else showPending(); })
            .catch(function () { showPending(); });
          return;
        }
        showPending();  // 503, a proxy's error page, ...: keep it, try again later
      });
    }).catch(function () { sending = false; showPending(); });
  }

  function enqueue(action, fields, extra) {
    fields.client_id = plannerTapId();
    fields.device_time = new Date().toISOString();
    var item = { session: session, action: action, fields: fields };
    if (extra) Object.keys(extra).forEach(function (k) { item[k] = extra[k]; });
    save(queue().concat([item]));
    showLocally(item);
    // The row shows the tap in the next frame; the counters, the banner and the sending wait until that
    // frame is on screen (bench/roll_browser.py, tap -> row).
    afterFrame(function () { showPending(); flush(false); });
    return item;
  }

  function afterFrame(work) {
    if (document.hidden || !window.requestAnimationFrame) { setTimeout(work, 0); return; }
    requestAnimationFrame(function () { setTimeout(work, 0); });
  }

  function fieldsOf(form, submitter) {
    var fields = {};
    new FormData(form, submitter || undefined).forEach(function (value, name) {
      if (name !== "_csrf_token" && name !== "default_time") fields[name] = value;
    });
    return fields;
  }

  function clock() {
    // The tablet's time of the tap, HH:MM: right even when the tap waits offline for an hour.
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  // "Everyone present" / "the rest absent": a message with the count and an undo, fixed at the bottom and
  // outside #roll, so a roll fetched again keeps it. The undo goes through the same queue, offline too.
  var notice = document.getElementById("bulk-done");
  var lastBulk = null;
  var hideTimer = 0;

  function say(text, bulk) {
    if (!notice) return;
    lastBulk = bulk;
    notice.querySelector(".text").textContent = text;
    notice.querySelector(".undo").hidden = !bulk;
    notice.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { notice.hidden = true; lastBulk = null; }, bulk ? 20000 : 4000);
  }

  function bulk(action) {
    var status = action === "everyone-present" ? "present" : "unexcused";
    var kind = action === "everyone-present" ? "present" : "absent";
    var people = [];
    roll.querySelectorAll("ul.roll > li.unmarked").forEach(function (row) { people.push(row.id.slice(7)); });
    if (!people.length) { say(notice.dataset.nobody, null); return; }
    var item = enqueue(action, {}, { people: people });
    say(notice.dataset[kind + (people.length === 1 ? "One" : "Many")].replace("{num}", people.length),
        { id: item.fields.client_id, people: people, status: status });
  }

  if (notice) notice.querySelector(".undo").addEventListener("click", function () {
    if (!lastBulk) return;
    enqueue("undo", { of: lastBulk.id }, { people: lastBulk.people, status: lastBulk.status });
    say(notice.dataset.undone, null);
  });

  // A finger's tap acts when the finger lifts: Chromium's click comes up to 40 ms later on a slow tablet
  // (bench/roll_browser.py, finger_to_click). A primary touch or pen that went down and came up on the same
  // button, moving at most SLOP px, within a short press, submits its form at once; the click that follows
  // at that spot is eaten, so the tap counts once. Mouse and keyboard keep their click. "Excused" keeps its
  // click too: it opens a panel and focuses the reason, and the click's own focusing would take that back.
  var SLOP = 10;
  var down = null;
  var eatClicks = [];  // {t, x, y}: taps handled on the finger whose click is still to come

  function fingerButton(event) {
    if (event.pointerType !== "touch" && event.pointerType !== "pen") return null;
    var button = event.target.closest && event.target.closest("button");
    if (!button || button.disabled || !roll.contains(button) || button.type !== "submit") return null;
    var form = button.form;
    if (!form || !form.requestSubmit || !(form.classList.contains("tap-form") || form.classList.contains("roll-action"))) return null;
    return button.value === "excused" ? null : button;
  }

  roll.addEventListener("pointerdown", function (event) {
    down = event.isPrimary && event.button === 0
      ? { button: fingerButton(event), x: event.clientX, y: event.clientY, t: event.timeStamp } : null;
  });
  roll.addEventListener("pointercancel", function () { down = null; });  // a scroll, not a tap
  roll.addEventListener("pointerup", function (event) {
    var start = down;
    down = null;
    if (!start || !start.button || !event.isPrimary || fingerButton(event) !== start.button) return;
    if (Math.abs(event.clientX - start.x) > SLOP || Math.abs(event.clientY - start.y) > SLOP) return;
    if (event.timeStamp - start.t > 500) return;  // a long press: the browser's, it may bring no click
    eatClicks.push({ t: event.timeStamp, x: event.clientX, y: event.clientY });
    start.button.form.requestSubmit(start.button);
  });
  document.addEventListener("click", function (event) {
    if (event.pointerType !== "touch" && event.pointerType !== "pen") return;  // mouse, keyboard: theirs
    // A tap's click comes within a few hundred ms, where the finger was; one that never came is forgotten.
    var now = event.timeStamp;
    eatClicks = eatClicks.filter(function (tap) { return now - tap.t < 1000; });
    for (var i = 0; i < eatClicks.length; i++) {
      var tap = eatClicks[i];
      if (Math.abs(event.clientX - tap.x) <= 2 * SLOP && Math.abs(event.clientY - tap.y) <= 2 * SLOP) {
        eatClicks.splice(i, 1);
        event.preventDefault();
        event.stopPropagation();
        return;
      }
    }
  }, true);

  roll.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.classList.contains("tap-form") ? "taps" : form.dataset.action;
    if (!action || !(form.classList.contains("tap-form") || form.classList.contains("roll-action"))) return;
    if (!form.checkValidity()) return;  // the browser says what is wrong (a number out of range)
    event.preventDefault();
    if (roll.dataset.tooEarly) return;  // a later session's roll: its buttons are off, the server refuses too
    if (action === "everyone-present" || action === "rest-absent") { bulk(action); return; }
    if (action === "undo") {
      // The undo of a bulk action sent before this script ran (a plain form): through the queue as well.
      var box = document.getElementById("bulk-undo");
      if (box) box.remove();
      enqueue("undo", fieldsOf(form, event.submitter));
      say(notice.dataset.undone, null);
      return;
    }
    var fields = fieldsOf(form, event.submitter);
    var details = form.closest("details");
    if (form.classList.contains("status-form")) {
      if (fields.status === "excused") {
        // An excused absence needs its reason: the person's panel opens on it, sent with "Save".
        details = form.parentNode.querySelector("details");
        details.open = true;
        details.querySelector("select[name=status]").value = "excused";
        details.querySelector("select[name=reason]").focus();
        return;
      }
      // The button's own time, the moment of the tap: the server takes it as such, not as a typed time it
      // would check against the session's hours (a late arrival marked after the session stays a mark).
      if (fields.status === "late") { fields.arrived_at = clock(); fields.default_time = "1"; }
      if (fields.status === "left_early") { fields.left_at = clock(); fields.default_time = "1"; }
    }
    if (details && (form.classList.contains("other-form") || action === "remarks")) details.open = false;
    enqueue(action, fields);
  });

  queue().filter(mine).forEach(showLocally);
  showPending();
  flush(false);
  window.addEventListener("online", function () { flush(false); });
  window.addEventListener("storage", function (event) { if (event.key === KEY) showPending(); });
  window.addEventListener("focus", function () { flush(false); });  // back from signing in in another tab
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(false); });
  setInterval(function () { flush(false); }, 5000);
  if (window.performance && performance.mark) performance.mark("roll-ready");  // bench/roll_browser.py: taps are handled
  // Keep this page for the moments without network (the service worker serves it then): once the page is
  // idle, so fetching it again never competes with the first taps.
  function keep() {
    if (window.caches) caches.open("planner-pages-v1").then(function (c) { return c.add(location.pathname); }).catch(function () {});
  }
  if (window.requestIdleCallback) requestIdleCallback(keep, { timeout: 3000 }); else setTimeout(keep, 1000);
})();
