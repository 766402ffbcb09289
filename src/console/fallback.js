// The fallback questions page (SPEC §1.4, brochure §9.2): each consultation made while MyCareNet
// was down and waiting for the pharmacist — what the pharmacy last knew of the patient, the
// question of the current node in plain words (text from the API, in the chosen language), the
// SIS card or document data when the answer uses them — then the outcome and its guarantee.
import { h, syncList, textField } from "./dom.js";
import { portalForm } from "./portal.js";
import { day, lang, patientLabel, reasonText, t, time, yesNo } from "./i18n.js";

/**
 * An element of index.html by its id. Typed as an input: inputs, buttons and plain elements are
 * looked up alike, and only members they share (or the input's, on inputs) are used.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
const $ = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const DATA_NODES = new Set([6, 8]);
const DATA_FIELDS = [
  ["ct1", "fallback.ct1", 3],
  ["ct2", "fallback.ct2", 3],
  ["mutuality", "fallback.mutualityField", 3],
  ["registrationNumber", "fallback.registrationNumber", 13],
];

function lastKnownBlock(lastKnown) {
  if (!lastKnown) return h("p", {}, t("fallback.unknownPatient"));
  const e = lastKnown.entitlement;
  return h(
    "ul",
    { class: "plain" },
    h("li", {}, t("fallback.lastOnline", { date: day(lastKnown.consultedOn) })),
    h("li", {}, t("fallback.insured", { value: yesNo(lastKnown.insured) })),
    e
      ? h(
          "li",
          {},
          t("fallback.entitlement", { ct1: e.ct1, ct2: e.ct2, preferential: yesNo(e.preferential) }),
        )
      : null,
    lastKnown.mutuality ? h("li", {}, t("fallback.mutuality", { mutuality: lastKnown.mutuality })) : null,
  );
}

function answersBlock(answers) {
  if (!answers?.length) return null;
  return h(
    "div",
    {},
    h("h4", {}, t("fallback.answers")),
    h(
      "ul",
      { class: "plain" },
      answers.map((a) =>
        h(
          "li",
          {},
          t("fallback.answerLine", {
            node: a.node,
            answer: yesNo(a.answer),
            by: a.by?.name ?? "—",
            time: time(a.at),
          }),
        ),
      ),
    ),
  );
}

/** The identification the consultation was asked with (names stay out of it). */
function identificationOf(p) {
  return p.niss !== undefined
    ? { niss: p.niss }
    : { mutuality: p.mutuality, registrationNumber: p.registrationNumber };
}

