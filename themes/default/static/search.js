// The search page (sok/): asks the Pagefind index that `site-gen build` writes into
// pagefind/<year>/ and lists meetings, paragraphs and their decisions.
//
// Every address is found from this file's own URL, so the site works at any sub-path.
// Pagefind finds the pages' addresses from where its own script was loaded: the part
// of the address before "pagefind/".

const SEARCH_FOLDER = new URL("../pagefind/", import.meta.url);
const PAGE_SIZE = 10;
const PARAGRAPHS_PER_HIT = 5;

const form = document.getElementById("sok");
const field = document.getElementById("sokord");
const selects = [...form.querySelectorAll("select[data-filter]")];
const statusLine = document.getElementById("sokstatus");
const list = document.getElementById("sokresultat");
const more = document.getElementById("sokfler");
// One bundle per year; the first (the newest year) holds Pagefind's script, the others
// are merged into it.
const bundles = (form.dataset.bundles || "").split(" ").filter(Boolean)
  .map((year) => new URL(`${year}/`, SEARCH_FOLDER));

let pagefind = null;
let waiting = [];  // results of the latest search not yet shown
let latest = 0;  // numbers the searches, so that a slow one never overwrites a newer one

// Pagefind would match "våld" to "valdes": it folds letters with diacritics into the
// plain ones unless told not to. In Swedish å, ä and ö are letters of their own. Each
// merged bundle is searched on its own options, so they are given to every bundle.
const ENGINE_OPTIONS = { exactDiacritics: true };

async function loadEngine() {
  const [primary, ...others] = bundles;
  const loaded = await import(new URL("pagefind.js", primary).href);
  await loaded.options(ENGINE_OPTIONS);
  await loaded.init();
  await Promise.all(others.map((bundle) => loaded.mergeIndex(bundle.pathname, ENGINE_OPTIONS)));
  return loaded;
}

function engine() {
  // Kept as a promise: searches typed while the index loads wait for the same load.
  if (pagefind === null) {
    pagefind = loadEngine().catch((error) => {
      pagefind = null;  // the next search tries again
      throw error;
    });
  }
  return pagefind;
}

function chosenFilters() {
  const chosen = {};
  for (const select of selects) {
    if (select.value) chosen[select.dataset.filter] = select.value;
  }
  return chosen;
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  field.value = params.get(field.name) || "";
  for (const select of selects) select.value = params.get(select.name) || "";
}

function writeAddress() {
  const params = new URLSearchParams();
  if (field.value.trim()) params.set(field.name, field.value.trim());
  for (const select of selects) {
    if (select.value) params.set(select.name, select.value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

async function search() {
  const id = ++latest;
  const words = field.value.trim();
  const filters = chosenFilters();
  list.replaceChildren();
  more.hidden = true;
  if (!words && Object.keys(filters).length === 0) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Söker …";
  let found;
  try {
    found = await (await engine()).search(words || null, { filters });
  } catch (error) {
    statusLine.textContent = "Sökningen kunde inte startas. Ladda om sidan och försök igen.";
    throw error;
  }
  if (id !== latest) return;
  waiting = [...found.results];
  await showMore(id);
  // Told last, once the first results are on the page.
  if (id === latest) statusLine.textContent = countText(found.results.length);
}

function countText(count) {
  if (count === 0) return "Inga träffar.";
  return count === 1 ? "1 träff." : `${count} träffar.`;
}

async function showMore(id) {
  const batch = waiting.splice(0, PAGE_SIZE);
  const pages = await Promise.all(batch.map((result) => result.data()));
  if (id !== latest) return;
  for (const page of pages) list.append(hitItem(page));
  more.hidden = waiting.length === 0;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function link(text, href) {
  const anchor = element("a", "", text);
  anchor.href = href;
  return anchor;
}

// Pagefind's excerpts are escaped text with <mark> around the words found.
function excerpt(html) {
  const paragraph = element("p", "search-excerpt");
  paragraph.innerHTML = html;
  return paragraph;
}

// The decision (protokoll) or proposal (kallelse) stored with the page for this § or item.
function decisionOf(page, sub) {
  const id = sub.anchor ? sub.anchor.id : "";
  const paragraph = /^paragraf-(\d+)$/.exec(id);
  if (paragraph && page.meta[`beslut-${paragraph[1]}`]) {
    return ["Beslut", page.meta[`beslut-${paragraph[1]}`]];
  }
  const item = /^punkt-(\d+)$/.exec(id);
  if (item && page.meta[`forslag-${item[1]}`]) {
    return ["Förslag till beslut", page.meta[`forslag-${item[1]}`]];
  }
  return null;
}

function hitItem(page) {
  const item = element("li", "search-hit");
  const heading = element("h2");
  heading.append(link(page.meta.title || page.url, page.url));
  item.append(heading);
  const facts = [...(page.filters.organ || []), page.meta.datum].filter(Boolean);
  if (facts.length) item.append(element("p", "search-facts", facts.join(", ")));
  const subs = page.sub_results.filter((sub) => sub.anchor).slice(0, PARAGRAPHS_PER_HIT);
  if (subs.length === 0) {
    if (page.excerpt) item.append(excerpt(page.excerpt));
    return item;
  }
  const paragraphs = element("ul", "search-paragraphs");
  for (const sub of subs) {
    const entry = element("li");
    const title = element("h3");
    title.append(link(sub.title, sub.url));
    entry.append(title, excerpt(sub.excerpt));
    const decision = decisionOf(page, sub);
    if (decision) {
      const line = element("p", "search-decision");
      line.append(element("strong", "", `${decision[0]}: `), decision[1]);
      entry.append(line);
    }
    paragraphs.append(entry);
  }
  item.append(paragraphs);
  return item;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  writeAddress();
  search();
});
for (const select of selects) {
  select.addEventListener("change", () => {
    writeAddress();
    search();
  });
}
more.querySelector("button").addEventListener("click", () => showMore(latest));

readAddress();
search();
