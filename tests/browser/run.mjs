// A researcher's path through Vårdkatalogen in a real browser (Debian's headless Chromium)
// (with type-ahead in the search box at the end),
// and an axe-core accessibility check of the home, search, variable, list, collection,
// delivery-check, validator and rules pages, the quality pages and the EHDS readiness table;
// then a variable cited by its version, a breaking change on /andringar and a page as of a date.
// Signed in, it fills the variable form through its table of contents and pickers (at 375 px too).
//
// With an admin's name and password, it also signs in with the keyboard and checks the
// curation pages: the edit forms, the import, the work list, history and the admin pages.
// With an editor's name and password too, the editor imports the template workbook from the
// import page and sends the result for review in one step; the admin's publication of one of
// its variables alone is refused (its dataset is a draft), publishing all of it together is not.
//
// Appended at the end: a variable's documentation (missing values, temporality, unit type) and
// its codes' validity table with bars, a per-holder request downloaded, a list saved while
// signed in and its Atom feed, and the type-ahead, citation, changes and as-of pages at 375 px.
//
// Usage: node run.mjs http://127.0.0.1:PORT [ADMIN_NAME ADMIN_PASSWORD [EDITOR_NAME EDITOR_PASSWORD]]
// Prints one JSON object; exits 1 when a step fails or axe finds serious or critical violations.

import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const base = process.argv[2];
const [adminName, adminPassword] = [process.argv[3], process.argv[4]];
const [editorName, editorPassword] = [process.argv[5], process.argv[6]];
if (!base) {
  console.error("usage: node run.mjs BASE_URL");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const deliveryFiles = process.env.DELIVERY_FILES;
if (!deliveryFiles) {
  console.error("DELIVERY_FILES: the directory of the delivery files to check (leverans.csv, leverans.xlsx)");
  process.exit(2);
}

const report = { steps: [], accessibility: {}, ok: false };
const step = (name, detail = "") => report.steps.push(detail ? `${name}: ${detail}` : name);

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

async function axe(page, name) {
  // the site's Content-Security-Policy forbids inline scripts: evaluate the library instead
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0]?.target }));
  });
  report.accessibility[name] = result;
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/// Whether the page is wider than its viewport (something sticks out sideways).
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1);
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 3).map((e) => e.tagName + "." + e.className) };
  });
}

async function noWiderThanTheScreen(page, what) {
  const o = await overflow(page);
  if (o.scroll > o.width + 1) throw new Error(`${what} is wider than the screen (${o.scroll} > ${o.width}): ${JSON.stringify(o.wide)}`);
}

