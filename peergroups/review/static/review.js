// The review page: moves by drag and drop or keyboard, the server's verdict on each, undo and
// redo, comments, locks, re-optimisation and save. Plain DOM, no library, no network but
// this server.
"use strict";
(function () {
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const L = JSON.parse($("#labels").textContent);
  const csrf = $('meta[name="csrf-token"]').content;
  let state = JSON.parse($("#initial-state").textContent);
  let selected = null;
  let busy = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
  }

  function notice(text, kind) {
    const box = $("#notice");
    box.textContent = text;
    box.className = kind || "";
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(Object.assign({ version: state.version }, body || {})),
      credentials: "same-origin",
    });
    if (response.status === 409) {
      let message = L.review_stale;
      try {
        const answer = await response.json();
        if (answer.message) message = answer.message + " " + L.review_stale;
      } catch (error) {
        message = (await response.text()) || message;
      }
      notice(message, "bad");
      document.body.dataset.stale = "true";
      setTimeout(() => location.reload(), 2500);
      return null;
    }
    if (!response.ok) {
      notice(await response.text(), "bad");
      return null;
    }
    return response.json();
  }

  function groupOf(element) {
    const card = element.closest("article.group-card");
    return card ? card.dataset.group : null;
  }

  function nameOf(companyId) {
    const row = $(`tr.member[data-company="${CSS.escape(companyId)}"]`);
    return row ? `${row.dataset.name} (${companyId})` : companyId;
  }

  // --- applying the server's answer -----------------------------------------------------------

  function apply(answer) {
    const cards = $("#cards");
    for (const [gid, html] of Object.entries(answer.changed || {})) {
      const old = $(`article.group-card[data-group="${CSS.escape(gid)}"]`);
      if (html === null) {
        if (old) old.remove();
        continue;
      }
      const holder = document.createElement("div");
      holder.innerHTML = html.trim();
      const card = holder.firstElementChild;
      if (old) old.replaceWith(card);
      else cards.appendChild(card);
    }
    if (answer.unassigned_html != null) $("#unassigned-list").innerHTML = answer.unassigned_html;
    state = answer.state;
    for (const cid of answer.moved || []) {
      const row = $(`tr.member[data-company="${CSS.escape(cid)}"]`);
      if (row) row.classList.add("just-moved");
    }
    renderState();
    if (filtering()) filter();
    if (selected) select(selected, false);
  }

  function filtering() {
    const facilitator = $("#facilitator-filter");
    return Boolean($("#search").value.trim() || $("#theme-filter").value || (facilitator && facilitator.value));
  }

  function renderState() {
    $("#undo").disabled = !state.can_undo;
    $("#redo").disabled = !state.can_redo;
    const status = $("#status");
    const broken = state.violations;
    const terms = state.terms
      .map((t) => `<tr><td>${escape(t.name)}</td><td class="num">${t.plan}</td><td>→</td><td class="num">${t.now}</td><td class="num">${t.change > 0 ? "+" : ""}${t.change}</td></tr>`)
      .join("");
    status.innerHTML =
      `<span class="count">${escape(fill(L.review_moves_count, { n: state.moves }))}</span> · ` +
      `<span class="violations-count">${broken ? escape(L.review_violations) + ": " + broken : escape(L.review_ok)}</span>` +
      `<details><summary>${escape(L.review_terms)}</summary><table>${terms}</table></details>`;
    const target = $("#move-target");
    const ids = state.groups.map((g) => g.id).join(" ");
    if (target.dataset.groups === ids) return;
    target.dataset.groups = ids;
    const keep = target.value;
    const options = state.groups.map((g) => {
      const option = document.createElement("option");
      option.value = g.id;
      option.textContent = `${L.group} ${g.id}: ${g.theme}`;
      return option;
    });
    const tail = $$("option", target).filter((o) => o.value.startsWith("__"));
    target.replaceChildren(...options, ...tail);
    if ($$("option", target).some((o) => o.value === keep)) target.value = keep;
  }

  function escape(text) {
    const div = document.createElement("div");
    div.textContent = String(text);
    return div.innerHTML;
  }

  function describe(answer, companyId, target) {
    const moved = nameOf(companyId);
    const where = target === null ? L.review_to_unassigned : target;
    const group = target && answer.state.findings[target];
    const mine = (group || []).filter((f) => f.companies.includes(companyId));
    const steps = Object.entries(answer.step || {})
      .map(([name, v]) => `${name} ${v.before}→${v.after}`)
      .join(", ");
    if (mine.length) {
      notice(`${moved} → ${where}: ${mine.map((f) => f.message).join("; ")}${steps ? " · " + steps : ""}`, "bad");
    } else if (group && group.length) {
      notice(`${moved} → ${where}: ${group.map((f) => f.message).join("; ")}${steps ? " · " + steps : ""}`, "bad");
    } else {
      notice(`${moved} → ${where}: ${L.review_ok}${steps ? " · " + steps : ""}`, "good");
    }
  }

  // --- moves ------------------------------------------------------------------------------------

  async function move(companyId, from, to) {
    if (busy) return;
    const body = { company: companyId, from: from };
    if (to === "__new__") body.new = true;
    else body.to = to === "__out__" ? null : to;
    if (!body.new && body.to === from) return;
    busy = true;
    try {
      const answer = await post("/api/move", body);
      if (!answer) return;
      apply(answer);
      describe(answer, companyId, answer.target);
      document.dispatchEvent(new CustomEvent("verdict", { detail: answer }));
    } finally {
      busy = false;
    }
  }

  function locationOf(companyId) {
    const row = $(`tr.member[data-company="${CSS.escape(companyId)}"]`);
    return row ? groupOf(row) : null;
  }

  document.addEventListener("dragstart", (event) => {
    const row = event.target.closest && event.target.closest("tr.member[data-company]");
    if (!row) return;
    event.dataTransfer.setData("text/plain", row.dataset.company);
    event.dataTransfer.effectAllowed = "move";
  });
  function dropTarget(event) {
    return event.target.closest && event.target.closest("[data-drop]");
  }
  document.addEventListener("dragover", (event) => {
    const zone = dropTarget(event);
    if (!zone) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    $$(".drop-over").forEach((z) => z !== zone && z.classList.remove("drop-over"));
    zone.classList.add("drop-over");
  });
  document.addEventListener("dragleave", (event) => {
    const zone = dropTarget(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("drop-over");
  });
  document.addEventListener("drop", (event) => {
    const zone = dropTarget(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("drop-over");
    const companyId = event.dataTransfer.getData("text/plain");
    if (companyId) move(companyId, locationOf(companyId), zone.dataset.drop);
  });

  // --- keyboard: select a company, then "move to ..." --------------------------------------

  function select(companyId, focus) {
    $$("tr.member.selected").forEach((r) => r.classList.remove("selected"));
    selected = companyId;
    const row = companyId && $(`tr.member[data-company="${CSS.escape(companyId)}"]`);
    if (row) {
      row.classList.add("selected");
      row.setAttribute("aria-selected", "true");
      if (focus) $("#move-target").focus();
    }
    $("#selected").textContent = row ? nameOf(companyId) : $("#selected").dataset.empty;
    $("#move-button").disabled = !row;
    $("#comment-company").disabled = !row;
  }

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr.member[data-company]");
    if (row && !event.target.closest("button, input, summary, a")) select(row.dataset.company, false);
  });
  document.addEventListener("keydown", (event) => {
    const row = event.target.closest && event.target.closest("tr.member[data-company]");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(row.dataset.company, true);
      return;
    }
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (!typing && (event.ctrlKey || event.metaKey) && event.key === "z") {
      event.preventDefault();
      undo("undo");
    } else if (!typing && (event.ctrlKey || event.metaKey) && event.key === "y") {
      event.preventDefault();
      undo("redo");
    }
  });
  $("#move-button").addEventListener("click", () => {
    if (selected) move(selected, locationOf(selected), $("#move-target").value);
  });
  $("#move-target").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && selected) {
      event.preventDefault();
      move(selected, locationOf(selected), $("#move-target").value);
    }
  });

  // --- undo, redo, locks, comments ------------------------------------------------------------

  async function undo(step) {
    if (busy) return;
    busy = true;
    try {
      const answer = await post("/api/" + step);
      if (answer) {
        apply(answer);
        notice(`${L["review_" + step]}: ${answer.moved.join(", ")} · ${state.violations ? L.review_violations + ": " + state.violations : L.review_ok}`, state.violations ? "bad" : "good");
      }
    } finally {
      busy = false;
    }
  }
  $("#undo").addEventListener("click", () => undo("undo"));
  $("#redo").addEventListener("click", () => undo("redo"));

  document.addEventListener("change", async (event) => {
    if (!event.target.matches(".lock-box")) return;
    const box = event.target;
    const answer = await post("/api/lock", { group: box.dataset.group, locked: box.checked });
    if (answer) apply(answer);
    else box.checked = !box.checked;
  });

  let commentOn = null;
  function openComment(target) {
    commentOn = target;
    $("#comment-target").textContent = target.company ? nameOf(target.company) : `${L.group} ${target.group}`;
    $("#comment-text").value = "";
    $("#comment-dialog").showModal();
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.comment-group");
    if (button) openComment({ group: button.dataset.group });
  });
  $("#comment-company").addEventListener("click", () => selected && openComment({ company: selected }));
  $("#comment-dialog").addEventListener("close", async () => {
    if ($("#comment-dialog").returnValue !== "ok" || !commentOn) return;
    const answer = await post("/api/comment", Object.assign({ text: $("#comment-text").value }, commentOn));
    if (answer) apply(answer);
  });

  // --- filters ----------------------------------------------------------------------------------

  function filter() {
    const text = $("#search").value.trim().toLowerCase();
    const theme = $("#theme-filter").value;
    const facilitator = $("#facilitator-filter") ? $("#facilitator-filter").value : "";
    for (const card of $$("article.group-card")) {
      let hit = !text;
      for (const row of $$("tr.member", card)) {
        const match = text && `${row.dataset.name} ${row.dataset.company}`.toLowerCase().includes(text);
        row.classList.toggle("match", Boolean(match));
        hit = hit || match;
      }
      const shown = hit && (!theme || card.dataset.theme === theme) && (!facilitator || card.dataset.facilitator === facilitator);
      card.classList.toggle("hidden-by-filter", !shown);
    }
    for (const row of $$("#unassigned-list tr.member")) {
      const words = `${row.dataset.name} ${row.dataset.company}`.toLowerCase();
      row.classList.toggle("hidden-by-filter", Boolean(text) && !words.includes(text));
    }
  }
  $("#search").addEventListener("input", filter);
  $("#theme-filter").addEventListener("change", filter);
  if ($("#facilitator-filter")) $("#facilitator-filter").addEventListener("change", filter);

  // --- re-optimise and save ------------------------------------------------------------------

  const job = $("#job");
  async function poll() {
    const response = await fetch("/api/reoptimise", { credentials: "same-origin" });
    if (!response.ok) return;
    const status = await response.json();
    job.hidden = false;
    if (status.state === "running") {
      job.textContent = fill(L.review_running, { text: status.progress, seconds: status.seconds });
      setTimeout(poll, 500);
    } else if (status.state === "done") {
      const rows = status.moves.map((m) => `<li>${escape(m.company)}: ${escape(m.from || L.review_to_unassigned)} → ${escape(m.to || L.review_to_unassigned)}</li>`).join("");
      const terms = status.terms.map((t) => `${escape(t.name)} ${t.before}→${t.after}`).join(", ");
      job.innerHTML = `<p>${escape(fill(L.review_diff, { n: status.moves.length }))} ${terms}</p><ul class="diff">${rows}</ul>` +
        `<button type="button" id="accept" class="primary">${escape(L.review_accept)}</button> <button type="button" id="discard">${escape(L.review_discard)}</button>`;
      $("#accept").addEventListener("click", async () => {
        const answer = await post("/api/reoptimise/accept");
        job.hidden = true;
        if (answer) apply(answer);
      });
      $("#discard").addEventListener("click", async () => {
        await post("/api/reoptimise/discard");
        job.hidden = true;
      });
    } else if (status.state === "failed") {
      job.textContent = status.error;
    } else {
      job.hidden = true;
    }
  }
  if ($("#reoptimise")) {
    $("#reoptimise").addEventListener("click", async () => {
      const answer = await post("/api/reoptimise");
      if (answer) poll();
    });
  }
  if ($("#save")) {
    $("#save").addEventListener("click", async () => {
      const answer = await post("/api/save");
      if (answer) notice(fill(L.review_saved, { path: answer.path }), "good");
    });
  }

  renderState();
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "true";
  document.dispatchEvent(new CustomEvent("review-ready"));
})();
