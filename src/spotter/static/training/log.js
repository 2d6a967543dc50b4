/* The logging page: sets are logged on the device first, then sent.

   Every change is an operation in an IndexedDB outbox ("spotter-training"), keyed by
   what it changes ("set:<id>", "exercise:<id>", "complete:<workout>"): a set edited
   twice offline is sent once, with its last values, and a delete replaces its pending
   write. Ids are made here (crypto.randomUUID), and the server treats a repeated id as
   the same set, so an operation whose answer was lost can simply be sent again. The
   outbox is flushed in order whenever the page is online (and on the "online" event);
   the device's own view of the workout is kept in IndexedDB too, so a reload without
   signal (the page then comes from the service worker's cache) shows every set.

   Records: the server's answer to a set lists the records it set. Offline the page
   checks the set against the bests it was given (the same rules as
   spotter/training/formulas.py) and says so, to be confirmed once sent. */
(function () {
  "use strict";

  var DB_NAME = "spotter-training";
  var KG_PER_LB = 0.45359237;
  var EPS = 1e-6;
  var TYPES = ["working", "warm_up", "drop", "amrap", "failure"];
  var TYPE_LABELS = { working: "Working", warm_up: "Warm-up", drop: "Drop set", amrap: "AMRAP", failure: "To failure" };
  var TYPE_TAGS = { warm_up: "W", drop: "D", amrap: "A", failure: "F" };

  // --- IndexedDB ------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore("outbox", { keyPath: "key" });
          open.result.createObjectStore("workouts", { keyPath: "id" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function tx(store, mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var t = conn.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function allOps() {
    return tx("outbox", "readonly", function (s) { return s.getAll(); }).then(function (ops) {
      return (ops || []).sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  var counter = 0;
  function nextSeq() { counter += 1; return Date.now() * 1000 + (counter % 1000); }

  /* Put an operation; an operation with the same key keeps its place in the queue (a set
     is created before it is edited) and takes the newest request. */
  function queue(op) {
    return tx("outbox", "readwrite", function (s) {
      var get = s.get(op.key);
      get.onsuccess = function () {
        var old = get.result;
        op.seq = old ? old.seq : nextSeq();
        op.v = old ? old.v + 1 : 1;
        s.put(op);
      };
    });
  }
  function dropOp(op) {
    // Only if it was not replaced while it was in flight.
    return tx("outbox", "readwrite", function (s) {
      var get = s.get(op.key);
      get.onsuccess = function () { if (get.result && get.result.v === op.v) s.delete(op.key); };
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- the same arithmetic as spotter/training/formulas.py -------------------------------
  function e1rm(kg, reps, rpe) {
    if (!kg || kg <= 0 || !reps || reps < 1) return null;
    var r = reps + (rpe ? Math.max(0, 10 - rpe) : 0);
    if (r > 12) return null;
    return r <= 10 ? kg * 36 / (37 - r) : kg * (1 + r / 30);
  }
  function localRecords(bests, kg, reps, rpe) {
    var found = [];
    var load = kg || 0;
    var heavier = false;
    if (kg > 0 && reps && bests.load != null && kg > bests.load + EPS) {
      heavier = true;
      found.push("heaviest load");
    }
    var frontier = bests.frontier || [];
    if (reps > 0 && !heavier && frontier.length && !frontier.some(function (p) { return p[0] >= load - EPS && p[1] >= reps; })) {
      found.push("most reps at this load");
    }
    var est = e1rm(kg, reps, rpe);
    if (est != null && bests.e1rm != null && est > bests.e1rm + EPS) found.push("best estimated 1RM");
    var volume = kg > 0 && reps > 0 ? kg * reps : null;
    if (volume != null && bests.volume != null && volume > bests.volume + EPS) found.push("best set volume");
    return found;
  }
  function takeIntoBests(bests, kg, reps, rpe) {
    var load = kg || 0;
    if (kg > 0 && reps) bests.load = Math.max(bests.load || 0, kg);
    var est = e1rm(kg, reps, rpe);
    if (est != null) bests.e1rm = Math.max(bests.e1rm || 0, est);
    if (kg > 0 && reps > 0) bests.volume = Math.max(bests.volume || 0, kg * reps);
    if (reps > 0) {
      bests.frontier = (bests.frontier || []).filter(function (p) { return !(p[0] <= load && p[1] <= reps); });
      bests.frontier.push([load, reps]);
    }
  }

  function number(value) {
    if (value === "" || value === null || value === undefined) return null;
    var n = Number(value);
    return isFinite(n) ? n : NaN;
  }
  function trim(n) { return String(Math.round(n * 100) / 100); }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("workoutLog", function () {
      var boot = JSON.parse(document.getElementById("log-state").textContent);
      var w = boot.workout;
      return {
        workoutId: w.id,
        base: "/train/" + w.id,
        doneUrl: boot.done_url,
        csrf: boot.csrf,
        units: boot.units,
        defaultRest: boot.default_rest,
        startedAt: Date.parse(w.started_at),
        finished: w.status === "completed",
        entries: [],
        rpes: [6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10],
        online: navigator.onLine,
        pending: 0,
        syncing: false,
        problem: "",
        finishNote: "",
        finish: { rpe: "", minutes: "", notes: w.notes || "" },
        search: { q: "", results: [] },
        swap: { entryId: null, options: [], busy: false },
        rest: { running: false, left: 0, total: 0, until: 0, timer: null },
        toasts: [],
        now: Date.now(),
        retry: null,

        init: function () {
          var self = this;
          this.entries = w.entries.map(function (e) { return self.fromServer(e); });
          this.finish.minutes = String(Math.max(1, Math.round((Date.now() - this.startedAt) / 60000)));
          window.addEventListener("online", function () { self.online = true; self.sync(); });
          window.addEventListener("offline", function () { self.online = false; });
          setInterval(function () { self.now = Date.now(); }, 30000);
          if ("serviceWorker" in navigator) {
            navigator.serviceWorker.register("/train/sw.js", { scope: "/train/" })
              .then(function () { return navigator.serviceWorker.ready; })
              .then(function (registration) {
                if (registration.active && navigator.onLine) registration.active.postMessage({ keep: window.location.pathname });
              })
              .catch(function () { /* no offline shell: logging still works online */ });
          }
          this.restore().then(function () { return self.countPending(); }).then(function () { self.sync(); });
        },

        // --- state ---------------------------------------------------------------------
        fromServer: function (e) {
          var self = this;
          var entry = {
            id: e.id,
            exercise_id: e.exercise_id,
            exercise_name: e.exercise_name || "Exercise",
            swapped_from_name: e.swapped_from_name,
            group_label: e.group_label,
            rest_seconds: e.rest_seconds,
            target: e.target || {},
            bests: e.bests || { load: null, e1rm: null, volume: null, frontier: [] },
            rows: (e.sets || []).map(function (s) { return self.rowFromSet(s); }),
          };
          // Timed exercises (a plank) log seconds instead of reps.
          entry.timed = !!(entry.target.duration_seconds || (e.sets || []).some(function (s) { return s.duration_seconds && !s.reps; }));
          var planned = (entry.target.sets || 0) - entry.rows.length;
          for (var i = 0; i < planned; i++) entry.rows.push(this.plannedRow(entry));
          if (!entry.rows.length) entry.rows.push(this.plannedRow(entry));
          return entry;
        },
        rowFromSet: function (s) {
          return {
            key: s.id, id: s.id, logged: true, dirty: false, state: "synced", message: "",
            set_type: s.set_type, status: s.status, revision: s.revision,
            load: s.load_kg != null ? this.shown(s.load_kg) : "",
            reps: s.reps != null ? String(s.reps) : "",
            seconds: s.duration_seconds != null ? String(s.duration_seconds) : "",
            rpe: s.rpe != null ? String(s.rpe) : "",
            distance_m: s.distance_m,
            placeholderLoad: "", placeholderReps: "", placeholderSeconds: "",
          };
        },
        plannedRow: function (entry) {
          var t = entry.target || {};
          var last = entry.rows.length ? entry.rows[entry.rows.length - 1] : null;
          var load = t.load_kg != null ? this.shown(t.load_kg) : "";
          var reps = t.reps_min != null ? String(t.reps_min) : "";
          var seconds = t.duration_seconds ? String(t.duration_seconds) : "";
          return {
            key: uuid(), id: null, logged: false, dirty: false, state: "new", message: "",
            set_type: t.set_type === "warm_up" ? "warm_up" : "working", status: "completed", revision: null,
            load: last && last.load !== "" ? last.load : load,
            reps: last && last.reps !== "" ? last.reps : reps,
            seconds: last && last.seconds !== "" ? last.seconds : seconds,
            rpe: t.rpe != null ? String(t.rpe) : "",
            distance_m: t.distance_m || null,
            placeholderLoad: load, placeholderReps: reps, placeholderSeconds: seconds,
          };
        },
        save: function () {
          var snapshot = JSON.parse(JSON.stringify({ id: this.workoutId, entries: this.entries, finish: this.finish, finished: this.finished }));
          return tx("workouts", "readwrite", function (s) { s.put(snapshot); }).catch(function () {});
        },
        restore: function () {
          // The device's view wins while some of its changes are still waiting to be sent.
          var self = this;
          return Promise.all([
            tx("workouts", "readonly", function (s) { return s.get(self.workoutId); }),
            allOps(),
          ]).then(function (found) {
            var snapshot = found[0];
            var mine = found[1].filter(function (op) { return op.workout === self.workoutId; });
            if (snapshot && mine.length) {
              self.entries = snapshot.entries;
              self.finish = snapshot.finish || self.finish;
              self.finished = snapshot.finished || self.finished;
            } else {
              self.save();
            }
          }).catch(function () { self.problem = "This browser cannot keep sets offline (storage is blocked)."; });
        },
        countPending: function () {
          var self = this;
          return allOps().then(function (ops) { self.pending = ops.length; }).catch(function () {});
        },

        // --- units and labels --------------------------------------------------------------
        shown: function (kg) { return trim(this.units === "lb" ? kg / KG_PER_LB : kg); },
        toKg: function (value) { return this.units === "lb" ? Math.round(value * KG_PER_LB * 1000) / 1000 : value; },
        formatClock: function (seconds) {
          var s = Math.max(0, Math.round(seconds));
          return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
        },
        get elapsedLabel() {
          var minutes = Math.max(0, Math.round((this.now - this.startedAt) / 60000));
          return minutes < 1 ? "Started just now" : "Started " + minutes + " min ago";
        },
        get syncClass() {
          if (this.problem) return "sync error";
          if (this.syncing) return "sync busy";
          return this.pending ? "sync waiting" : "sync ok";
        },
        get syncLabel() {
          if (this.syncing) return "Syncing…";
          if (this.pending) {
            var n = this.pending + (this.pending === 1 ? " change" : " changes");
            return this.online ? n + " to send" : "Offline · " + n + " saved on this device";
          }
          return this.online ? "All saved" : "Offline · all saved";
        },
        get restProgress() { return this.rest.total ? Math.round(100 * this.rest.left / this.rest.total) : 0; },
        targetText: function (entry) {
          var t = entry.target || {};
          var bits = [];
          if (t.sets) bits.push(t.reps_min != null ? t.sets + " × " + t.reps_min + (t.reps_max && t.reps_max !== t.reps_min ? "–" + t.reps_max : "") : t.sets + " sets");
          if (t.load_kg != null) bits.push((t.load_from_1rm_kg ? "≈ " : "") + this.shown(t.load_kg) + " " + this.units);
          if (t.percent_1rm != null) bits.push(t.percent_1rm + "% 1RM");
          if (t.rpe != null) bits.push("RPE " + t.rpe);
          if (t.rir != null) bits.push(t.rir + " RIR");
          if (t.duration_seconds) bits.push(t.duration_seconds + " s");
          if (t.tempo) bits.push("tempo " + t.tempo);
          return bits.join(" · ");
        },
        typeLabel: function (row) { return row.status === "skipped" ? "Skipped" : TYPE_LABELS[row.set_type]; },
        typeTag: function (entry, row) {
          if (row.status === "skipped") return "–";
          if (TYPE_TAGS[row.set_type]) return TYPE_TAGS[row.set_type];
          var n = 0;
          for (var i = 0; i < entry.rows.length; i++) {
            if (entry.rows[i].set_type !== "warm_up") n += 1;
            if (entry.rows[i] === row) break;
          }
          return String(n);
        },
        stateTitle: function (row) {
          return { synced: "saved", pending: "saved on this device, waiting to be sent", error: row.message || "not saved" }[row.state] || "";
        },
        stateMark: function (row) { return row.state === "synced" ? "✔" : (row.state === "error" ? "!" : "…"); },
        canSwap: function (entry) { return !entry.rows.some(function (r) { return r.logged; }); },

        // --- logging -----------------------------------------------------------------------
        edited: function (row) { if (row.logged) row.dirty = true; },
        cycleType: function (entry, row) {
          var i = TYPES.indexOf(row.set_type);
          row.set_type = TYPES[(i + 1) % TYPES.length];
          if (row.logged) this.send(entry, row);
        },
        body: function (entry, row, position) {
          var load = number(row.load), rpe = number(row.rpe);
          var reps = entry.timed ? null : number(row.reps);
          var seconds = entry.timed ? number(row.seconds) : null;
          return {
            logged_exercise_id: entry.id,
            position: position,
            set_type: row.set_type,
            status: row.status,
            reps: reps,
            load_kg: load === null ? null : this.toKg(load),
            rpe: rpe,
            duration_seconds: seconds,
            distance_m: row.distance_m || null,
            performed_at: new Date().toISOString(),
          };
        },
        logSet: function (entry, row) {
          var load = number(row.load);
          var reps = entry.timed ? null : number(row.reps);
          var seconds = entry.timed ? number(row.seconds) : null;
          if (isNaN(load) || (load !== null && load < 0)) { row.message = "The load must be a number of " + this.units + ", 0 or more."; return; }
          if (isNaN(reps) || (reps !== null && (reps < 0 || Math.round(reps) !== reps))) { row.message = "Reps must be a whole number, 0 or more."; return; }
          if (isNaN(seconds) || (seconds !== null && (seconds < 0 || Math.round(seconds) !== seconds))) { row.message = "Seconds must be a whole number."; return; }
          if (!reps && !seconds && !row.distance_m) { row.message = entry.timed ? "How many seconds?" : "How many reps?"; return; }
          row.message = "";
          var first = !row.logged;
          if (first && row.set_type !== "warm_up") {
            var kg = load === null ? null : this.toKg(load);
            if (!navigator.onLine) {
              var found = localRecords(entry.bests, kg, reps, number(row.rpe));
              if (found.length) this.toast("New record: " + found.join(", ") + " (confirmed once sent)", "record");
            }
            takeIntoBests(entry.bests, kg, reps, number(row.rpe));
          }
          this.send(entry, row);
          if (first) {
            this.startRest(entry);
            // A free-style exercise gets its next row ready; a prescribed one has its own.
            var open = entry.rows.some(function (r) { return !r.logged; });
            if (!open && !entry.target.sets) entry.rows.push(this.plannedRow(entry));
          }
        },
        send: function (entry, row) {
          if (!row.id) row.id = uuid();
          row.logged = true;
          row.dirty = false;
          row.state = "pending";
          var position = entry.rows.indexOf(row) + 1;
          var body = this.body(entry, row, position);
          if (row.revision) body.expected_revision = row.revision;
          var self = this;
          queue({ key: "set:" + row.id, workout: this.workoutId, method: "POST", url: this.base + "/sets/" + row.id, body: body, entry: entry.id, row: row.key })
            .then(function () { self.save(); return self.countPending(); })
            .then(function () { self.sync(); });
        },
        addSet: function (entry) { entry.rows.push(this.plannedRow(entry)); this.save(); },
        removeSet: function (entry, row) {
          entry.rows.splice(entry.rows.indexOf(row), 1);
          var self = this;
          if (row.id) {
            queue({ key: "set:" + row.id, workout: this.workoutId, method: "POST", url: this.base + "/sets/" + row.id + "/delete", body: null, entry: entry.id, row: row.key })
              .then(function () { self.save(); return self.countPending(); })
              .then(function () { self.sync(); });
          } else {
            this.save();
          }
        },

        // --- exercises -----------------------------------------------------------------
        findExercises: function () {
          var self = this;
          var q = this.search.q.trim();
          if (!q) { this.search.results = []; return; }
          fetch("/train/exercise-search?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : []; })
            .then(function (items) { self.search.results = items; })
            .catch(function () { self.search.results = []; });
        },
        addExercise: function (option) {
          var id = uuid();
          var entry = this.fromServer({ id: id, exercise_id: option.id, exercise_name: option.name, sets: [], target: {} });
          this.entries.push(entry);
          this.search.q = "";
          this.search.results = [];
          var self = this;
          queue({ key: "exercise:" + id, workout: this.workoutId, method: "POST", url: this.base + "/exercises", body: { id: id, exercise_id: option.id } })
            .then(function () { self.save(); return self.countPending(); })
            .then(function () { self.sync(); });
        },
        openSwap: function (entry) {
          var self = this;
          this.swap = { entryId: entry.id, options: [], busy: true };
          this.flush().then(function () {
            return fetch(self.base + "/exercises/" + entry.id + "/substitutes", { headers: { Accept: "application/json" }, credentials: "same-origin" });
          }).then(function (r) { return r.ok ? r.json() : []; })
            .then(function (items) { self.swap.options = items; self.swap.busy = false; })
            .catch(function () { self.swap.busy = false; });
        },
        doSwap: function (entry, option) {
          var self = this;
          this.request("POST", this.base + "/exercises/" + entry.id + "/swap", { exercise_id: option.id }).then(function (r) {
            if (!r.ok) return r.json().then(function (p) { self.problem = p.detail || "The swap did not go through."; });
            return r.json().then(function (e) {
              entry.exercise_id = e.exercise_id;
              entry.exercise_name = e.exercise_name;
              entry.swapped_from_name = e.swapped_from_name;
              self.swap.entryId = null;
              self.save();
            });
          }).catch(function () { self.problem = "Swapping needs a connection."; });
        },

        // --- finishing ---------------------------------------------------------------------
        finishWorkout: function () {
          var minutes = number(this.finish.minutes);
          var body = { session_rpe: number(this.finish.rpe), notes: this.finish.notes || null };
          if (minutes && minutes > 0) body.duration_seconds = Math.min(86400, Math.round(minutes * 60));
          if (!this.finished) body.completed_at = new Date().toISOString();
          this.finished = true;
          this.stopRest();
          var self = this;
          queue({ key: "complete:" + this.workoutId, workout: this.workoutId, method: "POST", url: this.base + "/complete", body: body, done: true })
            .then(function () { self.save(); return self.countPending(); })
            .then(function () {
              self.finishNote = navigator.onLine ? "Sending…" : "Finished. It is saved on this device and will be sent when you are back online.";
              self.sync();
            });
        },

        // --- rest timer --------------------------------------------------------------------
        startRest: function (entry) {
          var seconds = entry.rest_seconds || this.defaultRest;
          this.rest.entry = entry;
          this.rest.total = seconds;
          this.rest.until = Date.now() + seconds * 1000;
          this.rest.left = seconds;
          this.rest.running = true;
          var self = this;
          clearInterval(this.rest.timer);
          this.rest.timer = setInterval(function () { self.tick(); }, 250);
        },
        tick: function () {
          this.rest.left = Math.max(0, (this.rest.until - Date.now()) / 1000);
          if (this.rest.left <= 0) {
            this.stopRest();
            if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
            this.beep();
            this.toast("Rest over: next set", "info");
          }
        },
        adjustRest: function (delta) {
          this.rest.until = Math.max(Date.now(), this.rest.until + delta * 1000);
          this.rest.total = Math.max(15, this.rest.total + delta);
          if (this.rest.entry) this.rest.entry.rest_seconds = this.rest.total;  // remembered for this exercise
          this.tick();
        },
        stopRest: function () { clearInterval(this.rest.timer); this.rest.running = false; },
        beep: function () {
          try {
            var Ctx = window.AudioContext || window.webkitAudioContext;
            var ctx = new Ctx();
            var osc = ctx.createOscillator();
            osc.frequency.value = 880;
            osc.connect(ctx.destination);
            osc.start();
            osc.stop(ctx.currentTime + 0.25);
          } catch (e) { /* no sound: the vibration and the message remain */ }
        },
        toast: function (text, kind) {
          var item = { key: uuid(), text: text, kind: kind || "info" };
          this.toasts.push(item);
          var self = this;
          setTimeout(function () { self.toasts.splice(self.toasts.indexOf(item), 1); }, 6000);
        },

        // --- sending ---------------------------------------------------------------------
        request: function (method, url, body) {
          return fetch(url, {
            method: method,
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": this.csrf },
            body: body === null || body === undefined ? undefined : JSON.stringify(body),
          });
        },
        sync: function () {
          var self = this;
          return this.flush().then(function () { return self.countPending(); });
        },
        flush: function () {
          if (this.syncing) return this.syncing;
          if (!navigator.onLine) { this.online = false; return Promise.resolve(); }
          var self = this;
          this.online = true;
          clearTimeout(this.retry);
          this.syncing = allOps().then(function (ops) {
            return ops.reduce(function (chain, op) {
              return chain.then(function (go) { return go ? self.sendOp(op) : false; });
            }, Promise.resolve(true));
          }).then(function (allSent) {
            if (!allSent) self.retry = setTimeout(function () { self.sync(); }, 8000);
          }).catch(function () {
            self.retry = setTimeout(function () { self.sync(); }, 8000);
          }).then(function () {
            self.syncing = false;
            self.save();
            return self.countPending();
          });
          return this.syncing;
        },
        findRow: function (op) {
          var entry = this.entries.find(function (e) { return e.id === op.entry; });
          var row = entry && entry.rows.find(function (r) { return r.key === op.row; });
          return { entry: entry, row: row };
        },
        /* Send one operation; resolves true to go on with the next one, false to stop
           (no connection, the server busy or the session gone: they stay queued). */
        sendOp: function (op) {
          var self = this;
          return this.request(op.method, op.url, op.body).then(function (r) {
            if (r.status === 401 || r.status === 403) {
              self.problem = r.status === 401 ? "Your session ended: log in again and your sets will be sent."
                : "This page is out of date: reload it to send your sets.";
              return false;
            }
            if (r.status >= 500 || r.status === 429) return false;
            var found = self.findRow(op);
            var answer = r.status === 204 ? Promise.resolve(null) : r.json().catch(function () { return null; });
            return answer.then(function (data) {
              if (r.ok) self.accepted(op, found, data);
              else self.refused(op, found, r.status, data || {});
              return dropOp(op).then(function () { return true; });
            });
          }, function () { self.online = navigator.onLine; return false; });
        },
        accepted: function (op, found, data) {
          if (op.key.indexOf("set:") === 0 && data && data.set && found.row) {
            found.row.state = "synced";
            found.row.revision = data.set.revision;
            found.row.message = "";
            var s = data.set;
            takeIntoBests(found.entry.bests, s.load_kg, s.set_type === "warm_up" ? null : s.reps, s.rpe);
            var self = this;
            (data.records || []).forEach(function (rec) {
              self.toast("New record! " + rec.label + ": " + self.recordValue(rec), "record");
            });
          }
          if (op.done) {
            var self2 = this;
            this.finishNote = "Saved.";
            setTimeout(function () { window.location.href = self2.doneUrl + "?finished=1"; }, 600);
          }
        },
        refused: function (op, found, status, problem) {
          var message = problem.detail || "Not saved (" + status + ").";
          if (problem.code === "set_changed" && problem.current && found.row) {
            var fresh = this.rowFromSet(problem.current);
            fresh.key = found.row.key;
            found.entry.rows.splice(found.entry.rows.indexOf(found.row), 1, fresh);
            this.toast("This set was changed on another device; its newest version is shown.", "info");
            return;
          }
          if (found.row) { found.row.state = "error"; found.row.message = message; }
          else this.problem = message;
          if (op.done) this.finished = false;
        },
        recordValue: function (rec) {
          if (rec.kind === "reps") return rec.reps + " reps at " + (rec.load_kg ? this.shown(rec.load_kg) + " " + this.units : "bodyweight");
          return this.shown(rec.value) + " " + this.units;
        },
      };
    });
  });
})();
