// The console's shell: the pharmacist's token, the pages (#status, #sessions, #fallback,
// #recalls, #mandates), the language, and a light refresh every few seconds while the tab is visible.
//
// The token is kept in sessionStorage: it survives a reload of the tab but is forgotten when
// the tab or the browser closes, so that on a counter computer shared with assistants the
// pharmacist's rights do not stay behind. It never appears in a URL, and "Forget the token"
// removes it at once.
import { createApi } from "./api.js";
import { lang, setLang, t, time, translatePage } from "./i18n.js";
import { createFallbackPage } from "./fallback.js";
import { createMandatesPage } from "./mandates.js";
import { createRecallsPage } from "./recalls.js";
import { createSessionsPage } from "./sessions.js";
import { createStatusPage } from "./status.js";

const TOKEN_KEY = "mcn-console-token";
const REFRESH_MS = 5000;
/**
 * An element of index.html by its id. Typed as an input: inputs, buttons and plain elements are
 * looked up alike, and only members they share (or the input's, on inputs) are used.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
const $ = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

const tokens = {
  get() {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  },
  clear() {
    try {
      sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      /* nothing kept */
    }
  },
};

/** A message read out by screen readers at once (aria-live). */
function announce(message) {
  const el = $("announce");
  el.textContent = "";
  setTimeout(() => {
    el.textContent = message;
  }, 30);
}

/** The problem's own message (already in the chosen language), or what went wrong on the way. */
function errorText(err) {
  if (err?.status === 0) return t("error.network");
  const text = err?.problem?.title ?? t("error.unknown", { status: err?.status ?? "?" });
  // A wrong PIN: what the card says of the tries left (the daemon never retries).
  if (err?.problem?.triesLeft === 1) return `${text} ${t("pin.finalTry")}`;
  if (err?.problem?.pinCountLow === true) return `${text} ${t("pin.countLow")}`;
  return text;
}

const api = createApi({ token: tokens.get, lang, onUnauthorized: () => signOut(t("token.again")) });
const shared = { health: null, healthError: false, pending: null, sessions: null, methods: [] };
const ctx = { api, shared, announce, errorText, refresh: () => refreshSoon() };
const pages = {
  status: createStatusPage(ctx),
  sessions: createSessionsPage(ctx),
  fallback: createFallbackPage(ctx),
  recalls: createRecallsPage(ctx),
  mandates: createMandatesPage(ctx),
};
let current = "status";

function renderBadge() {
  const badge = $("mcn-badge");
  const state = shared.healthError ? "down" : (shared.health?.mycarenet?.state ?? "unknown");
  const label = {
    reachable: t("mcn.reachable"),
    unreachable: t("mcn.unreachable"),
    "no-session": t("mcn.noSession"),
    unknown: t("mcn.unknown"),
    down: t("mcn.daemonDown"),
  }[state];
  const since = shared.health?.mycarenet?.since;
  const text = since && state !== "down" ? `${label} — ${t("mcn.since", { time: time(since) })}` : label;
  if (badge.textContent !== text) badge.textContent = text;
  badge.className = `badge ${state}`;

  const pending = shared.pending?.length ?? 0;
  const open = shared.health?.recalls?.discrepanciesOpen ?? 0;
  for (const [id, n] of [
    ["count-fallback", pending],
    ["count-recalls", open],
  ]) {
    const el = $(id);
    el.hidden = n === 0;
    el.textContent = String(n);
  }
}

async function loadHealth() {
  try {
    shared.health = await api("GET", "/v1/health");
    shared.healthError = false;
  } catch {
    shared.healthError = true;
  }
}

let seenPending = null;
async function loadPending() {
  const { consultations } = await api("GET", "/v1/fallback/pending");
  shared.pending = consultations;
  const ids = new Set(consultations.map((c) => c.id));
  if (seenPending && consultations.some((c) => !seenPending.has(c.id))) announce(t("fallback.new"));
  seenPending = ids;
}

let busy = false;
let again = false;
async function refresh() {
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  try {
    const signedIn = tokens.get() !== null;
    await Promise.allSettled([
      loadHealth(),
      signedIn ? loadPending() : null,
      signedIn ? pages[current].load() : null,
    ]);
    renderBadge();
    if (tokens.get() !== null) pages[current].render();
  } finally {
    busy = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

let timer;
function refreshSoon() {
  clearTimeout(timer);
  void refresh();
  timer = setTimeout(function tick() {
    if (!document.hidden) void refresh();
    timer = setTimeout(tick, REFRESH_MS);
  }, REFRESH_MS);
}

function showOnly(name) {
  for (const section of /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll("main > section.page")
  )) {
    section.hidden = section.id !== `page-${name}`;
  }
}

function route(focus) {
  const signedIn = tokens.get() !== null;
  for (const id of ["nav", "refresh", "forget"]) $(id).hidden = !signedIn;
  if (!signedIn) {
    showOnly("token");
    document.title = `${t("token.title")} — mcn-rights`;
    if (focus) $("token-input").focus();
    return;
  }
  const wanted = location.hash.slice(1);
  current = pages[wanted] ? wanted : "status";
  showOnly(current);
  for (const link of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#nav a"))) {
    if (link.dataset.page === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${t(`nav.${current}`)} — mcn-rights`;
  pages[current].render();
  if (focus) $(`${current}-title`).focus();
  refreshSoon();
}

function signOut(message) {
  tokens.clear();
  seenPending = null;
  for (const page of Object.values(pages)) page.reset();
  shared.pending = null;
  $("token-error").textContent = message ?? "";
  route(true);
}

async function submitToken(event) {
  event.preventDefault();
  const input = $("token-input");
  const error = $("token-error");
  const value = input.value.trim();
  input.value = "";
  if (!value) {
    error.textContent = t("token.empty");
    input.focus();
    return;
  }
  const check = createApi({ token: () => value, lang, onUnauthorized: () => {} });
  try {
    await check("GET", "/v1/sessions");
  } catch (err) {
    error.textContent =
      err.status === 401 ? t("token.invalid") : err.status === 403 ? t("token.forbidden") : errorText(err);
    input.focus();
    return;
  }
  error.textContent = "";
  tokens.set(value);
  route(true);
}

function applyLanguage(value) {
  setLang(value);
  translatePage();
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-lang]"))) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang()));
  }
  for (const page of Object.values(pages)) page.relabel();
  renderBadge();
  route(false);
}

function start() {
  translatePage();
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-lang]"))) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang()));
    button.addEventListener("click", () => applyLanguage(button.dataset.lang));
  }
  $("token-form").addEventListener("submit", submitToken);
  $("refresh").addEventListener("click", () => refreshSoon());
  $("forget").addEventListener("click", () => signOut(""));
  window.addEventListener("hashchange", () => route(true));
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refreshSoon();
  });
  route(false);
  if (tokens.get() === null) refreshSoon();
}

start();
