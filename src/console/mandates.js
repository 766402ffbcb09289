// The mandates page (SPEC §1.6, brochure §8.2.2.5): the titular pharmacist sees the mandates
// given for the insurability service, gives one (a person by NISS, a pharmacy by NIHII, a
// service provider by BCE/KBO number) and revokes one; a revoked mandate stays listed.
import { h, syncList } from "./dom.js";
import { day, lang, t } from "./i18n.js";

/** @type {(id: string) => HTMLInputElement} */
const $ = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const FIELDS = {
  "mandatary.id": "mandate-id",
  "mandatary.name": "mandate-name",
  validFrom: "mandate-from",
  validUntil: "mandate-until",
  reference: "mandate-reference",
};

export function createMandatesPage({ api, announce, errorText }) {
  let mandates = null;
  let refused = null;

  async function load() {
    try {
      mandates = (await api("GET", "/v1/mandates")).mandates;
      refused = null;
    } catch (err) {
      mandates = [];
      refused = errorText(err);
    }
  }

  async function revoke(mandate, button) {
    const message = $("mandates-message");
    button.disabled = true;
    try {
      await api("DELETE", `/v1/mandates/${encodeURIComponent(mandate.id)}`);
      message.textContent = t("mandates.revokedDone");
      announce(message.textContent);
      await load();
      render();
      $("mandates-title").focus();
    } catch (err) {
      button.disabled = false;
      message.textContent = errorText(err);
    }
  }

  function row(m) {
    const cells = [
      h("td", {}, t(`mandates.kind.${m.mandatary.kind}`)),
      h("td", {}, m.mandatary.name),
      h("td", {}, m.mandatary.id),
      h("td", {}, `${day(m.validFrom)} – ${day(m.validUntil)}`),
      h("td", {}, m.reference),
      h("td", { class: `state ${m.state}` }, t(`mandates.state.${m.state}`)),
    ];
    let button = null;
    if (m.state !== "revoked" && m.state !== "expired") {
      button = h(
        "button",
        {
          type: "button",
          "aria-label": t("mandates.revokeLabel", { name: m.mandatary.name, ref: m.reference }),
          onclick: () => revoke(m, button),
        },
        t("mandates.revoke"),
      );
    }
    return h("tr", { "data-id": m.id }, cells, h("td", {}, button));
  }

  function render() {
    const list = mandates ?? [];
    $("mandates-none").hidden = mandates === null || list.length > 0 || refused !== null;
    $("mandates-table").hidden = list.length === 0;
    $("mandates-refused").textContent = refused ?? "";
    $("mandate-form").hidden = refused !== null;
    syncList($("mandates-rows"), list, (m) => `${m.id}:${m.state}:${lang()}`, row);
  }

  $("mandate-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (/** @type {unknown} */ ($("mandate-form")));
    const error = $("mandate-error");
    const v = (id) => $(id).value.trim();
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    error.textContent = "";
    try {
      await api("POST", "/v1/mandates", {
        mandatary: { kind: $("mandate-kind").value, id: v("mandate-id"), name: v("mandate-name") },
        service: "insurability",
        validFrom: v("mandate-from"),
        validUntil: v("mandate-until"),
        reference: v("mandate-reference"),
      });
      form.reset();
      $("mandates-message").textContent = t("mandates.given");
      announce($("mandates-message").textContent);
      await load();
      render();
      $("mandates-title").focus();
    } catch (err) {
      error.textContent = errorText(err);
      // An identifier's code points at the identifier; the others at their field.
      const code = err.code ?? "";
      const field = /^(BCE|NISS|NIHII)_|TO_ITSELF/.test(code)
        ? "mandate-id"
        : /PERIOD|OVERLAP/.test(code)
          ? "mandate-from"
          : FIELDS[(err.problem?.errors?.[0]?.path ?? "").replace(/^body\//, "").replace("/", ".")];
      if (field) {
        $(field).setAttribute("aria-invalid", "true");
        $(field).focus();
      }
    }
  });

  return {
    load,
    render,
    relabel: render,
    reset() {
      mandates = null;
      refused = null;
      $("mandates-message").textContent = "";
      render();
    },
  };
}
