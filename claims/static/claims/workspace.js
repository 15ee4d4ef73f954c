/* The annotation workspace: select a span, press a key, type the correction, Enter.
 *
 * Plain JavaScript, no build step. Everything the page shows that came from people (article
 * text, notes, corrections, source titles) is put in with textContent, never as HTML.
 * Offsets sent to the server are code points into the stored article text (what Python's
 * str indexes); the DOM counts UTF-16 units, so every offset is converted at the boundary.
 */
(() => {
  "use strict";

  const data = JSON.parse(document.getElementById("fc-workspace-data").textContent);
  const root = document.querySelector("[data-article-text]");
  const text = root.textContent; // exactly the stored article text: wrappers add no text
  const form = document.querySelector("[data-tag-form]");
  const card = document.querySelector("[data-annotation-card]");
  const messageBox = document.querySelector("[data-message]");
  const csrfToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;

  const TYPE_COLOURS = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
    "#7b4173"];
  const REVIEWER_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#666666"];

  // ---- code points <-> UTF-16 -------------------------------------------------------------
  const cpToU16 = [0];
  for (let i = 0; i < text.length;) {
    const code = text.codePointAt(i);
    i += code > 0xffff ? 2 : 1;
    cpToU16.push(i);
  }
  const u16ToCp = new Map(cpToU16.map((u16, cp) => [u16, cp]));

  // ---- state -------------------------------------------------------------------------------
  const claims = data.claims.map((c) => ({ ...c, u16start: cpToU16[c.start], u16end: cpToU16[c.end] }));
  const claimById = new Map(claims.map((c) => [c.id, c]));
  const claimEls = new Map();
  root.querySelectorAll("[data-claim-id]").forEach((el) => claimEls.set(Number(el.dataset.claimId), el));
  const annotations = new Map(data.annotations.map((a) => [a.id, a]));
  // "annotation:5" -> the ETag of the version last read (from the page, then from responses)
  const etags = new Map(data.annotations.filter((a) => a.etag).map((a) => [`annotation:${a.id}`, a.etag]));
  const verdicts = data.verdicts; // everyone's the reader may see
  const typeIndex = new Map(data.error_types.map((t, i) => [t.slug, i]));
  const reviewers = [...new Set(data.annotations.map((a) => a.reviewer).concat(data.user))].sort();
  const hiddenReviewers = new Set();
  let colourBy = data.sees_all ? "reviewer" : "error_type";
  let current = null; // the current claim
  let pending = null; // the span or annotation the form is about
  let chosenSources = []; // ids of existing sources, or {url, title} for new ones

  const typeColour = (slug) =>
    TYPE_COLOURS[(typeIndex.has(slug) ? typeIndex.get(slug) : slug.length) % TYPE_COLOURS.length];
  const reviewerColour = (name) => REVIEWER_COLOURS[Math.max(0, reviewers.indexOf(name)) % REVIEWER_COLOURS.length];
  const colourOf = (a) => (colourBy === "reviewer" ? reviewerColour(a.reviewer) : typeColour(a.error_type));

  // ---- small helpers -----------------------------------------------------------------------
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child); // strings become text nodes
    return node;
  }

  let messageTimer = null;
  function say(message, isError = false) {
    messageBox.textContent = message;
    messageBox.classList.toggle("fc-error", isError);
    messageBox.hidden = false;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { messageBox.hidden = true; }, isError ? 8000 : 4000);
  }

  function messagesOf(body) {
    if (!body || typeof body !== "object") return [String(body || "")];
    const out = [];
    for (const [key, value] of Object.entries(body)) {
      const list = Array.isArray(value) ? value : [value];
      for (const item of list) {
        const textOf = typeof item === "object" ? messagesOf(item).join(" ") : String(item);
        out.push(key === "detail" || key === "non_field_errors" ? textOf : `${key}: ${textOf}`);
      }
    }
    return out;
  }

  /** A call to the API. ``etagKey`` names the row whose ETag is sent and kept; for a create
   * it is a function of the answer, whose id is known only then. ``ifMatch`` sends another
   * version than the last one read. A refusal throws an Error with the status and, for a
   * 412, the row as stored now and its ETag. */
  async function api(method, url, body, etagKey, ifMatch) {
    const headers = { "X-CSRFToken": csrfToken, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    // A change to something read before carries the version read: a 412 says it went stale.
    if (ifMatch) headers["If-Match"] = ifMatch;
    else if (etagKey && etags.has(etagKey) && ["PATCH", "PUT", "DELETE"].includes(method)) {
      headers["If-Match"] = etags.get(etagKey);
    }
    const response = await fetch(url, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let payload = null;
    if (response.status !== 204) {
      try { payload = await response.json(); } catch { payload = null; }
    }
    const etag = response.headers.get("ETag");
    if (etagKey && etag && response.ok) etags.set(typeof etagKey === "function" ? etagKey(payload) : etagKey, etag);
    if (!response.ok) {
      let message = messagesOf(payload).join(" ");
      // The server's 412 detail tells an API client to reload; here the caller shows both
      // versions instead, and a reload would throw the reviewer's input away.
      if (response.status === 412) message = "Someone else changed this since you opened it; nothing of yours was saved.";
      const error = new Error(message || `The server answered ${response.status}.`);
      error.status = response.status;
      // Kept apart from ``etags``: a write with this ETag would overwrite the other change,
      // so it is used only once the reviewer has seen that change and chosen.
      error.current = payload && payload.current;
      error.etag = etag;
      throw error;
    }
    return payload;
  }

  const annotationKey = (id) => `annotation:${id}`;
  const annotationUrl = (id) => `${data.urls.annotations}${id}/`;
  const isGone = (error) => error.status === 404 || error.status === 410;
  const DELETED = "This tag was deleted (in another tab or by someone else).";
  const rightsOf = (a) => ({ may_change: a ? a.may_change : true, may_delete: a ? a.may_delete : true });

  /** Put a row as the server holds it into the page: the map, its ETag, its highlight. */
  function showRow(row, etag, rights) {
    annotations.set(row.id, { ...row, ...rights });
    if (etag) etags.set(annotationKey(row.id), etag);
    if (!reviewers.includes(row.reviewer)) reviewers.push(row.reviewer);
    renderClaim(claimById.get(row.claim));
    renderLegend();
    renderProgress();
  }

  /** A tag the server no longer has leaves the page: highlight, card, form, map. */
  function forgetDeleted(id) {
    const gone = annotations.get(id);
    annotations.delete(id);
    etags.delete(annotationKey(id));
    if (pending && pending.annotation && pending.annotation.id === id) leaveForm();
    card.hidden = true;
    if (gone) renderClaim(claimById.get(gone.claim));
    renderLegend();
    renderProgress();
    say(DELETED, true);
  }

  // ---- drawing highlights ------------------------------------------------------------------
  function visible(a) { return !hiddenReviewers.has(a.reviewer); }

  function renderClaim(claim) {
    const element = claimEls.get(claim.id);
    if (!element) return;
    const local = text.slice(claim.u16start, claim.u16end);
    const mine = [...annotations.values()].filter((a) => a.claim === claim.id && visible(a))
      .map((a) => ({ a, s: cpToU16[a.start] - claim.u16start, e: cpToU16[a.end] - claim.u16start }))
      // Outermost first: the same annotation nests at the same depth in every piece.
      .sort((x, y) => x.s - y.s || y.e - x.e || x.a.id - y.a.id);
    const cuts = [...new Set([0, local.length, ...mine.flatMap((m) => [m.s, m.e])])].sort((x, y) => x - y);
    const pieces = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [left, right] = [cuts[i], cuts[i + 1]];
      let node = document.createTextNode(local.slice(left, right));
      const covering = mine.filter((m) => m.s < right && left < m.e);
      for (let depth = covering.length; depth >= 1; depth--) {
        const { a } = covering[depth - 1];
        const mark = el("mark", {
          className: "fc-hl",
          dataset: { annotationId: a.id, errorType: a.error_type, reviewer: a.reviewer },
          title: `${a.error_type_name} (${a.reviewer})`,
        }, node);
        mark.style.setProperty("--fc-colour", colourOf(a));
        mark.style.setProperty("--fc-depth", String(depth));
        node = mark;
      }
      pieces.push(node);
    }
    element.replaceChildren(...pieces);
    element.classList.toggle("fc-reviewed", Boolean(myVerdict(claim.id)));
  }

  function renderAll() {
    claims.forEach(renderClaim);
    renderLegend();
    renderProgress();
  }

  function renderLegend() {
    const types = document.querySelector("[data-type-legend]");
    // Every type with its key, before any selection: the keys are learnt from here.
    types.replaceChildren(...data.error_types.map((t) => {
      const swatch = el("span", { className: "fc-swatch" });
      swatch.style.setProperty("--fc-colour", colourBy === "error_type" ? typeColour(t.slug) : "#999");
      return el("li", {}, swatch, el("kbd", {}, t.key), " ", t.name);
    }));
    document.querySelectorAll(".fc-type").forEach((button) => {
      button.style.setProperty("--fc-colour", typeColour(button.dataset.errorType));
    });
    const people = document.querySelector("[data-reviewer-legend]");
    if (!people) return;
    const names = [...new Set([...annotations.values()].map((a) => a.reviewer))].sort();
    people.replaceChildren(...names.map((name) => {
      const swatch = el("span", { className: "fc-swatch" });
      swatch.style.setProperty("--fc-colour", colourBy === "reviewer" ? reviewerColour(name) : "#999");
      const box = el("input", { type: "checkbox", checked: !hiddenReviewers.has(name), dataset: { reviewerFilter: name } });
      box.addEventListener("change", () => {
        if (box.checked) hiddenReviewers.delete(name); else hiddenReviewers.add(name);
        claims.forEach(renderClaim);
      });
      return el("li", {}, el("label", {}, box, swatch, name));
    }));
  }

  // ---- progress, verdicts, the current claim -----------------------------------------------
  function myVerdict(claimId) {
    return verdicts.find((v) => v.claim === claimId && v.reviewer === data.user);
  }

  function renderProgress() {
    const reviewed = claims.filter((c) => myVerdict(c.id)).length;
    const errors = [...annotations.values()].filter((a) => a.reviewer === data.user).length;
    document.querySelector("[data-progress]").textContent =
      `${reviewed} of ${claims.length} claims reviewed, ${errors} error${errors === 1 ? "" : "s"} tagged`;
  }

  function renderPanel() {
    const heading = document.querySelector("[data-claim-heading]");
    const state = document.querySelector("[data-reviewed-state]");
    const others = document.querySelector("[data-other-verdicts]");
    if (!current) return;
    heading.textContent = `Claim #${current.id}` + (current.kind === "statement" ? "" : ` (${current.kind_label.toLowerCase()})`);
    const verdict = myVerdict(current.id);
    const label = verdict && data.verdict_labels.find((v) => v.value === verdict.label);
    state.textContent = verdict ? `Reviewed: ${label ? label.label : verdict.label}` : "Not reviewed yet";
    state.classList.toggle("fc-is-reviewed", Boolean(verdict));
    document.querySelectorAll("[data-verdict]").forEach((b) => {
      b.setAttribute("aria-pressed", String(Boolean(verdict) && b.dataset.verdict === verdict.label));
    });
    others.replaceChildren(...verdicts.filter((v) => v.claim === current.id && v.reviewer !== data.user)
      .map((v) => el("li", {}, `${v.reviewer}: ${v.label.replace("_", " ")}${v.note ? ` — ${v.note}` : ""}`)));
  }

  function setCurrent(claim, scroll = true) {
    if (!claim) return;
    if (current) claimEls.get(current.id)?.classList.remove("fc-current");
    current = claim;
    const element = claimEls.get(claim.id);
    element.classList.add("fc-current");
    if (scroll) element.scrollIntoView({ block: "center", behavior: "instant" });
    renderPanel();
  }

  function move(step) {
    const index = current ? claims.indexOf(current) + step : step > 0 ? 0 : claims.length - 1;
    setCurrent(claims[Math.min(claims.length - 1, Math.max(0, index))]);
  }

  async function setVerdict(label) {
    if (!current) { say("Choose a claim first: press j or click it.", true); return; }
    if (!data.may_label) { say("You cannot give verdicts here: the review is not open to you.", true); return; }
    const claim = current;
    try {
      const saved = await api("POST", data.urls.verdicts, { claim: claim.id, label }, `verdict:${claim.id}`);
      const old = verdicts.findIndex((v) => v.claim === claim.id && v.reviewer === data.user);
      if (old >= 0) verdicts.splice(old, 1);
      verdicts.push(saved);
      renderClaim(claim);
      renderProgress();
      renderPanel();
      say(`Claim #${claim.id}: ${label.replace("_", " ")}.`);
    } catch (error) {
      say(error.message, true);
    }
  }

  // ---- the selection -----------------------------------------------------------------------
  function u16Offset(node, offset) {
    const range = document.createRange();
    range.selectNodeContents(root);
    const where = range.comparePoint(node, offset);
    if (where < 0) return 0;
    if (where > 0) return text.length;
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function graphemeBounds(position) {
    // Segment only the line around the position: a line feed always ends a grapheme cluster.
    const start = text.lastIndexOf("\n", position - 1) + 1;
    const found = text.indexOf("\n", position);
    const end = found === -1 ? text.length : found;
    const bounds = [end];
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      for (const s of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text.slice(start, end))) {
        bounds.push(start + s.index);
      }
    } else { // no segmenter: at least never split a surrogate pair; the server checks the rest
      for (let i = start; i < end; i++) if (u16ToCp.has(i)) bounds.push(i);
    }
    return bounds.sort((a, b) => a - b);
  }

  const snapDown = (p) => graphemeBounds(p).filter((b) => b <= p).pop() ?? p;
  const snapUp = (p) => graphemeBounds(p).find((b) => b >= p) ?? p;

  function claimAt(cp) {
    return claims.find((c) => c.start <= cp && cp < c.end) || null;
  }

  /** The selection as a clean span inside one claim, or a message saying what is wrong. */
  function cleanSpan(u16start, u16end) {
    let s = Math.min(u16start, u16end);
    let e = Math.max(u16start, u16end);
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (s === e) return null;
    s = snapDown(s);
    e = snapUp(e);
    const start = u16ToCp.get(s);
    const end = u16ToCp.get(e);
    const claim = claims.find((c) => c.start <= start && end <= c.end);
    if (claim) return { claim, start, end, quote: text.slice(s, e) };
    const first = claimAt(start);
    const last = claimAt(end - 1);
    if (first && last && first !== last) {
      return { error: `This selection spans two claims (#${first.id} and #${last.id}); a span must lie inside one claim.` };
    }
    return { error: "Select text inside a claim: this selection is outside the article's claims." };
  }

  function fromSelection() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(root)) return;
    const span = cleanSpan(u16Offset(range.startContainer, range.startOffset), u16Offset(range.endContainer, range.endOffset));
    if (!span) return;
    if (span.error) { say(span.error, true); return; }
    if (!data.may_label) {
      say(data.assignment ? "Your review is submitted: it is read-only until an editor reopens it."
        : "This article is not assigned to you, so you cannot tag it.", true);
      return;
    }
    setCurrent(span.claim, false);
    openForm({ span }, range.getBoundingClientRect());
  }

  // ---- the tag form ------------------------------------------------------------------------
  const field = (name) => form.elements.namedItem(name);

  function placeBeside(box, rect) {
    box.hidden = false;
    box.scrollTop = 0;
    const width = box.offsetWidth;
    const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    box.style.left = `${left}px`;
    // Below the text if it fits, else above it, else as high as the window allows: a long
    // card (its height is capped by CSS, it scrolls) is never cut off by the window's edge.
    const height = box.offsetHeight;
    const room = document.documentElement.clientHeight;
    let top = rect.bottom + 6;
    if (top + height > room - 8) top = rect.top - 6 - height >= 8 ? rect.top - 6 - height : Math.max(8, room - height - 8);
    box.style.top = `${top + window.scrollY}px`;
  }

  function openForm(target, rect) {
    pending = target;
    const a = target.annotation;
    const span = target.span || a;
    form.querySelector("[data-form-quote]").textContent = span.quote;
    form.querySelector("[data-form-where]").textContent =
      `claim #${span.claim ? span.claim.id ?? span.claim : a.claim}, ${span.start}–${span.end}`;
    chooseType(a ? a.error_type : null, false);
    field("correction").value = a ? a.correction : "";
    field("note").value = a ? a.note : "";
    field("severity").value = a ? a.severity : "major";
    field("source-search").value = "";
    field("source-url").value = "";
    field("source-title").value = "";
    form.querySelector("[data-source-results]").replaceChildren();
    chosenSources = a ? a.sources.map((s) => ({ id: s.id, label: s.title || s.url })) : [];
    renderChosenSources();
    showFormError("");
    hideConflict();
    card.hidden = true;
    placeBeside(form, rect);
    if (a) field("correction").focus();
  }

  function closeForm() {
    form.hidden = true;
    pending = null;
    // The span goes with its form: a selection left behind invites a drag instead of a new one.
    document.getSelection().removeAllRanges();
  }

  function chooseType(slug, focusNext = true) {
    form.dataset.chosenType = slug || "";
    form.querySelectorAll("[data-error-type]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.errorType === slug)));
    if (slug && focusNext) field("correction").focus();
  }

  function showFormError(message) {
    const box = form.querySelector("[data-form-error]");
    box.textContent = message;
    box.hidden = !message;
  }

  function renderChosenSources() {
    form.querySelector("[data-chosen-sources]").replaceChildren(...chosenSources.map((s, i) => {
      const remove = el("button", { type: "button", className: "fc-link", title: "Remove" }, "×");
      remove.addEventListener("click", () => { chosenSources.splice(i, 1); renderChosenSources(); });
      return el("li", {}, s.label, " ", remove);
    }));
  }

  function addNewSource() {
    const url = field("source-url").value.trim();
    if (!url) return false;
    const title = field("source-title").value.trim();
    chosenSources.push({ url, title, label: title || url });
    field("source-url").value = "";
    field("source-title").value = "";
    renderChosenSources();
    return true;
  }

  let searchTimer = null;
  async function searchSources() {
    const query = field("source-search").value.trim();
    const list = form.querySelector("[data-source-results]");
    if (!query) { list.replaceChildren(); return; }
    try {
      const page = await api("GET", `${data.urls.sources}?search=${encodeURIComponent(query)}&page_size=8`);
      list.replaceChildren(...page.results.map((s) => {
        const pick = el("button", { type: "button", dataset: { sourceId: s.id } }, `${s.title || s.url} — ${s.url}`);
        pick.addEventListener("click", () => {
          if (!chosenSources.some((c) => c.id === s.id)) chosenSources.push({ id: s.id, label: s.title || s.url });
          renderChosenSources();
          list.replaceChildren();
          field("source-search").value = "";
        });
        return el("li", {}, pick);
      }));
      if (!page.results.length) list.replaceChildren(el("li", {}, "No source matches; add it below."));
    } catch (error) {
      list.replaceChildren(el("li", {}, error.message));
    }
  }

  /** What the form holds, as the API takes it. */
  function formInput() {
    addNewSource(); // a url typed but not yet added is meant to be saved too
    return {
      error_type: form.dataset.chosenType,
      correction: field("correction").value,
      note: field("note").value,
      severity: field("severity").value,
      sources: chosenSources.map((s) => (s.id ? s.id : { url: s.url, title: s.title })),
    };
  }

  function leaveForm() {
    // Focus left in the hidden form would make the next keys (Ctrl+Z too) typing in it.
    if (form.contains(document.activeElement)) document.activeElement.blur();
    closeForm();
  }

  async function save() {
    if (!pending) return;
    if (conflict && conflict.target === pending) {
      // The ETag of their version is known, but sending with it would overwrite their change
      // unseen: the reviewer chooses first.
      showFormError("Someone else saved this tag meanwhile: choose “Use mine” or “Take theirs” below.");
      return;
    }
    const slug = form.dataset.chosenType;
    if (!slug) { showFormError(`Choose an error type (keys ${data.error_types[0].key}–${data.error_types.at(-1).key}).`); return; }
    const body = formInput();
    const target = pending;
    const before = target.annotation ? annotations.get(target.annotation.id) : null;
    try {
      let saved;
      if (target.annotation) {
        const id = target.annotation.id;
        saved = await api("PATCH", annotationUrl(id), body, annotationKey(id));
      } else {
        Object.assign(body, { claim: target.span.claim.id, start: target.span.start, end: target.span.end });
        saved = await api("POST", data.urls.annotations, body, (row) => annotationKey(row.id));
      }
      showRow(saved, null, rightsOf(target.annotation));
      undoSteps.push({ kind: before ? "edit" : "create", id: saved.id, before, etag: etags.get(annotationKey(saved.id)) });
      if (pending === target) leaveForm();
      document.getSelection().removeAllRanges();
      say(`${target.annotation ? "Saved" : "Tagged"} “${saved.quote}” as ${saved.error_type_name}.`);
    } catch (error) {
      if (target.annotation && isGone(error)) { forgetDeleted(target.annotation.id); return; }
      if (error.status === 412 && error.current && target.annotation && pending === target) {
        showConflict(target, body, error);
        return;
      }
      showFormError(error.message); // the form stays open with everything typed in it
    }
  }

  // ---- a stale save: the stored version beside the reviewer's input ------------------------
  let conflict = null; // {target, current, etag}: a 412 waiting for the reviewer's choice
  const conflictBox = el("section", { className: "fc-conflict", hidden: true, dataset: { conflict: "" } });
  form.querySelector("[data-form-error]").after(conflictBox);

  const typeName = (slug) => (data.error_types.find((t) => t.slug === slug) || { name: slug || "" }).name;
  const names = (labels) => labels.sort().join(", ");
  const CONFLICT_FIELDS = [ // [field, label, how the stored row shows it, how the input shows it]
    ["error_type", "Error type", (row) => typeName(row.error_type), (input) => typeName(input.error_type)],
    ["correction", "Correction", (row) => row.correction, (input) => input.correction],
    ["note", "Note", (row) => row.note, (input) => input.note],
    ["severity", "Severity", (row) => row.severity, (input) => input.severity],
    ["sources", "Sources", (row) => names(row.sources.map((s) => s.title || s.url)), () => names(chosenSources.map((s) => s.label))],
  ];

  function showConflict(target, input, error) {
    conflict = { target, current: error.current, etag: error.etag };
    showFormError("");
    const rows = CONFLICT_FIELDS.map(([name, label, stored, typed]) => [name, label, stored(error.current), typed(input)])
      .filter(([, , theirs, mine]) => theirs !== mine)
      .map(([name, label, theirs, mine]) => el("tr", { dataset: { conflictField: name } },
        el("th", {}, label), el("td", { dataset: { theirs: "" } }, theirs || "(empty)"),
        el("td", { dataset: { mine: "" } }, mine || "(empty)")));
    const useMine = el("button", { type: "button", className: "button default", dataset: { action: "use-mine" } }, "Use mine");
    const takeTheirs = el("button", { type: "button", className: "button", dataset: { action: "take-theirs" } }, "Take theirs");
    useMine.addEventListener("click", chooseMine);
    takeTheirs.addEventListener("click", chooseTheirs);
    conflictBox.replaceChildren(
      el("p", {}, "Someone else saved this tag after you opened it (in another tab, or another person); "
        + "nothing of yours was saved. Your input is still in the form. “Use mine” saves it over "
        + "their version; “Take theirs” keeps their version and drops your input."),
      rows.length
        ? el("table", {}, el("thead", {}, el("tr", {}, el("th", {}), el("th", {}, "Saved now"), el("th", {}, "Yours"))), el("tbody", {}, ...rows))
        : el("p", {}, "Their version already says what your input says."),
      el("div", { className: "fc-form-buttons" }, useMine, takeTheirs));
    conflictBox.hidden = false;
  }

  function hideConflict() {
    conflict = null;
    conflictBox.hidden = true;
    conflictBox.replaceChildren();
  }

  function chooseMine() {
    if (!conflict) return;
    const { current, etag } = conflict;
    hideConflict();
    // The page shows their version until mine is saved over it, with its ETag: the save
    // then goes through unless a third write came in meanwhile (a new 412 says so).
    showRow(current, etag, rightsOf(annotations.get(current.id)));
    save();
  }

  function chooseTheirs() {
    if (!conflict) return;
    const { current, etag } = conflict;
    hideConflict();
    showRow(current, etag, rightsOf(annotations.get(current.id)));
    leaveForm();
    say(`Kept the saved version of “${current.quote}”; your input is dropped.`);
  }

  // ---- a highlight's card ------------------------------------------------------------------
  function openCard(ids, rect) {
    const sections = ids.map((id) => annotations.get(id)).filter(Boolean).map((a) => {
      const list = el("dl");
      const row = (term, value) => { if (value) list.append(el("dt", {}, term), el("dd", {}, value)); };
      row("Error type", a.error_type_name);
      row("Tagged by", a.reviewer);
      row("Quote", a.quote);
      row("Correction", a.correction);
      row("Note", a.note);
      row("Severity", a.severity);
      if (a.sources.length) {
        const sources = el("ul");
        for (const s of a.sources) {
          // Only http(s) addresses become links: a javascript: or data: url stays text.
          const safe = /^https?:\/\//i.test(s.url);
          const name = s.title || s.url;
          sources.append(el("li", {}, safe ? el("a", { href: s.url, target: "_blank", rel: "noopener noreferrer" }, name) : name,
            s.title ? ` (${s.url})` : ""));
        }
        list.append(el("dt", {}, "Sources"), el("dd", {}, sources));
      }
      const section = el("section", { dataset: { cardFor: a.id } }, list);
      const buttons = el("div", { className: "fc-form-buttons" });
      if (a.may_change) {
        const edit = el("button", { type: "button", className: "button", dataset: { action: "edit" } }, "Edit");
        edit.addEventListener("click", () => editAnnotation(a.id, rect));
        buttons.append(edit);
      }
      if (a.may_delete) {
        const remove = el("button", { type: "button", className: "button", dataset: { action: "delete" } }, "Delete");
        remove.addEventListener("click", () => {
          if (remove.dataset.action === "delete") { // ask once more, in place
            remove.dataset.action = "confirm-delete";
            remove.textContent = "Really delete?";
            return;
          }
          deleteAnnotation(a.id);
        });
        buttons.append(remove);
      }
      if (buttons.childElementCount) section.append(buttons);
      return section;
    });
    if (!sections.length) return;
    card.replaceChildren(...sections);
    form.hidden = true;
    placeBeside(card, rect);
  }

  async function editAnnotation(id, rect) {
    try {
      // Fetch it fresh: its ETag guards the change against someone else's in between.
      const fresh = await api("GET", annotationUrl(id), undefined, annotationKey(id));
      const known = annotations.get(id);
      annotations.set(id, { ...fresh, ...rightsOf(known) });
      openForm({ annotation: annotations.get(id) }, rect);
    } catch (error) {
      if (isGone(error)) forgetDeleted(id); else say(error.message, true);
    }
  }

  async function deleteAnnotation(id) {
    const gone = annotations.get(id);
    try {
      await api("DELETE", annotationUrl(id), undefined, annotationKey(id));
    } catch (error) {
      if (isGone(error)) { forgetDeleted(id); return; }
      if (error.status === 412 && error.current) {
        card.hidden = true;
        showRow(error.current, error.etag, rightsOf(gone));
        say(`Not deleted: someone else changed the tag on “${gone.quote}” since you opened it. `
          + "Click it to see their version, then delete it if you still mean to.", true);
        return;
      }
      say(error.message, true);
      return;
    }
    annotations.delete(id);
    etags.delete(annotationKey(id));
    card.hidden = true;
    renderClaim(claimById.get(gone.claim));
    renderLegend();
    renderProgress();
    // Only one's own tag comes back as it was: another's, posted again, would be one's own.
    if (gone.reviewer === data.user) undoSteps.push({ kind: "delete", id, row: gone });
    say(`Deleted the tag on “${gone.quote}”${gone.reviewer === data.user ? " (Ctrl+Z brings it back)" : ""}.`);
  }

  // ---- undo: Ctrl+Z takes back the reviewer's last create, edit or delete on this page ----
  // Each step goes through the API like any write, with the ETag of the version the step
  // made (not the last one read: that may be someone else's since): a tag changed since is
  // left as they made it, and the step is said to be not undone.
  const undoSteps = [];
  let undoing = false;

  /** Ctrl+Z (Cmd+Z): true if it was the page's undo. In a text field it stays the
   * browser's undo of typing; with the form open it belongs to the draft. */
  async function undo() {
    if (undoing) { say("Still undoing the last step…"); return; }
    const step = undoSteps.pop();
    if (!step) { say("Nothing to undo: you have not tagged, edited or deleted anything on this page since it loaded."); return; }
    undoing = true;
    try {
      await UNDO[step.kind](step);
    } catch (error) {
      undoFailed(error, step);
    } finally {
      undoing = false;
    }
  }

  const sourceIds = (row) => row.sources.map((s) => s.id);
  const UNDO = {
    async create({ id, etag }) {
      const made = annotations.get(id);
      await api("DELETE", annotationUrl(id), undefined, annotationKey(id), etag);
      annotations.delete(id);
      etags.delete(annotationKey(id));
      card.hidden = true;
      renderClaim(claimById.get(made.claim));
      renderLegend();
      renderProgress();
      say(`Undone: your tag on “${made.quote}” is removed.`);
    },
    async edit({ id, before, etag }) {
      const { error_type, correction, note, severity } = before;
      const body = { error_type, correction, note, severity, sources: sourceIds(before) };
      const saved = await api("PATCH", annotationUrl(id), body, annotationKey(id), etag);
      card.hidden = true;
      showRow(saved, null, rightsOf(annotations.get(id)));
      say(`Undone: your edit of the tag on “${saved.quote}”; it is ${saved.error_type_name} again`
        + (saved.correction ? `, correction “${saved.correction}”.` : "."));
    },
    async delete({ id, row }) {
      const { claim, start, end, error_type, correction, note, severity } = row;
      const body = { claim, start, end, error_type, correction, note, severity, sources: sourceIds(row) };
      const saved = await api("POST", data.urls.annotations, body, (made) => annotationKey(made.id));
      showRow(saved, null, rightsOf(null));
      // Back under a new id and version: older steps about the deleted tag are about this
      // one now, as it is now.
      for (const step of undoSteps) {
        if (step.id === id) Object.assign(step, { id: saved.id, etag: etags.get(annotationKey(saved.id)) });
      }
      say(`Undone: the tag on “${saved.quote}” is back, as a new tag.`);
    },
  };

  function undoFailed(error, step) {
    const known = annotations.get(step.id) || step.row;
    const quote = known ? `the tag on “${known.quote}”` : "that tag";
    if (step.kind !== "delete" && isGone(error)) {
      forgetDeleted(step.id);
      say(`Not undone: ${DELETED.charAt(0).toLowerCase()}${DELETED.slice(1)}`, true);
    } else if (error.status === 412 && error.current) {
      showRow(error.current, error.etag, rightsOf(known));
      say(`Not undone: someone else changed ${quote} since (in another tab or another person); `
        + "their version is kept.", true);
    } else {
      say(`Not undone: ${error.message}`, true);
    }
  }

  // Reloading or leaving with a typed draft in the form asks first: it exists nowhere else.
  function hasDraft() {
    if (form.hidden || !pending) return false;
    const a = pending.annotation;
    return field("correction").value !== (a ? a.correction : "")
      || field("note").value !== (a ? a.note : "")
      || Boolean(field("source-url").value.trim() || field("source-title").value.trim());
  }

  window.addEventListener("beforeunload", (event) => {
    if (!hasDraft()) return;
    event.preventDefault();
    event.returnValue = ""; // browsers that ask only when it is set
  });

  // ---- submitting the review ---------------------------------------------------------------
  // Submitting cannot be undone by the reviewer: say first how many claims have no verdict.
  const submitDialog = document.querySelector("[data-submit-dialog]");
  let afterSubmit = null; // the address to go to once submitted; none: this page again

  function askToSubmit(then) {
    afterSubmit = then;
    const unjudged = claims.filter((c) => !myVerdict(c.id)).length;
    submitDialog.querySelector("[data-submit-summary]").textContent = unjudged
      ? `${unjudged} of ${claims.length} claims have no verdict.`
      : `All ${claims.length} claims have a verdict.`;
    submitDialog.querySelector("[data-action=confirm-submit]").textContent = unjudged ? "Submit anyway" : "Submit";
    closeForm();
    card.hidden = true;
    submitDialog.showModal();
  }

  async function submitReview() {
    submitDialog.close();
    try {
      await api("POST", data.urls.submit, {});
      // Submitting shows the other reviewers' work: a new page, this one or the next article.
      if (afterSubmit) window.location.assign(afterSubmit); else window.location.reload();
    } catch (error) {
      say(error.message, true);
    }
  }

  function goBack() {
    submitDialog.close();
    const first = claims.find((c) => !myVerdict(c.id));
    if (first) setCurrent(first);
  }

  document.querySelector("[data-action=submit-review]")?.addEventListener("click", () => askToSubmit(null));
  document.querySelector("[data-action=submit-and-next]")?.addEventListener("click", () => askToSubmit(data.urls.next_open));
  submitDialog?.querySelector("[data-action=confirm-submit]").addEventListener("click", submitReview);
  submitDialog?.querySelector("[data-action=go-back]").addEventListener("click", goBack);

  // ---- events ------------------------------------------------------------------------------
  document.addEventListener("mouseup", (event) => {
    if (form.contains(event.target) || card.contains(event.target)) return;
    setTimeout(() => {
      const selection = document.getSelection();
      if (selection && !selection.isCollapsed) { fromSelection(); return; }
      if (!root.contains(event.target)) return;
      const marks = [];
      for (let node = event.target; node && node !== root; node = node.parentElement) {
        if (node.dataset && node.dataset.annotationId) marks.push(Number(node.dataset.annotationId));
        if (node.dataset && node.dataset.claimId) setCurrent(claimById.get(Number(node.dataset.claimId)), false);
      }
      if (marks.length) openCard(marks, event.target.getBoundingClientRect());
    }, 0);
  });

  document.addEventListener("mousedown", (event) => {
    if (!form.hidden && !form.contains(event.target)) closeForm();
    if (!card.hidden && !card.contains(event.target)) card.hidden = true;
    // A press on text still selected would start a native drag of it (no mouseup, no form,
    // and the next keys set verdicts): drop the old selection so a new one starts here.
    if (event.button === 0 && !event.shiftKey && root.contains(event.target)) {
      document.getSelection().removeAllRanges();
    }
  });
  // Nothing in the article is dragged anywhere: a drag there means selecting.
  root.addEventListener("dragstart", (event) => event.preventDefault());

  form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
  form.querySelector("[data-action=cancel]").addEventListener("click", closeForm);
  form.querySelector("[data-action=add-source]").addEventListener("click", addNewSource);
  form.querySelectorAll("[data-error-type]").forEach((b) => b.addEventListener("click", () => chooseType(b.dataset.errorType)));
  field("source-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchSources, 200); });
  document.querySelectorAll("[data-verdict]").forEach((b) => b.addEventListener("click", () => setVerdict(b.dataset.verdict)));
  document.querySelectorAll("input[name=colour-by]").forEach((radio) => radio.addEventListener("change", () => {
    colourBy = radio.value;
    renderAll();
  }));

  /** Whether focus is in a place that takes typing: keys there are text, never commands. */
  function typingInto(target) {
    return [target, document.activeElement].some((node) => node && node.closest
      && node.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])"));
  }

  // ---- keys: one table, read by the handler and by the help overlay (it cannot drift) ---
  // Where a key acts: on the PAGE (no form or dialog open, focus in no input), in the tag
  // FORM (also from its fields when `inFields`), or in BOTH.
  const PAGE = "page", FORM = "form", BOTH = "both";
  const plain = (e) => !e.ctrlKey && !e.altKey && !e.metaKey;
  const arrow = (e) => (e.key === "ArrowRight" ? "forward" : e.key === "ArrowLeft" ? "backward" : null);
  const enterSaves = (e) => e.key === "Enter" && !(e.target.tagName === "TEXTAREA" && e.shiftKey)
    && e.target.tagName !== "BUTTON";
  // An error type's key as the server names it: "1".."0", "⇧1".."⇧0" (by position, not by
  // the character typed, which Shift and keyboard layouts change).
  const typeKeyOf = (e) => {
    const digit = /^Digit(\d)$/.exec(e.code || "");
    return digit && plain(e) ? `${e.shiftKey ? "⇧" : ""}${digit[1]}` : null;
  };
  const KEYS = [
    { shown: ["j", "↓"], what: "Next claim", where: PAGE,
      match: (e) => plain(e) && !e.shiftKey && ["j", "ArrowDown"].includes(e.key), run: () => move(1) },
    { shown: ["k", "↑"], what: "Previous claim", where: PAGE,
      match: (e) => plain(e) && !e.shiftKey && ["k", "ArrowUp"].includes(e.key), run: () => move(-1) },
    { shown: ["Shift+→", "Shift+←"], what: "Select from the current claim, a character at a time", where: BOTH,
      match: (e) => e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && arrow(e),
      run: (e) => extendSelection(arrow(e), "character") },
    { shown: ["Ctrl+Shift+→", "Ctrl+Shift+←"], what: "Select a word at a time", where: BOTH,
      match: (e) => e.shiftKey && e.ctrlKey && !e.altKey && !e.metaKey && arrow(e),
      run: (e) => extendSelection(arrow(e), "word") },
    { shown: ["Enter"], what: "Tag the selected text", where: PAGE,
      match: (e) => plain(e) && e.key === "Enter" && !document.getSelection().isCollapsed, run: fromSelection },
    ...data.verdict_labels.map((v) => ({ shown: [v.key], what: `Verdict on the current claim: ${v.label}`,
      where: PAGE, match: (e) => plain(e) && e.key === v.key, run: () => setVerdict(v.value) })),
    { shown: ["?"], what: "Show this list of keys", where: PAGE, match: (e) => plain(e) && e.key === "?",
      run: () => showKeyHelp() },
    { shown: ["Esc"], what: "Close a highlight's card, or this list", where: PAGE,
      match: (e) => e.key === "Escape", run: () => { card.hidden = true; }, quiet: true },
    ...data.error_types.map((t) => ({ shown: [t.key], what: `Error type: ${t.name}`, where: FORM,
      match: (e) => typeKeyOf(e) === t.key, run: () => chooseType(t.slug) })),
    { shown: ["Enter"], what: "Save the tag (Shift+Enter: a new line in the note)", where: FORM, inFields: true,
      match: (e) => plain(e) && enterSaves(e), run: () => save() },
    { shown: ["Esc"], what: "Close the form without saving", where: FORM, inFields: true,
      match: (e) => e.key === "Escape", run: leaveForm },
    // In a text field the browser's own undo of typing acts: PAGE keys never fire there.
    { shown: ["Ctrl+Z", "⌘Z"], what: "Undo your last tag, edit or delete on this page", where: PAGE,
      match: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && (e.key || "").toLowerCase() === "z",
      run: () => undo() },
  ];

  function keyFor(event) {
    if (document.querySelector("dialog[open]")) return null; // a dialog's own keys (Esc, Tab) only
    const formOpen = !form.hidden;
    const typing = typingInto(event.target);
    return KEYS.find((k) => (k.where === BOTH || (k.where === FORM) === formOpen)
      && (!typing || (k.inFields && form.contains(event.target)))
      && k.match(event)) || null;
  }

  document.addEventListener("keydown", (event) => {
    const key = keyFor(event);
    if (!key) return;
    if (!key.quiet) event.preventDefault();
    key.run(event);
  });

  const keyHelp = document.querySelector("[data-key-help]");
  function showKeyHelp() {
    const section = (title, where) => [el("h3", {}, title), el("dl", {}, ...KEYS.filter((k) => where.includes(k.where))
      .flatMap((k) => [el("dt", {}, ...k.shown.flatMap((s, i) => (i ? [" ", el("kbd", {}, s)] : [el("kbd", {}, s)]))),
        el("dd", {}, k.what)]))];
    keyHelp.querySelector("[data-key-list]").replaceChildren(
      ...section("On the page", [PAGE, BOTH]), ...section("In the tag form", [FORM, BOTH]));
    keyHelp.showModal();
  }
  document.querySelector("[data-action=show-keys]")?.addEventListener("click", showKeyHelp);
  keyHelp.querySelector("[data-action=close-keys]").addEventListener("click", () => keyHelp.close());

  /** Keyboard selection: Shift+arrows start at the current claim and grow by character or word. */
  function extendSelection(direction, unit) {
    const selection = document.getSelection();
    const inside = selection.rangeCount && root.contains(selection.anchorNode);
    if (!inside) {
      if (!current) move(1);
      const element = claimEls.get(current.id);
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      const first = walker.nextNode();
      selection.collapse(first, 0);
    }
    selection.modify("extend", direction, unit);
    fromSelection();
  }

  renderAll();
  if (claims.length) setCurrent(claims[0], false);
})();
