// The status page: is MyCareNet answering (live), which eHealth sessions are open and for how
// long, what waits for the pharmacist, and the proportionality guard with its lift.
import { clear, h } from "./dom.js";
import { duration, reasonText, t, time } from "./i18n.js";

/**
 * An element of index.html by its id. Typed as an input: inputs, buttons and plain elements are
 * looked up alike, and only members they share (or the input's, on inputs) are used.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
const $ = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

export function createStatusPage({ api, shared, announce, errorText, refresh }) {
  let proportionality = null;

  async function load() {
    const [sessions, guard] = await Promise.allSettled([
      api("GET", "/v1/sessions"),
      api("GET", "/v1/proportionality"),
    ]);
    if (sessions.status === "fulfilled") {
      shared.sessions = sessions.value.sessions;
      shared.methods = sessions.value.methods;
    }
    if (guard.status === "fulfilled") proportionality = guard.value;
  }

  function renderMyCareNet() {
    const health = shared.health;
    const state = shared.healthError ? "down" : (health?.mycarenet?.state ?? "unknown");
    const big = $("st-mcn");
    big.className = `big ${state}`;
    big.textContent = {
      reachable: t("mcn.reachable"),
      unreachable: t("mcn.unreachable"),
      unknown: t("mcn.unknown"),
      down: t("mcn.daemonDown"),
    }[state];
    const circuit = health?.mycarenet?.circuit;
    const lines = [];
    if (health?.mycarenet?.since) lines.push(t("mcn.since", { time: time(health.mycarenet.since) }));
    if (circuit?.state === "open") lines.push(t("mcn.circuitOpen"));
    if (circuit?.lastOutage) {
      lines.push(
        t("mcn.lastOutage", { kind: reasonText(circuit.lastOutageKind), time: time(circuit.lastOutage) }),
      );
    }
    $("st-mcn-detail").replaceChildren(...lines.map((line) => h("p", { class: "hint" }, line)));
    $("st-version").textContent = health
      ? t("status.version", { version: health.version, env: health.environment })
      : "";
  }

  function renderSessions() {
    const list = $("st-sessions");
    clear(list);
    const sessions = shared.sessions ?? [];
    for (const s of sessions) {
      list.append(
        h(
          "li",
          {},
          t("status.sessionLine", {
            user: s.user.name,
            method: t(`method.${s.method}`),
            left: duration(s.secondsLeft ?? 0),
          }),
        ),
      );
    }
    $("st-no-session").hidden = shared.sessions === null || sessions.length > 0;
  }

  function renderWork() {
    $("st-fallback").textContent = t("status.fallback", { n: shared.pending?.length ?? 0 });
    const recalls = shared.health?.recalls ?? { pending: 0, discrepanciesOpen: 0 };
    $("st-recalls").textContent = t("status.recalls", {
      pending: recalls.pending,
      open: recalls.discrepanciesOpen,
    });
  }

  function renderProportionality() {
    const p = proportionality;
    const state = p?.state ?? shared.health?.proportionality?.state ?? "ok";
    const line = $("st-prop");
    line.className = state === "alert" ? "warn" : "";
    line.textContent =
      state === "lifted" && p?.lift
        ? t("prop.lifted", { by: p.lift.liftedBy, reason: p.lift.reason })
        : t(`prop.${state}`);
    const alerts = $("st-prop-alerts");
    clear(alerts);
    for (const a of p?.alerts ?? []) {
      const rule = t(`prop.rule.${a.rule}`, { limit: a.limit });
      alerts.append(
        h(
          "li",
          {},
          t("prop.alertLine", { rule, refusals: a.refusals, first: time(a.firstAt), last: time(a.lastAt) }),
        ),
      );
    }
    $("lift-form").hidden = state !== "alert";
  }

  function render() {
    renderMyCareNet();
    renderSessions();
    renderWork();
    renderProportionality();
  }

  $("lift-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = $("lift-reason");
    const error = $("lift-error");
    if (!reason.value.trim()) {
      error.textContent = t("prop.reasonEmpty");
      reason.focus();
      return;
    }
    try {
      await api("POST", "/v1/proportionality/lift", { reason: reason.value.trim() });
      reason.value = "";
      error.textContent = "";
      announce(t("prop.liftedDone"));
      $("st-prop").focus();
      refresh();
    } catch (err) {
      error.textContent = errorText(err);
    }
  });

  return {
    load,
    render,
    relabel: render,
    reset() {
      proportionality = null;
      shared.sessions = null;
    },
  };
}