async function journeys(name, viewport, scriptErrors) {
  const phone = viewport.width < 600;
  const options = { locale: "sv-SE", viewport, isMobile: phone, hasTouch: phone, acceptDownloads: true };
  const context = await browser.newContext(options);
  context.setDefaultTimeout(120_000);
  context.setDefaultNavigationTimeout(120_000);
  const page = await context.newPage();
  page.on("pageerror", (e) => scriptErrors.push(`${name}: ${e}`));

  // a diagnosis code: what it was taken as, and the main diagnosis among the first hits
  await page.goto(`${base}/sok?q=J18`);
  const understood = await page.textContent(".understood");
  if (!understood.includes("”J18” är en kod i") || !understood.includes("ICD-10-SE")) throw new Error(`${name}: J18 not recognised: ${understood}`);
  const hit = page.locator("#v-par-hdia");
  if (!(await hit.count())) throw new Error(`${name}: Huvuddiagnos is not among the hits of J18`);
  if (phone) {
    const [first, filters] = await Promise.all([page.locator(".hits > li").first().boundingBox(), page.locator("#filters").boundingBox()]);
    if (!(first.y < filters.y)) throw new Error(`phone: the filters come before the results (${first.y} ≥ ${filters.y})`);
    if (first.y > viewport.height) throw new Error(`phone: the first hit is ${Math.round(first.y)} px down, below the screen`);
    if (await page.locator("#filters").evaluate((d) => d.open)) throw new Error("phone: the filters are open over the results");
    await noWiderThanTheScreen(page, "phone search page");
  } else if (!(await page.locator("#filters").evaluate((d) => d.open))) {
    throw new Error("desktop: the filters are not shown beside the results");
  }
  let serious = await axe(page, `search (${name})`);
  if (serious.length) throw new Error(`search page (${name}): ${JSON.stringify(serious)}`);
  step(`${name} search`, `J18 → ICD-10-SE, ${await page.locator(".hits > li").count()} hits`);

  // adding without a reload: the page stays (a marker survives), the button turns into
  // "Ta bort", the menu counts, the status line says it
  await page.evaluate(() => { window.__stayed = true; });
  const add = hit.locator('form[data-list="add"] button');
  await add.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  await add.click();
  await hit.locator('form[data-list="remove"]').waitFor();
  if (!(await page.evaluate(() => window.__stayed === true))) throw new Error(`${name}: adding reloaded the page`);
  const now = await page.evaluate(() => window.scrollY);
  if (Math.abs(now - scrolled) > 50) throw new Error(`${name}: adding jumped away (scrolled ${scrolled} → ${now})`);
  const count = (await page.textContent("[data-list-count]")).trim();
  if (count !== "1") throw new Error(`${name}: the menu counts ${count}`);
  await page.waitForFunction(() => document.getElementById("list-status").textContent.includes("Huvuddiagnos"));
  step(`${name} added without reload`, (await page.textContent("#list-status")).trim());

  // a register's table, added whole
  await page.goto(`${base}/dataset/lakemedelsregistret`);
  await page.evaluate(() => { window.__stayed = true; });
  await page.click("form.addall button");
  await page.waitForFunction(
    () => Number(document.querySelector("[data-list-count]").textContent) > 1 && document.querySelectorAll('table form[data-list="add"]').length === 0,
  );
  if (!(await page.evaluate(() => window.__stayed === true))) throw new Error(`${name}: "add all" reloaded the page`);
  const all = Number((await page.textContent("[data-list-count]")).trim());
  if (all < 5) throw new Error(`${name}: after "add all" the list holds ${all}`);
  if (phone) await noWiderThanTheScreen(page, "phone dataset page");
  serious = await axe(page, `dataset (${name})`);
  if (serious.length) throw new Error(`dataset page (${name}): ${JSON.stringify(serious)}`);

  // the list: removing a row without a reload
  await page.goto(`${base}/variabellista`);
  if (phone) await noWiderThanTheScreen(page, "phone list page");
  serious = await axe(page, `list (${name})`);
  if (serious.length) throw new Error(`list page (${name}): ${JSON.stringify(serious)}`);
  await page.evaluate(() => { window.__stayed = true; });
  const rows = await page.locator("table tbody tr").count();
  await page.locator('tr:has(a[href="/variable/lmed-antal"]) form[data-list="remove"] button').click();
  await page.waitForFunction((n) => document.querySelectorAll("table tbody tr").length === n - 1, rows);
  if (!(await page.evaluate(() => window.__stayed === true))) throw new Error(`${name}: removing reloaded the page`);
  const left = (await page.textContent("main [data-list-count]")).trim();
  if (Number(left) !== all - 1) throw new Error(`${name}: after removing, the list page counts ${left}`);
  step(`${name} list`, `${left} variables, ${rows - 1} rows`);

  // its link, opened in a fresh browser (no cookie, no account)
  const link = await page.inputValue("#share-url");
  const shared = link.replace(/^https?:\/\/[^/]+/, base);
  const fresh = await browser.newContext(options);
  const other = await fresh.newPage();
  other.on("pageerror", (e) => scriptErrors.push(`${name} shared: ${e}`));
  await other.goto(shared);
  const sharedText = await other.textContent("main");
  if (sharedText.includes("Din lista är tom") || !sharedText.includes("Huvuddiagnos") || !sharedText.includes("Läkemedelsregistret")) {
    throw new Error(`${name}: the shared list ${shared} does not show the list: ${sharedText.slice(0, 300)}`);
  }
  if ((await other.textContent("[data-list-count]")).trim() !== "0") throw new Error(`${name}: the shared list changed the fresh browser's own list`);
  if (phone) await noWiderThanTheScreen(other, "phone shared list");
  serious = await axe(other, `shared list (${name})`);
  if (serious.length) throw new Error(`shared list (${name}): ${JSON.stringify(serious)}`);
  // its data request, per register holder
  await other.click('a[href^="/variabellista/ansokan"]');
  await other.waitForSelector("#del-socialstyrelsen");
  if (phone) await noWiderThanTheScreen(other, "phone data request");
  serious = await axe(other, `data request (${name})`);
  if (serious.length) throw new Error(`data request (${name}): ${JSON.stringify(serious)}`);
  step(`${name} shared list opened in a fresh browser`, `${await other.locator("section.requestpart").count()} register holders`);
  await fresh.close();

  // comparing by meaning: a diagnosis of the Patient Register and a cause of death of the
  // Cause of Death Register marked in the results of J18, compared, and why they match
  await page.goto(`${base}/sok?q=J18`);
  await page.check("#j-v-par-hdia");
  await page.check("#j-v-dors-ulorsak");
  await Promise.all([page.waitForNavigation(), page.click("#jamfor button[type=submit]")]);
  const why = (await page.textContent(".reasons")).replace(/\s+/g, " ");
  if (!why.includes("ICD-10-SE är en version av ICD-10")) throw new Error(`${name}: the comparison does not say why: ${why}`);
  const columns = await page.locator("table.compare thead th").count();
  if (columns !== 2) throw new Error(`${name}: the comparison has ${columns} columns`);
  if (phone) await noWiderThanTheScreen(page, "phone comparison");
  serious = await axe(page, `compare (${name})`);
  if (serious.length) throw new Error(`compare page (${name}): ${JSON.stringify(serious)}`);
  // the pair named in the order of the hits (two hits of J18 may rank alike): HDIA first
  const pair = why.slice(why.search(/(Huvuddiagnos|Underliggande dödsorsak) \(/)).trim();
  step(`${name} compared`, pair.replace("Underliggande dödsorsak (ULORSAK) och Huvuddiagnos (HDIA)", "Huvuddiagnos (HDIA) och Underliggande dödsorsak (ULORSAK)"));

  // phones: a data collection and a record's history are no wider than the screen
  if (phone) {
    await page.goto(`${base}/datainsamling/vantetider`);
    await noWiderThanTheScreen(page, "phone data-collection page");
    serious = await axe(page, "collection (phone)");
    if (serious.length) throw new Error(`collection page (phone): ${JSON.stringify(serious)}`);
    if (adminName) {
      await page.goto(`${base}/login`);
      await page.fill("#namn", adminName);
      await page.fill("#losenord", adminPassword);
      await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
      await page.goto(`${base}/variable/par-hdia/historik`);
      await noWiderThanTheScreen(page, "phone history page");
      serious = await axe(page, "history (phone)");
      if (serious.length) throw new Error(`history page (phone): ${JSON.stringify(serious)}`);
    }
    step("phone pages no wider than the screen");
  }
  await context.close();
}

let failure = null;
try {
  const context = await browser.newContext({ acceptDownloads: true, locale: "sv-SE", bypassCSP: false });
  // generous: CI machines are shared and the server is a debug build
  context.setDefaultTimeout(120_000);
  context.setDefaultNavigationTimeout(120_000);
  const page = await context.newPage();
  const scriptErrors = [];
  page.on("pageerror", (e) => scriptErrors.push(String(e)));

  // home
  await page.goto(`${base}/`);
  let serious = await axe(page, "home");
  if (serious.length) throw new Error(`home page: ${JSON.stringify(serious)}`);
  step("home", await page.title());

  // search from the menu, with the keyboard
  await page.click("nav >> text=Sök");
  await page.fill("#q", "huvuddiagnos");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/sok\?q=huvuddiagnos/);
  const total = await page.textContent("#results-h");
  step("search", total.trim());
  serious = await axe(page, "search");
  if (serious.length) throw new Error(`search page: ${JSON.stringify(serious)}`);

  // narrow with a facet: ticking a checkbox applies it (script), only variables remain
  // (click, not check: the tick submits the form, and check() would re-read the new page)
  const variableFacet = page.locator('#facetform input[type="checkbox"][name="typ"][value="variable"]');
  await Promise.all([page.waitForURL(/typ=variable/), variableFacet.click()]);
  if (!(await page.locator('#facetform input[type="checkbox"][name="typ"][value="variable"]').isChecked())) {
    throw new Error("the ticked facet is not shown as selected");
  }
  const kinds = await page.locator(".hits .kind").allTextContents();
  if (!kinds.length || kinds.some((k) => k.trim() !== "Variabel")) throw new Error(`facet did not narrow to variables: ${kinds}`);
  step("facet", `${kinds.length} variables`);

  // open HDIA
  await page.click('.hits a[href="/variable/par-hdia"]');
  await page.waitForURL(/\/variable\/par-hdia$/);
  const h1 = await page.textContent("h1");
  if (!h1.includes("Huvuddiagnos")) throw new Error(`variable page heading: ${h1}`);
  step("variable", h1.trim());
  serious = await axe(page, "variable");
  if (serious.length) throw new Error(`variable page: ${JSON.stringify(serious)}`);

  // add it to the list
  await page.click("text=Lägg till i variabellistan");
  await page.waitForSelector("text=I din variabellista");
  step("added to the list");

  // the list, grouped, and its export
  await page.click("nav >> text=Min variabellista");
  await page.waitForURL(/\/variabellista$/);
  const listText = await page.textContent("main");
  if (!listText.includes("HDIA") || !listText.includes("Socialstyrelsen")) throw new Error("the list does not show HDIA under Socialstyrelsen");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[href="/variabellista.csv"]')]);
  const path = await download.path();
  const csv = readFileSync(path, "utf8");
  if (!csv.includes("HDIA") || !csv.includes("Registerhållare")) throw new Error(`the CSV export lacks HDIA: ${csv.slice(0, 200)}`);
  step("exported", `${download.suggestedFilename()} with ${csv.trim().split("\n").length - 1} rows`);
  serious = await axe(page, "list");
  if (serious.length) throw new Error(`list page: ${JSON.stringify(serious)}`);

  // the regions' pages: a collection, and checking a whole delivery, a CSV file and a workbook,
  // in the page (the files are written by the Rust test: DELIVERY_FILES)
  await page.goto(`${base}/datainsamling/vardplatser`);
  serious = await axe(page, "collection");
  if (serious.length) throw new Error(`collection page: ${JSON.stringify(serious)}`);
  await page.click("text=Kontrollera en hel leverans här");
  await page.waitForURL(/\/kontroll\/leverans\?datainsamling=vardplatser$/);
  for (const [kind, file] of [["CSV", "leverans.csv"], ["XLSX", "leverans.xlsx"]]) {
    await page.setInputFiles("#fil", `${deliveryFiles}/${file}`);
    await Promise.all([page.waitForNavigation(), page.click("form.stacked button[type=submit]")]);
    await page.waitForSelector("#resultat");
    const verdict = (await page.textContent("#resultat")).trim();
    const summary = (await page.textContent("#summering")).trim();
    const hints = (await page.locator("td.did-you-mean").allTextContents()).map((t) => t.trim()).filter((t) => t);
    if (!verdict.startsWith("Inte godkänd") || !hints.length) throw new Error(`${kind} check: ${verdict}; ${summary}; ${hints}`);
    step(`delivery ${kind}`, `${verdict}; ${summary.split(":").pop().split(",")[0].trim()}; menade du ${hints.join(" | ")}`);
    if (kind === "CSV") {
      serious = await axe(page, "delivery");
      if (serious.length) throw new Error(`delivery page: ${JSON.stringify(serious)}`);
    }
  }

  // the validator: paste a description missing its mandatory fields, read the findings
  await page.goto(`${base}/kontroll`);
  await page.fill("#text", '@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n<https://example.org/ds> a dcat:Dataset ; dct:title "Utan beskrivning" .');
  await Promise.all([page.waitForNavigation(), page.click("form.stacked button[type=submit]")]);
  await page.waitForSelector("#resultat");
  const findings = await page.textContent(".result");
  if (!findings.includes("dataset-description") || !findings.includes("dataset-publisher")) throw new Error(`validator: ${findings.slice(0, 400)}`);
  step("validator findings", (await page.textContent("#resultat")).trim());
  serious = await axe(page, "validator");
  if (serious.length) throw new Error(`validator page: ${JSON.stringify(serious)}`);
  await page.goto(`${base}/kontroll/regler`);
  serious = await axe(page, "rules");
  if (serious.length) throw new Error(`rules page: ${JSON.stringify(serious)}`);
  // the HDAB's way in: the harvest instructions from the home page by the footer link, and
  // /catalog typed into the browser shows the page about the endpoint
  await page.goto(`${base}/`);
  await Promise.all([page.waitForNavigation(), page.click("footer a[href='/om/data']")]);
  if (!page.url().endsWith("/om/data")) throw new Error(`footer link went to ${page.url()}`);
  serious = await axe(page, "machines");
  if (serious.length) throw new Error(`page for machines: ${JSON.stringify(serious)}`);
  await page.goto(`${base}/catalog`);
  if (!(await page.textContent("h1")).includes("maskiner")) throw new Error("/catalog in a browser does not show the page about it");
  serious = await axe(page, "catalog in a browser");
  if (serious.length) throw new Error(`/catalog page: ${JSON.stringify(serious)}`);
  // metadata quality: the dashboard with its SVG charts, a breakdown, a dataset page's block
  for (const [name, path] of [["quality dashboard", "/kvalitet"], ["quality breakdown", "/kvalitet/dataset/lisa"], ["EHDS readiness", "/kvalitet/ehds"], ["dataset", "/dataset/lisa"], ["quality label", "/dataset/kpp/kvalitetsmarkning"], ["label specification", "/kvalitetsmarkning"], ["deliveries", "/datainsamling/vardplatser/leveranser"]]) {
    await page.goto(`${base}${path}`);
    serious = await axe(page, name);
    if (serious.length) throw new Error(`${name} page: ${JSON.stringify(serious)}`);
  }

  // versions: cite a variable by its version, see a breaking change on /andringar, read a
  // page as published on a past date (the test arranged KPP's length of stay: version 1 from
  // 2023-03-01, version 2 with the unit changed from days to hours)
  await page.goto(`${base}/variable/kpp-vardtid-dagar`);
  const citation = await page.textContent("section.citation");
  if (!citation.includes("Version 2") || !citation.includes("/variable/kpp-vardtid-dagar/version/2")) throw new Error(`citation: ${citation}`);
  serious = await axe(page, "variable with versions");
  if (serious.length) throw new Error(`variable page with versions: ${JSON.stringify(serious)}`);
  const [bib] = await Promise.all([page.waitForEvent("download"), page.click("section.citation >> text=BibTeX")]);
  const bibtex = readFileSync(await bib.path(), "utf8");
  if (!bibtex.startsWith("@misc{vardkatalogen-kpp-vardtid-dagar-v2,")) throw new Error(`BibTeX: ${bibtex.slice(0, 200)}`);
  step("cited", bib.suggestedFilename());
  await page.goto(`${base}/variable/kpp-vardtid-dagar/version/1`);
  serious = await axe(page, "version");
  if (serious.length) throw new Error(`version page: ${JSON.stringify(serious)}`);
  await Promise.all([page.waitForNavigation(), page.click("footer a[href='/andringar']")]);
  await page.selectOption("#typ", "bryter");
  await Promise.all([page.waitForURL(/typ=bryter/), page.click("form[action='/andringar'] button[type=submit]")]);
  const first = await page.textContent("ul.changes > li");
  if (!first.includes("Vårdtid i dagar") || !first.includes("Bryter") || !first.includes("”d” till ”h”")) throw new Error(`changes: ${first}`);
  step("breaking change listed", first.trim().split("\n")[0].trim());
  serious = await axe(page, "changes");
  if (serious.length) throw new Error(`changes page: ${JSON.stringify(serious)}`);
  await page.goto(`${base}/variable/kpp-vardtid-dagar?per=2024-01-01`);
  const banner = await page.textContent("section.version-banner");
  if (!banner.includes("Som publicerad 2024-01-01") || !banner.includes("version 1")) throw new Error(`as of: ${banner}`);
  serious = await axe(page, "as of a date");
  if (serious.length) throw new Error(`page as of a date: ${JSON.stringify(serious)}`);
  await Promise.all([page.waitForNavigation(), page.click("section.version-banner >> text=Visa den gällande versionen")]);
  if (!page.url().endsWith("/variable/kpp-vardtid-dagar")) throw new Error(`the current version is at ${page.url()}`);
  step("as of 2024-01-01", banner.trim().split("\n")[0].trim());

  // the competence centre's pages, signed in with the keyboard
  if (adminName) {
    await page.goto(`${base}/login`);
    serious = await axe(page, "login");
    if (serious.length) throw new Error(`login page: ${JSON.stringify(serious)}`);
    await page.focus("#namn");
    await page.keyboard.type(adminName);
    await page.keyboard.press("Tab");
    await page.keyboard.type(adminPassword);
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    const header = await page.textContent("body");
    if (!header.includes(adminName)) throw new Error("sign-in: the header does not name the user");
    step("signed in");
    for (const [name, path] of [
      ["variable form", "/variable/par-hdia/redigera"],
      ["new variable form", "/variable/ny"],
      ["dataset form", "/dataset/patientregistret/redigera"],
      ["code-list form", "/codelist/kon/redigera"],
      ["use-case form", "/usecase/a-vardplatser/redigera"],
      ["import", "/import"],
      ["work list", "/arbete"],
      ["history", "/variable/par-hdia/historik"],
      ["users", "/admin/anvandare"],
      ["audit log", "/admin/logg"],
      ["harvest admin", "/admin/hamtning"],
      ["quality label with forms", "/dataset/kpp/kvalitetsmarkning"],
      ["maturity form", "/agent/region-skane/mognad"],
    ]) {
      const res = await page.goto(`${base}${path}`);
      if (res.status() !== 200) throw new Error(`${name} (${path}) answered ${res.status()}`);
      serious = await axe(page, name);
      if (serious.length) throw new Error(`${name} page: ${JSON.stringify(serious)}`);
    }
    // save a draft of HDIA with an English definition typed in, then read its history
    await page.goto(`${base}/variable/par-hdia/redigera`);
    const definitionEn = page.locator("textarea[lang=en]").first();
    await definitionEn.fill("The main diagnosis given (test).");
    await Promise.all([page.waitForNavigation(), page.click(`form[action="/variable/par-hdia/redigera"] #spara button[type=submit]`)]);
    await page.goto(`${base}/variable/par-hdia/historik`);
    const history = await page.textContent("main");
    if (!history.includes("The main diagnosis given (test).")) throw new Error(`history: ${history.slice(0, 300)}`);
    step("draft saved and in the history");

    // the variable form filled the way people fill it: section by section from its table of
    // contents, links chosen in the pickers (no typed address), checked at a phone's width too
    await page.goto(`${base}/variable/par-dia1/redigera`);
    const toc = (await page.locator("nav.toc a").allTextContents()).map((t) => t.trim());
    if (toc[0] !== "Benämning och definition" || toc[toc.length - 1] !== "Spara") throw new Error(`contents: ${toc}`);
    await page.click('nav.toc a[href="#avsnitt-2"]');
    if (!page.url().endsWith("#avsnitt-2")) throw new Error(`the contents link went to ${page.url()}`);
    await page.selectOption("#f-datatyp", "kodlista");
    await page.selectOption("#f-kodlista", { label: "Kön (kon)" });
    await page.click('nav.toc a[href="#avsnitt-3"]');
    // the owner searched for: the form comes back with what was chosen above, nothing saved,
    // the focus in the search box, the list narrowed and the count said in words
    const owners = await page.locator("#f-agare option").count();
    await page.fill("#f-agare-sok", "statistiska");
    // Enter in the search box searches (static/forms.js), it does not save
    await Promise.all([page.waitForNavigation(), page.press("#f-agare-sok", "Enter")]);
    if ((await page.inputValue("#f-datatyp")) !== "kodlista" || !(await page.inputValue("#f-kodlista")).endsWith("/codelist/kon")) {
      throw new Error(`the search lost what was chosen: ${await page.inputValue("#f-datatyp")}, ${await page.inputValue("#f-kodlista")}`);
    }
    const focused = await page.evaluate(() => document.activeElement?.id);
    if (focused !== "f-agare-sok") throw new Error(`after the search the focus is on ${focused}`);
    const narrowed = await page.locator("#f-agare option").count();
    if (!(narrowed < owners)) throw new Error(`the owner search did not narrow the list (${narrowed} of ${owners})`);
    const ownersFound = (await page.textContent("#f-agare-traffar")).trim();
    await page.selectOption("#f-agare", { label: "Statistiska centralbyrån (SCB) (scb)" });
    await page.click('nav.toc a[href="#avsnitt-4"]');
    await page.selectOption("#f-begrepp-lagg-till", [{ label: "Man (kon/1)" }, { label: "Kvinna (kon/2)" }]);
    serious = await axe(page, "variable form filled");
    if (serious.length) throw new Error(`variable form filled: ${JSON.stringify(serious)}`);
    await page.setViewportSize({ width: 375, height: 800 });
    serious = await axe(page, "variable form at 375 px");
    if (serious.length) throw new Error(`variable form at 375 px: ${JSON.stringify(serious)}`);
    const overflow = await page.evaluate(() => document.querySelector("main form").scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`the form is ${overflow} px wider than a 375 px screen`);
    await page.click('nav.toc a[href="#spara"]');
    await page.fill("#f-meddelande", "Kodlista, ägare och begrepp valda i listorna");
    await Promise.all([page.waitForNavigation(), page.click(`form[action="/variable/par-dia1/redigera"] #spara button[type=submit]`)]);
    await page.setViewportSize({ width: 1280, height: 720 });
    if (!page.url().endsWith("/variable/par-dia1/utkast")) throw new Error(`after saving: ${page.url()}`);
    await page.goto(`${base}/variable/par-dia1/redigera`);
    const owner = await page.inputValue("#f-agare");
    const concepts = await page.$$eval("input[name=begrepp]:checked", (xs) => xs.length);
    const list = await page.inputValue("#f-kodlista");
    if (!owner.endsWith("/agent/scb") || concepts !== 2 || !list.endsWith("/codelist/kon")) {
      throw new Error(`the saved draft: owner ${owner}, ${concepts} concepts, list ${list}`);
    }
    step("variable form filled through its contents and pickers", `${toc.length} sections, ${concepts} concepts; owner search: ${ownersFound}`);
  }

  // the competence centre in bulk: an editor finds the import in the editing menu, downloads
  // the template workbook and imports it, and sends the result for review in one step; a
  // reviewer's publication of one variable alone is refused (its dataset is still a draft),
  // and publishing everything the import made together is accepted.
  if (adminName && editorName) {
    const check = async (name) => {
      const s = await axe(page, name);
      if (s.length) throw new Error(`${name}: ${JSON.stringify(s)}`);
    };
    const signIn = async (name, password) => {
      await page.goto(`${base}/login`);
      await page.fill("#namn", name);
      await page.fill("#losenord", password);
      await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
      if (!(await page.textContent("header")).includes(name)) throw new Error(`sign-in as ${name} failed`);
    };
    const signOut = async () => {
      await Promise.all([page.waitForNavigation(), page.click("header form[action='/logout'] button")]);
    };
    await page.goto(`${base}/`);
    await signOut();
    await signIn(editorName, editorPassword);
    // the menu is a disclosure: open it, check it open, follow "Importera"
    await page.click("details.curator-menu summary");
    await check("editing menu open");
    await Promise.all([page.waitForNavigation(), page.click("details.curator-menu a[href='/import']")]);
    const crumbs = await page.textContent("nav.crumbs");
    if (!crumbs.includes("Start")) throw new Error(`breadcrumbs: ${crumbs}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("main a[href='/import/mall.xlsx']")]);
    // kept under its own name: the import reads a file by its extension
    const template = join(mkdtempSync(join(tmpdir(), "vk-")), download.suggestedFilename());
    await download.saveAs(template);
    step("template downloaded", download.suggestedFilename());
    await page.setInputFiles("#fil", template);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/import'] button[type=submit]")]);
    const summary = await page.textContent("#forhandsgranskning + p");
    if (!summary.includes("7 nya") || !summary.includes("0 fel, 0 varningar")) throw new Error(`preview: ${summary}`);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/import/bekrafta'] button[type=submit]")]);
    await check("import result");
    const chosen = await page.$$eval("#importerade ~ form input[name=post]:checked", (xs) => xs.length);
    if (chosen !== 7) throw new Error(`the import's result ticks ${chosen} drafts`);
    await Promise.all([page.waitForNavigation(), page.click("#importerade ~ form button[value=skicka]")]);
    step("imported and sent for review", (await page.textContent("main [role=status]")).trim());
    await page.goto(`${base}/import/guide`);
    await check("import guide");
    await signOut();

    await signIn(adminName, adminPassword);
    await page.goto(`${base}/variable/exempelregistret-alder/utkast`);
    const draftCheck = await page.textContent("#olankade");
    if (!draftCheck.includes("Exempelregistret")) throw new Error(`draft page check: ${draftCheck}`);
    await check("draft with its check");
    await page.goto(`${base}/arbete`);
    await page.check("input[name=post][value$='/variable/exempelregistret-alder']");
    await page.fill("#bulk-andringsnotering", "Första versionen");
    await Promise.all([page.waitForNavigation(), page.click("button[value=publicera]")]);
    const refused = await page.textContent("#problem");
    if (!refused.includes("datamängd ”Exempelregistret” (granskning)")) throw new Error(`refusal: ${refused}`);
    // as the public sees it (no session): still not there
    if ((await fetch(`${base}/variable/exempelregistret-alder`)).status !== 404) throw new Error("the refused variable was published");
    step("publish refused", "the dataset is a draft");
    await page.goto(`${base}/arbete`);
    await page.$$eval("section[aria-labelledby=granskning] input[name=post]", (xs) => xs.forEach((x) => (x.checked = true)));
    await page.fill("#bulk-andringsnotering", "Första versionen");
    await Promise.all([page.waitForNavigation(), page.click("button[value=publicera]")]);
    step("published together", (await page.textContent("main [role=status]")).trim());
    if ((await fetch(`${base}/variable/exempelregistret-alder`)).status !== 200) throw new Error("the variable is not public");
    const res = await page.goto(`${base}/variable/exempelregistret-alder`);
    if (res.status() !== 200) throw new Error(`the variable answered ${res.status()}`);
    await Promise.all([page.waitForNavigation(), page.click("main a[href='/dataset/exempelregistret']")]);
    if (!(await page.textContent("h1")).includes("Exempelregistret")) throw new Error("the dataset link does not lead to the dataset");
  }

  // The researcher's journeys again on a desktop and on a phone, each in a fresh browser:
  // a code searched, adding without a reload, a register added whole, the list (no wider than
  // the screen, removing without a reload), its link opened in yet another fresh browser, the
  // data request; on the phone also history and a data collection, nothing wider than the screen.
  for (const [name, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 375, height: 740 }]]) {
    await journeys(name, viewport, scriptErrors);
  }

  // type-ahead: the start of a Swedish word typed into the search box offers the code (the list
  // open, announced and axe-clean), Escape closes it, the arrow keys choose and Enter opens the
  // code's page; on the home page a click on a suggestion opens a variable
  {
    await page.goto(`${base}/sok`);
    await page.focus("#q");
    await page.keyboard.type("lårbensh", { delay: 40 });
    await page.waitForSelector('#q-forslag [role="option"]');
    if ((await page.getAttribute("#q", "aria-expanded")) !== "true") throw new Error("type-ahead: the box does not say the list is open");
    const typeahead = await axe(page, "type-ahead open");
    if (typeahead.length) throw new Error(`type-ahead: ${JSON.stringify(typeahead)}`);
    await page.keyboard.press("Escape");
    if ((await page.getAttribute("#q", "aria-expanded")) !== "false" || (await page.isVisible("#q-forslag"))) throw new Error("type-ahead: Escape left the list open");
    await page.keyboard.press("ArrowDown");
    const chosen = await page.getAttribute("#q", "aria-activedescendant");
    if (!chosen) throw new Error("type-ahead: the arrow key chose nothing");
    const text = (await page.textContent(`#${chosen}`)).trim();
    if ((await page.getAttribute(`#${chosen}`, "aria-selected")) !== "true") throw new Error("type-ahead: the chosen suggestion is not selected");
    await Promise.all([page.waitForURL(/\/codelist\/icd-10-se-hoftfraktur\/S72\.0$/), page.keyboard.press("Enter")]);
    const heading = (await page.textContent("h1")).trim();
    await page.goto(`${base}/`);
    await page.focus("#q");
    await page.keyboard.type("hdia", { delay: 40 });
    await page.waitForSelector('#q-forslag [role="option"]');
    await Promise.all([page.waitForURL(/\/variable\/par-hdia$/), page.click('#q-forslag [role="option"] >> nth=0')]);
    step("type-ahead", `lårbensh → ${text} → ${heading}; hdia → ${(await page.textContent("h1")).trim()}`);
  }

  // ---- appended steps (31…): what the journeys above leave out ----

  // a variable's documentation (issue 18 item 5): missing values with their meaning,
  // temporality and unit type; its codes' validity periods as a table with bars, the bars hidden
  // from screen readers and the period written in words; the code list's table and a code's page
  {
    const section = async (p, heading) => (await p.locator(`section:has(h2:text-is("${heading}"))`).textContent()).replace(/\s+/g, " ").trim();
    const fact = async (p, label) => (await p.locator(`dl.facts > div:has(dt:text-is("${label}")) dd`).first().textContent()).trim();
    const timeline = async (p, where) => {
      const rows = await p.$$eval("section.timeline tbody tr", (trs) =>
        trs.map((tr) => ({
          code: tr.cells[0].textContent.trim(),
          period: tr.cells[2].textContent.trim(),
          hidden: [...tr.querySelectorAll("svg")].every((svg) => svg.getAttribute("aria-hidden") === "true"),
        })),
      );
      if (rows.length !== 4) throw new Error(`${where}: the validity table has ${rows.length} rows`);
      for (const r of rows) {
        if (!r.hidden) throw new Error(`${where}: the bar of ${r.code} is read out`);
        if (!r.period) throw new Error(`${where}: the period of ${r.code} is not written`);
      }
      return rows;
    };
    await page.goto(`${base}/variable/bef-civilstand`);
    const missing = await section(page, "Saknade värden och vad de betyder");
    if (!missing.includes("US") || !missing.includes("Uppgift saknas")) throw new Error(`missing values: ${missing}`);
    const temporality = await fact(page, "Temporalitet");
    const unit = await fact(page, "Enhetstyp");
    if (temporality !== "Tillstånd vid en tidpunkt" || unit !== "Person") throw new Error(`temporality ${temporality}, unit type ${unit}`);
    const rows = await timeline(page, "variable page");
    let serious = await axe(page, "variable documentation");
    if (serious.length) throw new Error(`variable documentation: ${JSON.stringify(serious)}`);
    await Promise.all([page.waitForNavigation(), page.click("main a[href='/codelist/civilstand']")]);
    const listRows = await timeline(page, "code list page");
    const periods = listRows.map((r) => `${r.code} ${r.period}`);
    if (!periods.includes("OG 1968–") || !periods.includes("G 1968–2009")) throw new Error(`code list periods: ${periods}`);
    serious = await axe(page, "code list with validity");
    if (serious.length) throw new Error(`code list with validity: ${JSON.stringify(serious)}`);
    await Promise.all([page.waitForNavigation(), page.click("section.timeline a[href='/codelist/civilstand/G']")]);
    const [from, through] = [await fact(page, "Giltig från"), await fact(page, "Giltig till")];
    if (from !== "1968" || through !== "2009") throw new Error(`code G valid ${from}–${through}`);
    serious = await axe(page, "code");
    if (serious.length) throw new Error(`code page: ${JSON.stringify(serious)}`);
    // at a phone's width
    const phone = await browser.newContext({ locale: "sv-SE", viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    phone.setDefaultTimeout(120_000);
    const small = await phone.newPage();
    small.on("pageerror", (e) => scriptErrors.push(`documentation (phone): ${e}`));
    for (const [name, path] of [["variable documentation (phone)", "/variable/bef-civilstand"], ["code list with validity (phone)", "/codelist/civilstand"]]) {
      await small.goto(`${base}${path}`);
      await timeline(small, name);
      await noWiderThanTheScreen(small, name);
      serious = await axe(small, name);
      if (serious.length) throw new Error(`${name}: ${JSON.stringify(serious)}`);
    }
    await phone.close();
    const valid = rows.filter((r) => r.period.startsWith("1968")).map((r) => r.period);
    step(
      "variable documentation",
      `Saknade värden: US = Uppgift saknas; ${temporality}; ${unit}; codes valid ${valid.join(" and ")}, the bars hidden from screen readers, the period in words`,
    );
  }

  // the data request of a list with two register holders: the Socialstyrelsen part downloaded
  // holds its variables and not SCB's
  {
    await page.goto(`${base}/variabellista/ansokan?v=par-hdia&v=bef-civilstand`);
    const holders = await page.locator("section.requestpart h2").allTextContents();
    if (holders.length !== 2) throw new Error(`data request parts: ${holders}`);
    const [part] = await Promise.all([page.waitForEvent("download"), page.click("section.requestpart:has(h2:text-is('Socialstyrelsen')) a[download][href*='.csv']")]);
    const text = readFileSync(await part.path(), "utf8");
    if (!text.includes("HDIA") || text.includes("Civilstand") || !text.includes(";")) throw new Error(`the Socialstyrelsen part: ${text.slice(0, 300)}`);
    step("per-holder request downloaded", `${part.suggestedFilename()} (${holders.map((h) => h.trim()).join(", ")})`);
  }

  // a saved list (signed in): saved under a name with a note, there again in a new browser
  // signed in again, another user gets 404; its page links the changes of its variables and
  // their Atom feed, which holds the breaking change of KPP's length of stay
  if (adminName && editorName) {
    const signedIn = async (name, password) => {
      const context = await browser.newContext({ locale: "sv-SE", acceptDownloads: true });
      context.setDefaultTimeout(120_000);
      const p = await context.newPage();
      p.on("pageerror", (e) => scriptErrors.push(`saved list: ${e}`));
      await p.goto(`${base}/login`);
      await p.fill("#namn", name);
      await p.fill("#losenord", password);
      await Promise.all([p.waitForNavigation(), p.click("main form button[type=submit]")]);
      if (!(await p.textContent("header")).includes(name)) throw new Error(`sign-in as ${name} failed`);
      return [context, p];
    };
    let [context, p] = await signedIn(adminName, adminPassword);
    await p.goto(`${base}/variabellista?v=par-hdia&v=kpp-vardtid-dagar`);
    await Promise.all([p.waitForNavigation(), p.click("form[action='/variabellista/lagg-till-alla'] button")]);
    await p.goto(`${base}/variabellista`);
    await p.fill("#list-name", "Vårdtid och diagnos");
    await Promise.all([p.waitForNavigation(), p.click("form.saveform button[type=submit]")]);
    const saved = new URL(p.url()).pathname;
    if (!/^\/variabellista\/[a-z2-7]{16}$/.test(saved)) throw new Error(`saving went to ${p.url()}`);
    if ((await p.textContent("h1")).trim() !== "Vårdtid och diagnos") throw new Error(`saved list heading: ${await p.textContent("h1")}`);
    await p.fill("#not_0", "Urval och vårdtid");
    await Promise.all([p.waitForNavigation(), p.click("form.savedlist button[type=submit]")]);
    const serious = await axe(p, "saved list");
    if (serious.length) throw new Error(`saved list: ${JSON.stringify(serious)}`);
    await context.close();
    [context, p] = await signedIn(adminName, adminPassword);
    await p.goto(`${base}/variabellista`);
    await Promise.all([p.waitForNavigation(), p.click(`section[aria-labelledby=saved-h] a[href='${saved}']`)]);
    if ((await p.textContent("h1")).trim() !== "Vårdtid och diagnos" || (await p.inputValue("#not_0")) !== "Urval och vårdtid") {
      throw new Error("the saved list is not kept in a new browser");
    }
    const [other, q] = await signedIn(editorName, editorPassword);
    const res = await q.goto(`${base}${saved}`);
    if (res.status() !== 404) throw new Error(`another user opened the saved list: ${res.status()}`);
    await other.close();
    step("saved list", `Vårdtid och diagnos at ${saved}; kept in a new browser; another user gets 404`);

    const feedHref = await p.getAttribute("section.follow a[type='application/atom+xml']", "href");
    await Promise.all([p.waitForNavigation(), p.click("section.follow a:not([type])")]);
    const changed = await p.textContent("ul.changes");
    if (!changed.includes("Vårdtid i dagar")) throw new Error(`changes of the list: ${changed}`);
    const listSerious = await axe(p, "changes of a list");
    if (listSerious.length) throw new Error(`changes of a list: ${JSON.stringify(listSerious)}`);
    if ((await p.getAttribute("main a[type='application/atom+xml']", "href")) !== feedHref) throw new Error("the changes page links another feed");
    const feed = await p.request.get(`${base}${feedHref}`);
    if (feed.status() !== 200 || !feed.headers()["content-type"].startsWith("application/atom+xml")) throw new Error(`the feed: ${feed.status()}`);
    const xml = await feed.text();
    const parsed = await p.evaluate((x) => {
      const doc = new DOMParser().parseFromString(x, "application/xml");
      if (doc.getElementsByTagName("parsererror").length) return { error: doc.getElementsByTagName("parsererror")[0].textContent };
      const root = doc.documentElement;
      const entries = [...root.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry")];
      return {
        root: `${root.namespaceURI} ${root.localName}`,
        titles: entries.map((e) => e.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "title")[0].textContent),
        terms: entries.map((e) => [...e.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "category")].map((c) => c.getAttribute("term")).join(" ")),
      };
    }, xml);
    if (parsed.error || parsed.root !== "http://www.w3.org/2005/Atom feed") throw new Error(`the feed is not Atom: ${JSON.stringify(parsed)}`);
    if (parsed.titles.length !== 1 || !parsed.titles[0].includes("Vårdtid i dagar") || !parsed.terms[0].includes("bryter")) {
      throw new Error(`the list's feed: ${JSON.stringify(parsed)}`);
    }
    step("list's feed", `Atom with ${parsed.titles.length} entry: ${parsed.titles[0]} (${parsed.terms[0]})`);
    await context.close();
  }

  // at a phone's width: type-ahead, a citation, the breaking change on /andringar and a page as
  // of a past date, each no wider than the screen and axe-clean
  {
    const phone = await browser.newContext({ locale: "sv-SE", viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, acceptDownloads: true });
    phone.setDefaultTimeout(120_000);
    const p = await phone.newPage();
    p.on("pageerror", (e) => scriptErrors.push(`phone: ${e}`));
    const clean = async (name) => {
      await noWiderThanTheScreen(p, name);
      const serious = await axe(p, name);
      if (serious.length) throw new Error(`${name}: ${JSON.stringify(serious)}`);
    };
    await p.goto(`${base}/sok`);
    await p.focus("#q");
    await p.keyboard.type("hdia", { delay: 40 });
    await p.waitForSelector('#q-forslag [role="option"]');
    await clean("type-ahead open (phone)");
    await Promise.all([p.waitForURL(/\/variable\/par-hdia$/), p.tap('#q-forslag [role="option"] >> nth=0')]);
    const opened = (await p.textContent("h1")).trim();
    await p.goto(`${base}/variable/kpp-vardtid-dagar`);
    if (!(await p.textContent("section.citation")).includes("Version 2")) throw new Error("phone: the citation");
    await clean("variable with versions (phone)");
    const [bib] = await Promise.all([p.waitForEvent("download"), p.click("section.citation >> text=BibTeX")]);
    await p.goto(`${base}/andringar?typ=bryter`);
    const first = await p.textContent("ul.changes > li");
    if (!first.includes("Vårdtid i dagar") || !first.includes("Bryter")) throw new Error(`phone changes: ${first}`);
    await clean("changes (phone)");
    await p.goto(`${base}/variable/kpp-vardtid-dagar?per=2024-01-01`);
    if (!(await p.textContent("section.version-banner")).includes("Som publicerad 2024-01-01")) throw new Error("phone: the as-of banner");
    await clean("as of a date (phone)");
    step("phone (375 px)", `type-ahead hdia → ${opened}; cited ${bib.suggestedFilename()}; breaking change listed; as of 2024-01-01`);
    await phone.close();
  }

  if (scriptErrors.length) throw new Error(`script errors: ${scriptErrors.join("; ")}`);
  report.ok = true;
} catch (e) {
  failure = e;
  report.error = String(e && e.message ? e.message : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exit(failure ? 1 : 0);