export function createFallbackPage({ api, shared, announce, errorText, refresh }) {
  /** Outcomes reached from this page, newest first, until the pharmacist dismisses them. */
  let results = [];
  let focusNext = null;

  function resultCard(view) {
    const headingId = `result-${view.id}`;
    const data = view.fallback?.data;
    const card = h(
      "article",
      { class: `card result ${view.outcome}`, "aria-labelledby": headingId },
      h(
        "h3",
        { id: headingId, tabindex: "-1" },
        t("fallback.result", { date: day(view.deliveryDate), ref: view.reference }),
      ),
      h("p", { class: "big" }, t(`outcome.${view.outcome}`)),
      h("p", {}, t("fallback.guarantee", { guarantee: t(`guarantee.${view.guarantee ?? "none"}`) })),
      data
        ? h(
            "p",
            {},
            t("fallback.dataUsed", {
              ct1: data.ct1 ?? "—",
              ct2: data.ct2 ?? "—",
              mutuality: data.mutuality ?? "—",
            }),
          )
        : null,
      view.import
        ? h("p", { class: "ok" }, t("portal.typedBy", { by: view.import.typedBy?.name ?? "—" }))
        : h("p", { class: "hint" }, t("fallback.recall")),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            results = results.filter((r) => r.id !== view.id);
            render();
            $("fallback-title").focus();
          },
        },
        t("fallback.dismiss"),
      ),
    );
    return card;
  }

  async function send(consultation, value, form) {
    const node = consultation.fallback.question.node;
    const error = form.querySelector(".error");
    const status = form.querySelector(".sending");
    const answer = { node, answer: value };
    const note = form.elements.note.value.trim();
    if (note) answer.note = note;
    if (value && DATA_NODES.has(node)) {
      answer.data = {};
      for (const [name] of DATA_FIELDS) {
        const v = form.elements[name].value.trim();
        if (v) answer.data[name] = v;
      }
    }
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const buttons = form.querySelectorAll("button");
    for (const b of buttons) b.disabled = true;
    error.textContent = "";
    status.textContent = t("fallback.sending");
    try {
      const view = await api(
        "POST",
        `/v1/consultations/${encodeURIComponent(consultation.id)}/fallback-answers`,
        {
          answers: [answer],
        },
      );
      if (view.outcome === "needs-pharmacist") {
        shared.pending = (shared.pending ?? []).map((c) => (c.id === view.id ? view : c));
        focusNext = `question-${view.id}`;
        announce(t("fallback.nextQuestion", { question: view.fallback?.question?.text ?? "" }));
      } else {
        shared.pending = (shared.pending ?? []).filter((c) => c.id !== view.id);
        results = [view, ...results.filter((r) => r.id !== view.id)].slice(0, 10);
        focusNext = `result-${view.id}`;
        announce(t(`outcome.${view.outcome}`));
      }
      render();
      refresh();
    } catch (err) {
      status.textContent = "";
      for (const b of buttons) b.disabled = false;
      error.textContent = errorText(err);
      const field = err.problem?.field ? form.elements[err.problem.field] : null;
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.focus();
      }
      if (err.code === "FALLBACK_ALREADY_ANSWERED" || err.code === "FALLBACK_NOT_PENDING") refresh();
    }
  }

  function questionCard(consultation) {
    const f = consultation.fallback;
    const q = f.question;
    const id = consultation.id;
    const form = h("form", { method: "post", action: "#", novalidate: true, class: "answer" });
    form.addEventListener("submit", (event) => event.preventDefault());
    const textId = `qtext-${id}`;
    form.append(
      h("h4", { id: `question-${id}`, tabindex: "-1" }, t("fallback.question", { node: q.node })),
      h("p", { id: textId, class: "question" }, q.text ?? q.code),
    );
    if (DATA_NODES.has(q.node)) {
      form.append(
        h(
          "fieldset",
          { class: "data" },
          h("legend", {}, t(`fallback.data.${q.node}`)),
          DATA_FIELDS.map(([name, label, max]) =>
            textField({
              id: `${name}-${id}`,
              name,
              label: t(label),
              maxlength: String(max),
              inputmode: name === "registrationNumber" ? "text" : "numeric",
            }),
          ),
        ),
      );
    }
    const noteId = `note-${id}`;
    form.append(
      h(
        "div",
        { class: "field" },
        h("label", { for: noteId }, t("fallback.note")),
        h("textarea", { id: noteId, name: "note", rows: "2", maxlength: "500" }),
      ),
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            class: "yes",
            "aria-describedby": textId,
            onclick: () => send(consultation, true, form),
          },
          t(`fallback.yes.${q.node}`),
        ),
        h(
          "button",
          {
            type: "button",
            class: "no",
            "aria-describedby": textId,
            onclick: () => send(consultation, false, form),
          },
          t(`fallback.no.${q.node}`),
        ),
      ),
      h("p", { class: "sending", role: "status" }),
      h("p", { class: "error", role: "alert" }),
    );

    const headingId = `consultation-${id}`;
    return h(
      "article",
      { class: "card", "aria-labelledby": headingId },
      h("h3", { id: headingId }, t("fallback.delivery", { date: day(consultation.deliveryDate) })),
      h(
        "ul",
        { class: "plain facts" },
        h("li", {}, t("fallback.patient", { patient: patientLabel(consultation.patient) })),
        h("li", {}, t("fallback.reference", { ref: consultation.reference })),
        h(
          "li",
          {},
          t("fallback.asked", { time: time(consultation.consultedAt), reason: reasonText(f.reason) }),
        ),
      ),
      h("h4", {}, t("fallback.lastKnown")),
      lastKnownBlock(f.lastKnown),
      answersBlock(f.answers),
      form,
      // SPEC §1.6: the portal's result settles the delivery instead of the questions.
      portalForm({
        api,
        errorText,
        item: {
          consultationId: id,
          patient: identificationOf(consultation.patient),
          deliveryDate: consultation.deliveryDate,
          reference: consultation.reference,
        },
        done: (view) => {
          shared.pending = (shared.pending ?? []).filter((c) => c.id !== id);
          results = [view, ...results.filter((r) => r.id !== view.id)].slice(0, 10);
          focusNext = `result-${view.id}`;
          announce(t("portal.recorded"));
          render();
          refresh();
        },
      }),
    );
  }

  function render() {
    const pending = (shared.pending ?? []).filter((c) => c.fallback?.question);
    $("fallback-none").hidden = shared.pending === null || pending.length > 0;
    syncList(
      $("pending"),
      pending,
      (c) => `${c.id}:${c.fallback.question.node}:${lang()}:${c.fallback.question.text ?? ""}`,
      questionCard,
    );
    syncList($("answered"), results, (r) => `${r.id}:${lang()}`, resultCard);
    if (focusNext) {
      document.getElementById(focusNext)?.focus();
      focusNext = null;
    }
  }

  return {
    load: async () => {},
    render,
    relabel: render,
    reset() {
      results = [];
      render();
    },
  };
}
