// The pharmacist's console end to end, in a real browser (Debian's Chromium, headless, driven
// by playwright-core) against the daemon in demo mode and the simulator on loopback. Keyboard
// only: every action is a key press on a focused element. Each page is photographed into
// tests/artifacts/console/ (git-ignored) for a person to look at.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { messageFor } from "../../src/errors.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { testPki } from "../support/pki.js";
import { startStack, type Stack } from "../support/stack.js";

const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), "../artifacts/console");
const CHROMIUM = "/usr/bin/chromium";
const today = brusselsDay(new Date());
const yesterday = addDays(today, -1);
const WAIT = { timeout: 20_000 };

let stack: Stack;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const problems: string[] = [];
const sessionPosts: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Keyboard only: focus the control (as Tab would) and press the key a person would. */
async function press(locator: ReturnType<Page["locator"]>, key: "Enter" | "Space" = "Enter") {
  await locator.focus();
  await page.keyboard.press(key);
}

async function typeInto(locator: ReturnType<Page["locator"]>, text: string) {
  await locator.focus();
  await page.keyboard.type(text);
}

async function go(name: "État" | "Session eHealth" | "Questions de secours" | "Rappels" | RegExp) {
  await press(page.locator("#nav a").filter({ hasText: name }));
}

async function consult(niss: string, deliveryDate: string, reference: string) {
  const res = await stack.request("POST", "/v1/consultations", {
    body: { patient: { niss }, deliveryDate, reference },
  });
  expect(res.status).toBe(201);
  return res.json as { id: string; outcome: string };
}

const card = (reference: string) => page.locator("#pending article").filter({ hasText: reference });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack({
    session: false,
    env: {
      MCN_TIMEOUT_MS: "600",
      MCN_CIRCUIT_THRESHOLD: "2",
      MCN_PROBE_MS: "200",
      MCN_CACHE_TTL_MS: "1",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "6",
    },
  });
  userDataDir = mkdtempSync(join(tmpdir(), "mcn-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    timezoneId: "Europe/Brussels",
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    // A refused token is a 401 the browser logs as a failed load: expected on the token page.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource"))
      problems.push(msg.text());
  });
  page.on("request", (req) => {
    if (req.method() === "POST" && req.url().endsWith("/v1/sessions"))
      sessionPosts.push(req.postData() ?? "");
  });
}, 90_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await stack?.stop();
});

