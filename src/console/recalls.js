// The recalls page (SPEC §1.4, brochure §9.3.5): fallback deliveries checked online again once
// MyCareNet answered — confirmed, or with differences and what differs (the value the fallback
// used against MyCareNet's) — each marked as handled by the pharmacist once seen.
import { h, syncList } from "./dom.js";
import { portalForm } from "./portal.js";
import { day, lang, patientLabel, t, time, yesNo } from "./i18n.js";

/**
 * An element of index.html by its id. Typed as an input: inputs, buttons and plain elements are
 * looked up alike, and only members they share (or the input's, on inputs) are used.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
const $ = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const STATUSES = ["discrepancy", "confirmed", "pending"];

function shown(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return yesNo(value);
  return String(value);
}

function differencesTable(recall) {
  return h(
    "table",
    { class: "diffs" },
    h("caption", {}, t("recalls.diffs")),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, t("recalls.what")),
        h("th", { scope: "col" }, t("recalls.usedValue")),
        h("th", { scope: "col" }, t("recalls.onlineValue")),
      ),
    ),
    h(
      "tbody",
      {},
      recall.differences.map((d) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, t(`diff.${d.code}`)),
          h("td", {}, shown(d.fallback)),
          h("td", { class: "online" }, shown(d.online)),
        ),
      ),
    ),
  );
}

export function createRecallsPage({ api, shared, announce, errorText, refresh }) {
  let recalls = null;

  async function load() {
    recalls = (await api("GET", "/v1/recalls?handled=false")).recalls;
  }

  async function handle(recall, button) {
    const message = $("recalls-message");
    button.disabled = true;
    try {
      await api("POST", `/v1/recalls/${encodeURIComponent(recall.id)}/handled`);
      recalls = (recalls ?? []).filter((r) => r.id !== recall.id);
      message.textContent = t("recalls.handled");
      announce(message.textContent);
      render();
      $("recalls-title").focus();
      refresh();
    } catch (err) {
      button.disabled = false;
      message.textContent = errorText(err);
    }
  }

  function card(recall) {
    const headingId = `recall-${recall.id}`;
    const ref = recall.reference ?? "—";
    const used = recall.fallback
      ? t("recalls.used", { outcome: t(`outcomeName.${recall.fallback.outcome}`) })
      : null;
    const body = [];
    if (recall.status === "discrepancy") body.push(differencesTable(recall));
    if (recall.status === "confirmed") {
      // A model 704 delivery claimed nothing from the insurer: there are no data to confirm.
      const note =
        recall.fallback?.outcome === "model-704" ? "recalls.confirmed704" : "recalls.confirmedNote";
      body.push(h("p", { class: "ok" }, t(note)));
    }
    if (recall.status === "pending") {
      body.push(h("p", { class: "hint waiting" }, t("recalls.waiting", { attempts: recall.attempts })));
      // SPEC §1.6: the portal's result, typed, answers the recall without asking MyCareNet.
      if (recall.patient && recall.reference)
        body.push(
          portalForm({
            api,
            errorText,
            item: {
              consultationId: recall.consultationId,
              patient: recall.patient,
              deliveryDate: recall.deliveryDate,
              reference: recall.reference,
            },
            done: async () => {
              $("recalls-message").textContent = t("portal.recorded");
              announce(t("portal.recorded"));
              await load();
              render();
              $("recalls-title").focus();
              refresh();
            },
          }),
        );
    }
    if (recall.resolvedAt)
      body.push(h("p", { class: "hint" }, t("recalls.checked", { time: time(recall.resolvedAt) })));
    let button = null;
    if (recall.status !== "pending") {
      button = h(
        "button",
        {
          type: "button",
          "aria-label": t("recalls.handleLabel", { date: day(recall.deliveryDate), ref }),
          onclick: () => handle(recall, button),
        },
        t("recalls.handle"),
      );
    }
    return h(
      "article",
      { class: `card recall ${recall.status}`, "aria-labelledby": headingId },
      h("h4", { id: headingId }, t("recalls.heading", { date: day(recall.deliveryDate), ref })),
      h(
        "ul",
        { class: "plain facts" },
        h("li", {}, t("fallback.patient", { patient: patientLabel(recall.patient) })),
        used ? h("li", {}, used) : null,
      ),
      body,
      button,
    );
  }

  function render() {
    for (const status of STATUSES) {
      const items = (recalls ?? []).filter((r) => r.status === status);
      $(`none-${status}`).hidden = recalls === null || items.length > 0;
      // The attempts change at each probe while MyCareNet is down: updated in place, so that a
      // portal result being typed in the card is not lost.
      syncList(
        $(`list-${status}`),
        items,
        (r) => `${r.id}:${r.status}:${lang()}`,
        card,
        (el, r) => {
          const waiting = el.querySelector(".waiting");
          if (waiting) waiting.textContent = t("recalls.waiting", { attempts: r.attempts });
        },
      );
    }
  }

  $("recalls-run").addEventListener("click", async () => {
    const button = $("recalls-run");
    const message = $("recalls-message");
    button.disabled = true;
    message.textContent = t("recalls.running");
    try {
      const run = await api("POST", "/v1/recalls/run");
      const parts = [
        t("recalls.ran", { consulted: run.consulted, resolved: run.resolved.length, pending: run.pending }),
      ];
      if (run.stopped) parts.push(t(`recalls.stopped.${run.stopped.reason}`));
      message.textContent = parts.join(" ");
      await load();
      render();
      refresh();
    } catch (err) {
      message.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  });

  return {
    load,
    render,
    relabel: render,
    reset() {
      recalls = null;
      $("recalls-message").textContent = "";
      render();
    },
  };
}
