// The eHealth session page (SPEC §1.5): the open sessions with their user and time left, closing
// one, and opening one with the eID (PIN typed here, or on the reader's pinpad) or the personal
// certificate. The PIN is sent once and cleared from the field and from this page's memory after
// each attempt; a wrong PIN is never retried by itself (three wrong PINs lock the card).
import { h, syncList } from "./dom.js";
import { duration, lang, t, time } from "./i18n.js";

/**
 * An element of index.html by its id. Typed as an input: inputs, buttons and plain elements are
 * looked up alike, and only members they share (or the input's, on inputs) are used.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
const $ = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const PIN = /^[0-9]{4,12}$/;

export function createSessionsPage({ api, shared, announce, errorText, refresh }) {
  let method = "eid";
  const left = new WeakMap();

  async function load() {
    const { sessions, methods } = await api("GET", "/v1/sessions");
    shared.sessions = sessions;
    shared.methods = methods;
  }

  async function close(session) {
    const message = $("sessions-message");
    try {
      await api("DELETE", `/v1/sessions/${encodeURIComponent(session.id)}`);
      message.textContent = t("sessions.closed");
      shared.sessions = (shared.sessions ?? []).filter((s) => s.id !== session.id);
      render();
      $("sessions-title").focus();
      refresh();
    } catch (err) {
      message.textContent = errorText(err);
    }
  }

  function row(session) {
    const cell = h("td", {});
    const tr = h(
      "tr",
      {},
      h(
        "td",
        {},
        session.user.name,
        h("br"),
        // null: another pharmacist than the titular who gave no NIHII at opening (README)
        h("span", { class: "hint" }, session.user.nihii ?? t("sessions.nihiiUnknown")),
      ),
      h("td", {}, t(`method.${session.method}`)),
      h("td", {}, time(session.createdAt)),
      cell,
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            class: "danger",
            "aria-label": t("sessions.closeLabel", {
              user: session.user.name,
              time: time(session.createdAt),
            }),
            onclick: () => close(session),
          },
          t("sessions.close"),
        ),
      ),
    );
    left.set(tr, cell);
    return tr;
  }

  function renderMethods() {
    const available = shared.methods ?? [];
    if (available.length > 0 && !available.includes(method)) method = available[0];
    for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (
      document.querySelectorAll("[data-method]")
    )) {
      const m = button.dataset.method;
      const usable = available.length === 0 || available.includes(m);
      button.setAttribute("aria-pressed", String(m === method));
      button.disabled = !usable;
      button.textContent = usable ? t(`method.${m}`) : `${t(`method.${m}`)} ${t("sessions.unavailable")}`;
    }
    $("pin-block").hidden = method !== "eid";
    $("pin").disabled = $("pinpad").checked;
  }

  function render() {
    const sessions = shared.sessions ?? [];
    $("sessions-none").hidden = shared.sessions === null || sessions.length > 0;
    $("sessions-table").hidden = sessions.length === 0;
    syncList(
      $("sessions-rows"),
      sessions,
      (s) => `${s.id}:${lang()}`,
      row,
      (tr, s) => {
        left.get(tr).textContent = duration(s.secondsLeft ?? 0);
      },
    );
    renderMethods();
  }

  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (
    document.querySelectorAll("[data-method]")
  )) {
    button.addEventListener("click", () => {
      method = button.dataset.method;
      $("open-error").textContent = "";
      renderMethods();
    });
  }
  $("pinpad").addEventListener("change", () => {
    $("pin").value = "";
    renderMethods();
  });

  $("open-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = $("pin");
    const error = $("open-error");
    const submit = $("open-submit");
    const message = $("sessions-message");
    const pinpad = $("pinpad").checked;
    const body = { method };
    if (method === "eid" && !pinpad) {
      body.pin = field.value;
      field.value = "";
      if (!PIN.test(body.pin)) {
        delete body.pin;
        error.textContent = t("sessions.pinFormat");
        field.focus();
        return;
      }
    }
    error.textContent = "";
    message.textContent = t("sessions.opening");
    submit.disabled = true;
    try {
      const session = await api("POST", "/v1/sessions", body);
      message.textContent = t("sessions.opened", {
        user: session.user.name,
        time: time(session.notOnOrAfter),
      });
      announce(message.textContent);
      refresh();
    } catch (err) {
      message.textContent = "";
      error.textContent = errorText(err);
      if (method === "eid" && !pinpad) field.focus();
    } finally {
      // Used once: gone from the request object too (the field was cleared before sending).
      delete body.pin;
      field.value = "";
      submit.disabled = false;
    }
  });

  return {
    load,
    render,
    relabel: render,
    reset() {
      shared.sessions = null;
      $("sessions-message").textContent = "";
      $("open-error").textContent = "";
      $("pin").value = "";
    },
  };
}
