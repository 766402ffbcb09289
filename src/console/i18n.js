// The chosen language (FR by default, remembered in localStorage: it is no secret) and the
// formats of the counter: Brussels calendar days and times whatever the computer's zone.
import { LANGS, texts } from "./texts.js";

const KEY = "mcn-console-lang";
const LOCALES = { fr: "fr-BE", nl: "nl-BE", en: "en-GB" };
const ZONE = "Europe/Brussels";

function stored() {
  try {
    const value = localStorage.getItem(KEY);
    return LANGS.includes(value) ? value : "fr";
  } catch {
    return "fr";
  }
}

let current = stored();

export const lang = () => current;

export function setLang(value) {
  if (!LANGS.includes(value)) return;
  current = value;
  try {
    localStorage.setItem(KEY, value);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

export function t(key, vars = {}) {
  const text = texts[current][key] ?? texts.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** Static texts of the page: data-i18n (content) and data-i18n-label (aria-label). */
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n]")))
    el.textContent = t(el.dataset.i18n);
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n-label]")))
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
}

/** 2025-03-14 → 14/03/2025 (a calendar day: no time zone involved). */
export function day(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "—";
}

/** An instant as the counter's clock shows it; with the day when it is not today. */
export function time(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  const locale = LOCALES[current];
  const dayOf = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(d);
  const clock = new Intl.DateTimeFormat(locale, {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
  return dayOf(date) === dayOf(new Date()) ? clock : `${day(dayOf(date))} ${clock}`;
}

export function duration(seconds) {
  const total = Math.max(0, Math.floor(seconds / 60));
  return t("time.left", { h: Math.floor(total / 60), m: String(total % 60).padStart(2, "0") });
}

export const yesNo = (value) => (value === true ? t("yes") : value === false ? t("no") : "—");

/** NISS 85073003328 → 85.07.30-033.28, the way it is printed on the eID. */
export function niss(value) {
  return /^\d{11}$/.test(value ?? "")
    ? `${value.slice(0, 2)}.${value.slice(2, 4)}.${value.slice(4, 6)}-${value.slice(6, 9)}.${value.slice(9)}`
    : (value ?? "—");
}

export function patientLabel(patient) {
  if (!patient) return "—";
  if (patient.niss) return niss(patient.niss);
  return `${patient.mutuality ?? "?"} / ${patient.registrationNumber ?? "?"}`;
}

/** Why the fallback started (an outage kind), in words; the raw kind when it is new to us. */
export function reasonText(kind) {
  const key = `reason.${kind}`;
  const text = t(key);
  return text === key ? (kind ?? "—") : text;
}
