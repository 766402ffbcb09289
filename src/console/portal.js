// The portal's result typed by the pharmacist (SPEC §1.6, brochure §9.3.3): when the pharmacy's
// software could not ask MyCareNet, the pharmacist may have read the patient's rights on the
// MyCareNet portal. Typed here, it is recorded as the consultation of that delivery
// (POST /v1/consultations/import, source "portal") and settles the pending question or recall.
import { h, textField } from "./dom.js";
import { t } from "./i18n.js";

// [name, label key, maxlength]
const FIELDS = [
  ["ct1", "portal.ct1", 3],
  ["ct2", "portal.ct2", 3],
  ["mutuality", "portal.mutuality", 3],
  ["start", "portal.start", 10],
  ["end", "portal.end", 10],
  ["paymentApproval", "portal.paymentApproval", 32],
  ["paymentApprovalSeed", "portal.paymentApprovalSeed", 10],
  ["invoicingOfficeCheckDigit", "portal.checkDigit", 2],
];
const REGIMES = ["standard", "elevated", "none"];
// Where the API points at a typed field (IMPORT_DATA_INVALID errors[].path) → the input's name.
const FIELD_OF = { coverage: "start" };

/**
 * `item`: { consultationId, patient, deliveryDate, reference } of a fallback delivery. `done` is
 * told of the stored consultation.
 */
export function portalForm({ api, errorText, item, done }) {
  const id = item.consultationId;
  const form = h("form", { method: "post", action: "#", novalidate: true, class: "portal" });
  const fields = FIELDS.map(([name, label, max]) => {
    return textField({
      id: `portal-${name}-${id}`,
      name,
      label: t(label),
      maxlength: String(max),
      ...(name === "start" ? { value: item.deliveryDate } : {}),
    });
  });
  const regimeId = `portal-regime-${id}`;
  const error = h("p", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit" }, t("portal.submit"));
  form.append(
    h("p", { class: "hint" }, t("portal.help")),
    ...fields,
    h(
      "div",
      { class: "field" },
      h("label", { for: regimeId }, t("portal.regime")),
      h(
        "select",
        { id: regimeId, name: "thirdPartyPayerRegime" },
        REGIMES.map((r) => h("option", { value: r }, t(`portal.regime.${r}`))),
      ),
    ),
    submit,
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = (name) => form.elements[name].value.trim();
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    error.textContent = "";
    submit.disabled = true;
    try {
      const view = await api("POST", "/v1/consultations/import", {
        patient: item.patient,
        deliveryDate: item.deliveryDate,
        reference: item.reference,
        source: "portal",
        resolves: id,
        portal: {
          ct1: v("ct1"),
          ct2: v("ct2"),
          thirdPartyPayerRegime: form.elements.thirdPartyPayerRegime.value,
          mutuality: v("mutuality"),
          coverage: { start: v("start"), end: v("end") },
          paymentApproval: v("paymentApproval"),
          paymentApprovalSeed: v("paymentApprovalSeed"),
          invoicingOfficeCheckDigit: v("invoicingOfficeCheckDigit"),
        },
      });
      done(view);
    } catch (err) {
      submit.disabled = false;
      error.textContent = errorText(err);
      const paths = (err.problem?.errors ?? []).map((e) => String(e.path).split("/").pop());
      const first = paths.map((p) => form.elements[FIELD_OF[p] ?? p]).find(Boolean);
      for (const p of paths) form.elements[FIELD_OF[p] ?? p]?.setAttribute("aria-invalid", "true");
      first?.focus();
    }
  });
  return h("details", { class: "portal-result" }, h("summary", {}, t("portal.summary")), form);
}
