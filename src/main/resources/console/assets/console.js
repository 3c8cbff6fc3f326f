// The evtctl console: plain JavaScript over evtctl serve's /api, charts by uPlot (from its WebJar).
"use strict";
(function () {
  const token = document.querySelector('meta[name="evtctl-token"]').content;
  const $ = (id) => document.getElementById(id);
  const COLORS = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#912b88", "#28a197"];

  function showError(text) { $("error").textContent = text || ""; }

  async function api(path, options) {
    const init = Object.assign({ headers: {} }, options || {});
    if (init.method && init.method !== "GET") {
      init.headers["X-Evtctl-Token"] = token;
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let body;
    try { body = JSON.parse(text); } catch (e) { body = { error: text }; }
    if (!response.ok) {
      throw new Error((body && body.error) || ("HTTP " + response.status));
    }
    return body;
  }

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(typeof c === "string" ? document.createTextNode(c) : c));
    return node;
  }

  function json(value) { return el("pre", { text: JSON.stringify(value, null, 2) }); }

  function queueLink(name) { return el("a", { href: "#queue/" + encodeURIComponent(name), "data-queue": name, text: name }); }

  // ---- views ----
  function show(view) {
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
    document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("current", a.id === "nav-" + view));
  }

  async function route() {
    showError("");
    const hash = decodeURIComponent(location.hash.replace(/^#/, "")) || "queues";
    try {
      if (hash.startsWith("queue/")) {
        show("queue");
        await openQueue(hash.substring("queue/".length));
      } else if (hash === "events" || hash === "trace") {
        show(hash);
      } else {
        show("queues");
        await loadQueues();
      }
    } catch (e) { showError(e.message); }
  }

  // ---- queues ----
  let queues = [];
  async function loadQueues() {
    queues = await api("/api/queues");
    const body = $("queues-table").querySelector("tbody");
    body.replaceChildren();
    queues.forEach((q) => {
      const links = [];
      if (q.deadLetterQueue) { links.push("DLQ: ", queueLink(q.deadLetterQueue)); }
      if (q.sources.length) {
        links.push("DLQ of: ");
        q.sources.forEach((s, i) => { if (i) links.push(", "); links.push(queueLink(s)); });
      }
      body.appendChild(el("tr", { "data-queue": q.name }, [
        el("td", {}, [queueLink(q.name)]),
        el("td", { class: "n visible", text: String(q.visible) }),
        el("td", { class: "n", text: String(q.inFlight) }),
        el("td", { class: "n", text: String(q.delayed) }),
        el("td", {}, links),
      ]));
    });
  }

  // ---- depth over time: server-sent events, sampled by evtctl ----
  const samples = [];
  let depthPlot = null, ratePlot = null, plotted = "";
  function width() { return Math.max(260, $("view-queues").clientWidth - 10); }

  function redraw() {
    const names = Array.from(new Set(samples.flatMap((s) => Object.keys(s.queues)))).sort();
    const times = samples.map((s) => s.time / 1000);
    const depth = names.map((n) => samples.map((s) => (s.queues[n] ? s.queues[n][0] : null)));
    const rate = names.map((n, i) => depth[i].map((v, j) =>
      j === 0 || v === null || depth[i][j - 1] === null ? null : (v - depth[i][j - 1]) / Math.max(1e-3, times[j] - times[j - 1])));
    const key = names.join("\n");
    if (key !== plotted) {
      plotted = key;
      [depthPlot, ratePlot].forEach((p) => p && p.destroy());
      const series = [{}].concat(names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 2 })));
      depthPlot = new uPlot({ width: width(), height: 240, series: series, scales: { x: { time: true } } }, [times].concat(depth), $("depth-chart"));
      ratePlot = new uPlot({ width: width(), height: 200, series: series, scales: { x: { time: true } } }, [times].concat(rate), $("rate-chart"));
    } else {
      depthPlot.setData([times].concat(depth));
      ratePlot.setData([times].concat(rate));
    }
    const last = samples[samples.length - 1];
    const total = Object.values(last.queues).reduce((sum, d) => sum + d[0], 0);
    $("depth-chart").dataset.samples = String(samples.length);
    $("depth-chart").dataset.lastTotal = String(total);
  }

  function listen() {
    const source = new EventSource("/api/depth");
    source.addEventListener("depth", (event) => {
      samples.push(JSON.parse(event.data));
      while (samples.length > 600) samples.shift();
      redraw();
      // keep the table's counts current while it is shown
      const last = samples[samples.length - 1];
      document.querySelectorAll("#queues-table tbody tr").forEach((row) => {
        const d = last.queues[row.dataset.queue];
        if (d) row.querySelector(".visible").textContent = String(d[0]);
      });
    });
  }
  window.addEventListener("resize", () => {
    [depthPlot, ratePlot].forEach((p, i) => p && p.setSize({ width: width(), height: i ? 200 : 240 }));
  });

  // ---- one queue: peek, redrive, purge ----
  let current = null;
  async function openQueue(name) {
    current = name;
    $("queue-name").textContent = name;
    $("peek-list").replaceChildren();
    ["dry-run-result", "redrive-result", "purge-result"].forEach((id) => $(id).replaceChildren());
    ["redrive-confirm", "purge-confirm"].forEach((id) => { $(id).value = ""; });
    $("redrive").disabled = true;
    $("purge").disabled = true;
    if (!queues.length) queues = await api("/api/queues");
    const q = queues.find((x) => x.name === name) || { sources: [], deadLetterQueue: null };
    const links = [];
    if (q.deadLetterQueue) links.push("Its dead-letter queue: ", queueLink(q.deadLetterQueue));
    if (q.sources.length) { links.push("Dead-letter queue of: "); q.sources.forEach((s, i) => { if (i) links.push(", "); links.push(queueLink(s)); }); }
    $("queue-links").replaceChildren(...links);
    $("dlq-tools").hidden = q.sources.length === 0;
  }

  async function peek() {
    const answer = await api("/api/queues/" + encodeURIComponent(current) + "/messages?max=20");
    const list = $("peek-list");
    list.replaceChildren(el("p", { text: answer.messages.length + " message(s)" + (answer.oldest ? ", oldest sent " + answer.oldest : "") }));
    answer.messages.forEach((m) => {
      list.appendChild(el("div", { class: "message", "data-message-id": m.messageId }, [
        el("div", { text: m.messageId + " · sent " + (m.sent || "?") + " · received " + m.receives + " time(s) before" }),
        m.reason ? el("div", { class: "reason", text: "reason: " + m.reason }) : el("span"),
        json(m.body),
      ]));
    });
  }

  function filters() { const f = $("redrive-filter").value.trim(); return f ? [f] : []; }

  async function dryRun() {
    const answer = await api("/api/queues/" + encodeURIComponent(current) + "/redrive",
      { method: "POST", body: JSON.stringify({ dryRun: true, filter: filters() }) });
    const out = $("dry-run-result");
    out.replaceChildren(el("p", { id: "dry-run-summary", text: answer.picked + " of " + answer.received + " message(s) would move to " + answer.to }));
    answer.wouldMove.forEach((m) => out.appendChild(el("div", { class: "message" }, [el("div", { text: m.messageId }), json(m.body)])));
  }

  async function redrive() {
    const answer = await api("/api/queues/" + encodeURIComponent(current) + "/redrive",
      { method: "POST", body: JSON.stringify({ filter: filters(), confirm: $("redrive-confirm").value }) });
    $("redrive-result").replaceChildren(el("p", { id: "redrive-summary", text: answer.moved + " message(s) moved to " + answer.to + (answer.failed ? ", " + answer.failed + " failed" : "") }));
  }

  async function purge() {
    const answer = await api("/api/queues/" + encodeURIComponent(current) + "/purge",
      { method: "POST", body: JSON.stringify({ confirm: $("purge-confirm").value }) });
    $("purge-result").replaceChildren(el("p", { id: "purge-summary", text: "purged " + answer.purged }));
  }

  // ---- events and trace ----
  async function findEvents(event) {
    event.preventDefault();
    const params = new URLSearchParams({ by: $("events-by").value, value: $("events-value").value, pipeline: $("events-pipeline").value });
    if ($("events-table").value) params.set("table", $("events-table").value);
    const found = await api("/api/events?" + params);
    const out = $("events-result");
    out.replaceChildren(el("p", { id: "events-count", text: found.length + " event(s)" }));
    found.forEach((e) => out.appendChild(el("div", { class: "message event" }, [el("div", { text: (e.time || "") + " " + (e.name || "") }), json(e.item)])));
  }

  async function trace(event) {
    event.preventDefault();
    const params = new URLSearchParams({ id: $("trace-id").value, pipeline: $("trace-pipeline").value });
    if ($("trace-queue").value) params.set("queue", $("trace-queue").value);
    if ($("trace-table").value) params.set("table", $("trace-table").value);
    const answer = await api("/api/trace?" + params);
    const out = $("trace-result");
    out.replaceChildren(el("p", { id: "trace-summary", text: answer.found ? answer.events.length + " event(s)" : "known nowhere" }));
    answer.events.forEach((e) => {
      const rows = e.steps.map((s) => el("tr", {}, [s.time || "", s.source || "", s.step || "", s.reason || s.detail || ""].map((t) => el("td", { text: String(t) }))));
      out.appendChild(el("div", { class: "message" }, [
        el("h4", { text: (e.event || e.key || "") + ": " + e.verdict }),
        el("div", { class: "scroll" }, [el("table", {}, [el("thead", {}, [el("tr", {}, ["time", "source", "step", "detail"].map((h) => el("th", { text: h })))]), el("tbody", {}, rows)])]),
      ]));
    });
    answer.notes.forEach((n) => out.appendChild(el("p", { class: "hint", text: n })));
  }

  function guarded(f) { return (e) => f(e).catch((x) => showError(x.message)); }
  $("peek").addEventListener("click", guarded(peek));
  $("dry-run").addEventListener("click", guarded(dryRun));
  $("redrive").addEventListener("click", guarded(redrive));
  $("purge").addEventListener("click", guarded(purge));
  $("redrive-confirm").addEventListener("input", () => { $("redrive").disabled = $("redrive-confirm").value !== current; });
  $("purge-confirm").addEventListener("input", () => { $("purge").disabled = $("purge-confirm").value !== current; });
  $("events-form").addEventListener("submit", guarded(findEvents));
  $("trace-form").addEventListener("submit", guarded(trace));
  window.addEventListener("hashchange", route);
  listen();
  route();
})();