describe("the pharmacist console in a browser", () => {
  it("is served to anyone and asks for the pharmacist's token once", async () => {
    const res = await page.goto(`${stack.daemon.url}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    const input = page.locator("#token-input");
    await input.waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBeDefined();
    await shot("01-token");

    await typeInto(input, "not-a-token");
    await page.keyboard.press("Enter");
    await page.getByText("Ce jeton n'est pas reconnu par le démon.").waitFor(WAIT);
    await typeInto(input, stack.tokens.dispensing);
    await page.keyboard.press("Enter");
    await page.getByText("Ce jeton n'est pas celui d'un pharmacien.").waitFor(WAIT);
    await typeInto(input, stack.tokens.pharmacist);
    await page.keyboard.press("Enter");
    await page.locator("#page-status").waitFor({ state: "visible" });

    const kept = await page.evaluate(() => ({
      session: sessionStorage.getItem("mcn-console-token"),
      local: JSON.stringify(localStorage),
      url: location.href,
    }));
    expect(kept.session).toBe(stack.tokens.pharmacist);
    expect(kept.local).not.toContain(stack.tokens.pharmacist);
    expect(kept.url).not.toContain(stack.tokens.pharmacist);
  });

  // Changed on purpose (issue 13): no session open is shown in red like an outage.
  it("status: no session open yet, shown in red as the fallback procedure", async () => {
    await page.locator("#st-no-session").waitFor({ state: "visible" });
    expect(await page.locator("#mcn-badge").textContent()).toContain(
      "Aucune session eHealth ouverte : procédure de secours",
    );
    expect(await page.locator("#mcn-badge").getAttribute("class")).toBe("badge no-session");
    expect(await page.locator("#st-prop").textContent()).toBe("Aucune alerte aujourd'hui.");
    await shot("02-status-no-session");
  });

  it("every control of the page is reached with Tab, with a visible focus", async () => {
    const expected = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>("a[href], button, input, textarea"))
        .filter((el) => el.offsetParent !== null && !(el as HTMLButtonElement).disabled)
        .map((el) => el.id || el.textContent?.trim() || el.outerHTML),
    );
    await page.locator("body").focus();
    const reached = new Set<string>();
    let outlined = 0;
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        return {
          key: el.id || el.textContent?.trim() || el.outerHTML,
          outline: getComputedStyle(el).outlineStyle,
        };
      });
      if (focused) {
        reached.add(focused.key);
        if (focused.outline === "solid") outlined++;
      }
    }
    for (const key of expected) expect(reached, key).toContain(key);
    expect(outlined).toBeGreaterThan(expected.length / 2);
  });

  it("opens an eID session: a wrong PIN is refused, cleared and not retried; then the right PIN", async () => {
    await go("Session eHealth");
    await page.locator("#page-sessions").waitFor({ state: "visible" });
    const pin = page.locator("#pin");
    expect(await pin.getAttribute("type")).toBe("password");
    expect(await pin.getAttribute("autocomplete")).toBe("off");

    await typeInto(pin, "9999");
    await page.keyboard.press("Enter");
    await page.getByText(messageFor("PIN_INCORRECT", "fr")).waitFor(WAIT);
    expect(await pin.inputValue()).toBe("");
    await new Promise((r) => setTimeout(r, 500));
    expect(sessionPosts).toHaveLength(1);
    await shot("03-session-wrong-pin");

    await typeInto(pin, testPki().eid.pin);
    await page.keyboard.press("Enter");
    const eid = testPki().eid;
    await page
      .locator("#sessions-rows tr")
      .filter({ hasText: `${eid.givenName} ${eid.surname}` })
      .waitFor(WAIT);
    expect(await pin.inputValue()).toBe("");
    expect(sessionPosts).toHaveLength(2);
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toContain(eid.pin);
    expect(await page.locator("#sessions-rows").textContent()).toMatch(/1[12] h \d\d min/);
    await shot("04-session-open");
  });

  it("says clearly when the card is absent or locked", async () => {
    for (const [code, status] of [
      ["CARD_ABSENT", 409],
      ["PIN_LOCKED", 423],
    ] as const) {
      // The simulator's SoftHSM eID is always present and never locks: these two answers are
      // the daemon's own problem documents, served to the page in its place.
      await page.route("**/v1/sessions", (route) =>
        route.request().method() === "POST"
          ? route.fulfill({
              status,
              contentType: "application/problem+json",
              body: JSON.stringify({
                type: `urn:mcn-rights:problem:${code}`,
                title: messageFor(code, "fr"),
                status,
                code,
              }),
            })
          : route.continue(),
      );
      await typeInto(page.locator("#pin"), "1234");
      await page.keyboard.press("Enter");
      await page
        .locator("#open-error")
        .filter({ hasText: messageFor(code, "fr") })
        .waitFor(WAIT);
      expect(await page.locator("#pin").inputValue()).toBe("");
      await page.unroute("**/v1/sessions");
    }
    await shot("05-session-card-locked");
  });

  const refs = { lastKnown: "", model704: "", sis: "" };

  it("MyCareNet stops: the status turns red live and the questions wait at the counter", async () => {
    await go("État");
    expect((await consult(SCENARIO_NISS.ordinary, today, "counter-online")).outcome).toBe("online");
    await page.locator("#mcn-badge").filter({ hasText: "MyCareNet répond" }).waitFor(WAIT);

    stack.demo.simulator.faults.set({ all: { kind: "down" } });
    await stack.demo.simulator.settled();
    refs.lastKnown = "counter-lastknown";
    expect((await consult(SCENARIO_NISS.ordinary, yesterday, refs.lastKnown)).outcome).toBe(
      "needs-pharmacist",
    );
    refs.model704 = "counter-704";
    expect((await consult(SCENARIO_NISS.transfer, today, refs.model704)).outcome).toBe("needs-pharmacist");
    refs.sis = "counter-sis";
    expect((await consult(SCENARIO_NISS.preferential, today, refs.sis)).outcome).toBe("needs-pharmacist");
    expect(stack.daemon.circuit.isOpen).toBe(true);

    // The console's queue: the pharmacist's only, newest first, each question in the asked language.
    const asCounter = await stack.request("GET", "/v1/fallback/pending");
    expect(asCounter.json.code).toBe("ROLE_FORBIDDEN");
    const queue = await stack.request("GET", "/v1/fallback/pending", {
      token: stack.tokens.pharmacist,
      headers: { "accept-language": "nl" },
    });
    expect(queue.json.consultations.map((c: { reference: string }) => c.reference)).toEqual([
      refs.sis,
      refs.model704,
      refs.lastKnown,
    ]);
    expect(queue.json.consultations[2].fallback).toMatchObject({
      question: {
        node: 5,
        code: "TRUST_LAST_KNOWN",
        text: expect.stringContaining("Hebt u voldoende elementen"),
      },
      lastKnown: { insured: true },
    });

    await page.locator("#mcn-badge").filter({ hasText: "MyCareNet ne répond pas" }).waitFor(WAIT);
    await page.locator("#count-fallback").filter({ hasText: "3" }).waitFor(WAIT);
    await page
      .locator("#st-fallback")
      .filter({ hasText: "Questions de secours en attente : 3" })
      .waitFor(WAIT);
    await shot("06-status-mycarenet-down");
  });

  it("answers a fallback question to a model 704 outcome", async () => {
    await go(/Questions de secours/);
    await card(refs.model704).waitFor(WAIT);
    await shot("07-fallback-questions");
    const first = card(refs.model704);
    expect(await first.textContent()).toContain("Le patient a-t-il sa carte SIS ?");
    expect(await first.textContent()).toContain("Patient inconnu de la pharmacie");
    await press(first.getByRole("button", { name: "Non, pas de carte SIS" }));
    await card(refs.model704).getByText("Le patient a-t-il un autre document").waitFor(WAIT);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Question 7");
    await press(card(refs.model704).getByRole("button", { name: "Non, aucun document" }), "Space");
    const result = page.locator("#answered article").filter({ hasText: refs.model704 });
    await result.getByText("Délivrance modèle 704, sans tiers payant").waitFor(WAIT);
    expect(await result.textContent()).toContain("Garantie : aucune (pas de tiers payant)");
    await shot("08-fallback-model-704");
  });

  it("answers another to the last known online consultation", async () => {
    const question = card(refs.lastKnown);
    const text = await question.textContent();
    expect(text).toContain("Avez-vous suffisamment d'éléments pour avoir confiance");
    expect(text).toContain(`Dernière consultation en ligne le ${today.split("-").reverse().join("/")}`);
    expect(text).toMatch(/CT1\/CT2 : \d{3}\/\d{3}/);
    await press(question.getByRole("button", { name: "Oui, je me fie à la dernière consultation" }));
    const result = page.locator("#answered article").filter({ hasText: refs.lastKnown });
    await result
      .getByText("dernière consultation d'assurabilité en ligne connue : principe de base")
      .waitFor(WAIT);
    expect(await result.textContent()).toContain("Garantie : principe de base");
    await shot("09-fallback-last-known");
  });

  it("takes the SIS card's data, pointing at a wrong field", async () => {
    const question = card(refs.sis);
    await typeInto(question.getByLabel("CT1 (3 chiffres)"), "110");
    await typeInto(question.getByLabel("CT2 (3 chiffres)"), "110");
    await typeInto(question.getByLabel("Mutualité (3 chiffres)"), "12");
    await press(question.getByRole("button", { name: "Oui, avec les données de la carte" }));
    await question.getByText(messageFor("FALLBACK_DATA_INVALID", "fr")).waitFor(WAIT);
    const mutuality = question.getByLabel("Mutualité (3 chiffres)");
    expect(await mutuality.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("mutuality");
    await page.keyboard.type("1");
    await press(question.getByRole("button", { name: "Oui, avec les données de la carte" }));
    const result = page.locator("#answered article").filter({ hasText: refs.sis });
    await result.getByText("données de la carte SIS : engagement de paiement SIS").waitFor(WAIT);
    expect(await result.textContent()).toContain("CT1 110, CT2 110, mutualité 121");
    await page.locator("#fallback-none").waitFor({ state: "visible" });
    await shot("10-fallback-sis-card");
  });

  it("MyCareNet is back: the recalls come, confirmed or with what differs; one is marked handled", async () => {
    stack.demo.simulator.faults.clear();
    await stack.demo.simulator.settled();
    await page.locator("#mcn-badge").filter({ hasText: "MyCareNet répond" }).waitFor(WAIT);
    await go(/Rappels/);
    const discrepancy = page.locator("#list-discrepancy article").filter({ hasText: refs.sis });
    await discrepancy.waitFor(WAIT);
    for (const ref of [refs.model704, refs.lastKnown]) {
      await page.locator("#list-confirmed article").filter({ hasText: ref }).waitFor(WAIT);
    }
    // a model 704 delivery claimed nothing: nothing to confirm, and the card says so
    const confirmed704 = page.locator("#list-confirmed article").filter({ hasText: refs.model704 });
    expect(await confirmed704.textContent()).toContain("rien n'a été facturé à la mutualité");
    const confirmedLastKnown = page.locator("#list-confirmed article").filter({ hasText: refs.lastKnown });
    expect(await confirmedLastKnown.textContent()).toContain("MyCareNet confirme les données utilisées");
    const rows = await discrepancy.locator("tbody tr").allTextContents();
    expect(rows).toEqual([
      "CT1110131",
      "CT2110131",
      "Mutualité121311",
      "Union nationale100300",
      "Intervention majoréenonoui",
    ]);
    await page.locator("#count-recalls").filter({ hasText: "1" }).waitFor(WAIT);
    await shot("11-recalls");

    await press(discrepancy.getByRole("button", { name: /Marquer comme traité/ }), "Space");
    await page.locator("#recalls-message").filter({ hasText: "Rappel marqué comme traité." }).waitFor(WAIT);
    await discrepancy.waitFor({ state: "detached" });
    const handled = (
      await stack.request("GET", "/v1/recalls?status=discrepancy", { token: stack.tokens.pharmacist })
    ).json.recalls as Array<{ reference: string; handled: { by: string } | null }>;
    expect(handled.find((r) => r.reference === refs.sis)?.handled?.by).toBe("pharmacist");
    await page.locator("#count-recalls").waitFor({ state: "hidden" });
    await shot("12-recall-handled");
  }, 60_000);

  it("switches to Dutch and English, remembered across a reload, and asks the API in that language", async () => {
    await press(page.locator("button[data-lang=nl]"));
    await page.locator("#nav a").filter({ hasText: "Hercontroles" }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("nl");
    const asked = page.waitForRequest((req) => req.url().endsWith("/v1/fallback/pending"));
    await page.reload();
    expect((await asked).headers()["accept-language"]).toBe("nl");
    await page.locator("#recalls-title").filter({ hasText: "Hercontroles" }).waitFor(WAIT);
    await page.locator("#list-confirmed article").first().waitFor(WAIT);
    await shot("13-recalls-nl");
    await go(/Status/);
    await page.locator("#st-sessions li").first().waitFor(WAIT);
    await shot("14-status-nl");

    await press(page.locator("button[data-lang=en]"));
    await page.locator("#status-title").filter({ hasText: "Status" }).waitFor(WAIT);
    await page.locator("#mcn-badge").filter({ hasText: "MyCareNet answers" }).waitFor(WAIT);
    await go(/eHealth session/);
    await typeInto(page.locator("#pin"), "12");
    await page.keyboard.press("Enter");
    await page.locator("#open-error").filter({ hasText: "The PIN has 4 to 12 digits." }).waitFor(WAIT);
    expect(sessionPosts).toHaveLength(4);
    await shot("15-session-en");
  });

  it("a bulk pattern raises the proportionality alert; the pharmacist lifts it for the day", async () => {
    await press(page.locator("button[data-lang=fr]"));
    const people = stack.demo.simulator.population.people
      .map((p) => p.niss)
      .filter((n): n is string => n !== undefined)
      .slice(20, 40);
    let refused = 0;
    for (const [i, niss] of people.entries()) {
      const res = await stack.request("POST", "/v1/consultations", {
        body: { patient: { niss }, reference: `bulk-${i}` },
      });
      if (res.status === 429) refused++;
      if (refused > 0) break;
    }
    expect(refused).toBe(1);
    await go("État");
    await page.locator("#st-prop").filter({ hasText: "Alerte" }).waitFor(WAIT);
    expect(await page.locator("#st-prop-alerts li").first().textContent()).toContain(
      "plus de 6 patients sans délivrance confirmée : 1 refus",
    );
    await shot("16-status-proportionality-alert");

    const lift = page.getByRole("button", { name: "Lever le blocage pour aujourd'hui" });
    await press(lift);
    await page.locator("#lift-error").filter({ hasText: "Indiquez la raison." }).waitFor(WAIT);
    await typeInto(page.locator("#lift-reason"), "Campagne de vaccination : une délivrance par patient");
    await press(lift);
    await page
      .locator("#st-prop")
      .filter({ hasText: "Blocage levé pour aujourd'hui par pharmacist" })
      .waitFor(WAIT);
    await lift.waitFor({ state: "hidden" });
    await shot("17-status-proportionality-lifted");
  });

  it("the titular pharmacist gives a mandate, sees it and revokes it; a wrong BCE number is pointed at", async () => {
    await go(/Mandats/);
    await page.locator("#mandates-none").waitFor({ state: "visible", ...WAIT });
    await typeInto(page.locator("#mandate-id"), "0403.170.702");
    await typeInto(page.locator("#mandate-name"), "Office de tarification du Parc");
    await typeInto(page.locator("#mandate-from"), today);
    await typeInto(page.locator("#mandate-until"), addDays(today, 30));
    await typeInto(page.locator("#mandate-reference"), "MAND-2026-07");
    const give = page.getByRole("button", { name: "Enregistrer le mandat" });
    await press(give);
    await page
      .locator("#mandate-error")
      .filter({ hasText: messageFor("BCE_CHECKSUM", "fr") })
      .waitFor(WAIT);
    expect(await page.locator("#mandate-id").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("mandate-id");
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("1");
    await press(give);
    await page.locator("#mandates-message").filter({ hasText: "Mandat enregistré." }).waitFor(WAIT);
    const row = page.locator("#mandates-rows tr").filter({ hasText: "MAND-2026-07" });
    expect(await row.textContent()).toContain("en vigueur");
    expect(await row.textContent()).toContain("0403170701");
    const listed = await stack.request("GET", "/v1/mandates", { token: stack.tokens.pharmacist });
    expect(listed.json.mandates.map((m: { state: string }) => m.state)).toEqual(["active"]);
    await shot("18-mandate-given");

    await press(row.getByRole("button", { name: /Révoquer le mandat de Office de tarification du Parc/ }));
    await page.locator("#mandates-message").filter({ hasText: "Mandat révoqué" }).waitFor(WAIT);
    await row.filter({ hasText: "révoqué" }).waitFor(WAIT);
    expect(await row.getByRole("button").count()).toBe(0);
    const after = await stack.request("GET", "/v1/mandates", { token: stack.tokens.pharmacist });
    expect(after.json.mandates.map((m: { state: string }) => m.state)).toEqual(["revoked"]);
    await shot("19-mandate-revoked");
  });

  /** Types a portal result into the card's form (opened from its summary) and sends it. */
  async function typePortal(scope: ReturnType<Page["locator"]>, date: string, approval: string) {
    await press(scope.locator("summary"));
    await typeInto(scope.getByLabel("CT1 lu sur le portail"), "110");
    await typeInto(scope.getByLabel("CT2 lu sur le portail"), "110");
    await typeInto(scope.getByLabel("Mutualité lue sur le portail"), "319");
    await typeInto(scope.getByLabel("Couverture jusqu'au (AAAA-MM-JJ)"), addDays(date, 29));
    await typeInto(scope.getByLabel("Engagement de paiement (32 caractères)"), approval);
    await typeInto(scope.getByLabel("Seed (10 caractères)"), "5765675776");
    await typeInto(scope.getByLabel("Code contrôle OT (2 caractères)"), "SR");
    await press(scope.getByRole("button", { name: "Enregistrer le résultat du portail" }));
  }

  it("MyCareNet down again: a pending recall is settled by typing the portal's result", async () => {
    stack.demo.simulator.faults.set({ all: { kind: "down" } });
    await stack.demo.simulator.settled();
    const ref = "counter-portal-recall";
    const asked = await consult(SCENARIO_NISS.ordinary, yesterday, ref);
    expect(asked.outcome).toBe("needs-pharmacist");
    // The pharmacist answers at the counter (the SIS card): a fallback delivery, queued for recall.
    const node = (asked as unknown as { fallback: { question: { node: number } } }).fallback.question.node;
    const answered = await stack.request("POST", `/v1/consultations/${asked.id}/fallback-answers`, {
      token: stack.tokens.pharmacist,
      body: {
        answers:
          node === 5
            ? [{ node: 5, answer: true }]
            : [{ node: 6, answer: true, data: { ct1: "110", ct2: "110", mutuality: "319" } }],
      },
    });
    expect(answered.status).toBe(200);
    await go(/Rappels/);
    const recallCard = page.locator("#list-pending article").filter({ hasText: ref });
    await recallCard.waitFor(WAIT);
    await typePortal(recallCard, yesterday, `PORTALRECALL${"0".repeat(20)}`);
    await page
      .locator("#recalls-message")
      .filter({ hasText: "Résultat du portail enregistré" })
      .waitFor(WAIT);
    await page
      .locator("#list-confirmed article, #list-discrepancy article")
      .filter({ hasText: ref })
      .waitFor(WAIT);
    const recalls = await stack.request("GET", "/v1/recalls", { token: stack.tokens.pharmacist });
    const recall = recalls.json.recalls.find(
      (r: { consultationId: string }) => r.consultationId === asked.id,
    );
    expect(recall.status).not.toBe("pending");
    const online = await stack.request("GET", `/v1/consultations/${recall.online.consultationId}`);
    expect(online.json).toMatchObject({ source: "portal", import: { typedBy: { name: "pharmacist" } } });
    await shot("20-recall-portal");
  }, 60_000);

  it("a pending fallback question is settled by typing the portal's result", async () => {
    const ref = "counter-portal-question";
    const asked = await consult(SCENARIO_NISS.consecutiveSameStatus, yesterday, ref);
    expect(asked.outcome).toBe("needs-pharmacist");
    await go(/Questions de secours/);
    const question = card(ref);
    await question.waitFor(WAIT);
    await typePortal(question, yesterday, `PORTALQUESTION${"0".repeat(18)}`);
    const result = page.locator("#answered article").filter({ hasText: ref });
    await result.getByText("Résultat du portail saisi par pharmacist.").waitFor(WAIT);
    await card(ref).waitFor({ state: "detached", ...WAIT });
    const queue = await stack.request("GET", "/v1/fallback/pending", { token: stack.tokens.pharmacist });
    expect(queue.json.consultations.map((c: { reference: string }) => c.reference)).not.toContain(ref);
    await shot("21-fallback-portal");
    stack.demo.simulator.faults.clear();
    await stack.demo.simulator.settled();
    await page.locator("#mcn-badge").filter({ hasText: "MyCareNet répond" }).waitFor(WAIT);
  }, 60_000);

  it("closes the session; the status then says none is open", async () => {
    await go("Session eHealth");
    await press(page.locator("#sessions-rows button").first());
    await page.locator("#sessions-message").filter({ hasText: "Session fermée." }).waitFor(WAIT);
    expect(stack.daemon.sessions.openCount).toBe(0);
    await go("État");
    await page.locator("#st-no-session").waitFor({ state: "visible" });
    await shot("22-status-session-closed");
  });

  it("ran without a script error or a Content-Security-Policy violation", () => {
    expect(problems).toEqual([]);
  });
});
