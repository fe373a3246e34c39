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
const guides = [...document.querySelectorAll("#sokguider li")];
// One bundle per year; the first (the newest year) holds Pagefind's script, the others
// are merged into it.
const bundles = (form.dataset.bundles || "").split(" ").filter(Boolean)
  .map((year) => new URL(`${year}/`, SEARCH_FOLDER));

let pagefind = null;
let waiting = [];  // results of the latest search not yet shown
let shown = { terms: [], topic: "" };  // what the latest search asked for, for its paragraphs
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
  await loaded.filters();  // loads the filters, without which a search counts no hits per year
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

// The topic chosen, by its slug: each paragraph and agenda item carries its topics'
// slugs ("amnen-paragraf-48": "ekonomi budget"), while the filter holds names.
function chosenTopic() {
  const select = selects.find((each) => each.dataset.filter === "ämne");
  return select && select.value ? select.selectedOptions[0].dataset.slug || "" : "";
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
  delete statusLine.dataset.done;
  if (!words && Object.keys(filters).length === 0) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Söker …";
  let results;
  try {
    results = await hits(words, filters);
  } catch (error) {
    statusLine.textContent = "Sökningen kunde inte startas. Ladda om sidan och försök igen.";
    throw error;
  }
  if (id !== latest) return;
  waiting = [...results];
  shown = { terms: searchTerms(words), topic: chosenTopic() };
  await showMore(id);
  if (id !== latest) return;
  // Told last, once the first results are on the page.
  statusLine.textContent = countText(results.length);
  offerGuides(words);
  if (words) await suggestSwedishLetters(id, words, filters, results.length > 0);
  // Said when all is done, the other spellings tried too: for whoever waits on the search.
  if (id === latest) statusLine.dataset.done = "";
}

// The results of a search: of the years whose hits are real (see realYears).
async function hits(words, filters) {
  const pagefind = await engine();
  const found = await pagefind.search(words || null, { filters });
  const years = await realYears(pagefind, words, filters, found);
  if (years === null) return found.results;
  if (years.length === 0) return [];
  return (await pagefind.search(words, { filters: { ...filters, år: { any: years } } })).results;
}

// Å, ä and ö are letters of their own, so "Lidstrom" or "Kallberg", typed on a keyboard
// without them, finds nothing. A search that finds nothing is tried again with them in
// place of a and o, one letter changed, then two, and what finds something is offered.
// One that finds something is tried with one letter changed: "vald" finds "Val av
// justerare", and the paragraph on "våld" is offered beside it.
const SWEDISH_LETTERS = { a: ["å", "ä"], o: ["ö"] };
const MOST_CHANGED = 2;
const MOST_TRIED = 24;
const MOST_TRIED_BESIDE_HITS = 8;
const MOST_OFFERED = 3;

function spellings(words, mostChanged) {
  // Each place a letter may change, with what to: [index, letter].
  const places = [...words].flatMap((char, index) => {
    const lower = char.toLowerCase();
    return (SWEDISH_LETTERS[lower] || []).map((swap) => [index, char === lower ? swap : swap.toUpperCase()]);
  });
  const found = [];
  let level = [[[...words], -1]];  // the spellings of one number of letters changed, and the last place
  for (let changed = 1; changed <= mostChanged; changed++) {
    const next = [];
    for (const [chars, last] of level) {
      for (let at = last + 1; at < places.length; at++) {
        const [index, swap] = places[at];
        if (chars[index] !== words[index]) continue;  // that letter is changed already
        const spelling = [...chars];
        spelling[index] = swap;
        next.push([spelling, at]);
      }
    }
    found.push(...next.map(([chars]) => chars.join("")));
    level = next;
  }
  return found;
}

async function suggestSwedishLetters(id, words, filters, besideHits) {
  const offered = [];
  const tried = besideHits ? spellings(words, 1).slice(0, MOST_TRIED_BESIDE_HITS)
    : spellings(words, MOST_CHANGED).slice(0, MOST_TRIED);
  for (const spelling of tried) {
    const count = (await hits(spelling, filters)).length;
    if (id !== latest) return;
    if (count > 0) offered.push([spelling, count]);
    if (offered.length === MOST_OFFERED) break;
  }
  if (offered.length === 0) return;
  // In the status line, which a screen reader reads out when it changes.
  const suggestion = element("span", "search-suggestion", " Sökte du på ");
  suggestion.append(...listed(offered.map(([spelling, count]) => {
    const params = new URLSearchParams(location.search);
    params.set(field.name, spelling);
    const anchor = link(spelling, `?${params}`);
    anchor.addEventListener("click", (event) => {
      event.preventDefault();
      field.value = spelling;
      field.focus();  // the link goes with the status line it stands in
      writeAddress();
      search();
    });
    return [anchor, ` (${countText(count).replace(".", "")})`];
  }), "eller"));
  suggestion.append("?");
  statusLine.append(suggestion);
}

// A page on what the words ask about ("överklaga": how to appeal), offered in the status
// line with the count, where a search word starts with one of the page's words. Å, ä and
// ö count as a and o: "overklaga" finds it too.
function folded(term) {
  return term.replace(/[åä]/g, "a").replace(/ö/g, "o");
}

function offerGuides(words) {
  const terms = searchTerms(words).map(folded);
  const offered = guides.filter((guide) => guide.dataset.words.split(" ").map(folded)
    .some((start) => terms.some((term) => term.startsWith(start))));
  if (offered.length === 0) return;
  const offer = element("span", "search-guide", " Läs också ");
  offer.append(...listed(offered.map((guide) => [guide.querySelector("a").cloneNode(true)]), "och"), ".");
  statusLine.append(offer);
}

// Pagefind, when a year's bundle holds no word that starts like a search word, takes
// the longest word of that bundle the search word starts with instead: "Hahlin" finds
// "ha" in a year when no Hahlin took part. A search word has such a stand-in in all of a
// year's hits or in none, so one hit of each year tells whether the year's hits are
// real. The years whose hits are real, or null when every year's are.
async function realYears(pagefind, words, filters, found) {
  const terms = searchTerms(words);
  const counts = (found.filters || {})["år"] || {};
  const years = Object.keys(counts).filter((year) => counts[year] > 0);
  // A quoted search asks for exact words, and gets no stand-ins.
  if (terms.length === 0 || words.includes('"') || years.length < 1) return null;
  const real = await Promise.all(years.map(async (year) => {
    const sample = await pagefind.search(words, { filters: { ...filters, år: year } });
    if (sample.results.length === 0) return true;
    const page = await sample.results[0].data();
    const text = [page.content, ...Object.values(page.meta)].join(" ");
    const tokens = textTerms(text);
    return terms.every((term) => heldIn(tokens, term));
  }));
  const kept = years.filter((_, index) => real[index]);
  return kept.length === years.length ? null : kept;
}

// Letters as Pagefind compares them: lower case, accents dropped but for the Swedish
// letters (exactDiacritics), punctuation and dashes taken out of words.
function normalised(word) {
  return word.toLowerCase().normalize("NFD")
    .replace(/(?![\u0308\u030A])\p{M}/gu, "").normalize("NFC")
    .replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "");
}

function searchTerms(words) {
  return words.split(/\s+/).map(normalised).filter(Boolean);
}

// Each word of a page's text, whole and cut at its dashes and punctuation.
function textTerms(text) {
  const tokens = new Set();
  for (const chunk of text.split(/\s+/)) {
    tokens.add(normalised(chunk));
    for (const part of chunk.split(/[\p{Pd}\p{Po}\p{Ps}\p{Pe}]+/u)) tokens.add(normalised(part));
  }
  tokens.delete("");
  return [...tokens];
}

// Endings the Swedish stemmer takes off (Snowball's three steps), so that a search word
// counts as held in a text whose word shares the stem: "nämnderna" in "nämnden".
const ENDINGS = ("a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er " +
  "heter or as arnas ernas ornas es ades andes ens arens hetens erns at andet het ast et s").split(" ");
const DOUBLED = new Set(["dd", "gd", "nn", "dt", "gt", "kt", "tt"]);
const OTHER_ENDINGS = ["lig", "ig", "els"];

function stems(word) {
  // Step one (a main ending) and two (a doubled consonant), then step three on each.
  const shorter = [word];
  for (const ending of ENDINGS) {
    if (!word.endsWith(ending) || word.length - ending.length < 2) continue;
    const stem = word.slice(0, -ending.length);
    shorter.push(stem);
    if (DOUBLED.has(stem.slice(-2))) shorter.push(stem.slice(0, -1));
  }
  const found = new Set(shorter);
  for (const each of shorter) {
    for (const other of OTHER_ENDINGS) {
      if (each.endsWith(other) && each.length - other.length >= 2) found.add(each.slice(0, -other.length));
    }
    if (/(ös|full)t$/.test(each)) found.add(each.slice(0, -1));
  }
  return [...found];
}

function heldIn(tokens, term) {
  const starts = stems(term);
  return tokens.some((token) => starts.some((start) => token.startsWith(start)));
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

// Pieces of a sentence (each a list of nodes and strings) as Swedish lists them: "a, b och c".
function listed(pieces, lastJoin) {
  return pieces.flatMap((piece, index) =>
    index === 0 ? piece : [index === pieces.length - 1 ? ` ${lastJoin} ` : ", ", ...piece]);
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

function onTopic(page, anchorId, topic) {
  return !topic || (page.meta[`amnen-${anchorId}`] || "").split(" ").includes(topic);
}

// How many of the search words the words Pagefind found in a paragraph hold (its
// locations count the words of the page's content).
function termsFound(page, sub, terms) {
  const words = page.content.split(/\s+/);
  const found = (sub.locations || []).map((index) => normalised(words[index] || ""));
  return terms.filter((term) => heldIn(found, term)).length;
}

// The paragraphs (and agenda items) to show under a hit: those on the chosen topic, and
// of several search words, those holding all of them ("Mikael Broman": not a paragraph
// naming Mikael Holmlund alone), else those holding the most first. A search by topic
// alone finds no words: then the paragraphs on the topic, from what each carries.
function paragraphsOf(page, { terms, topic }) {
  let subs = page.sub_results.filter((sub) => sub.anchor && onTopic(page, sub.anchor.id, topic));
  if (terms.length > 1) {
    const ranked = subs.map((sub, index) => [termsFound(page, sub, terms), index, sub]);
    ranked.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const every = ranked.filter(([count]) => count === terms.length);
    subs = (every.length ? every : ranked).map(([, , sub]) => sub);
  }
  if (subs.length === 0 && topic) subs = topicParagraphs(page, topic);
  return subs.slice(0, PARAGRAPHS_PER_HIT);
}

function topicParagraphs(page, topic) {
  const ids = Object.keys(page.meta).filter((key) => key.startsWith("amnen-"))
    .map((key) => key.slice("amnen-".length)).filter((id) => onTopic(page, id, topic));
  const number = (id) => Number(id.replace(/\D+/g, ""));
  ids.sort((a, b) => number(a) - number(b));
  return ids.map((id) => ({
    anchor: { id },
    title: [id.startsWith("punkt-") ? `${number(id)}.` : `§ ${number(id)}`, page.meta[`rubrik-${id}`]]
      .filter(Boolean).join(" "),
    url: `${page.url}#${id}`,
    excerpt: "",
  }));
}

function hitItem(page) {
  const item = element("li", "search-hit");
  const heading = element("h2");
  heading.append(link(page.meta.title || page.url, page.url));
  item.append(heading);
  const facts = [...(page.filters.organ || []), page.meta.datum].filter(Boolean);
  if (facts.length) item.append(element("p", "search-facts", facts.join(", ")));
  const subs = paragraphsOf(page, shown);
  if (subs.length === 0) {
    if (page.excerpt) item.append(excerpt(page.excerpt));
    return item;
  }
  const paragraphs = element("ul", "search-paragraphs");
  for (const sub of subs) {
    const entry = element("li");
    const title = element("h3");
    title.append(link(sub.title, sub.url));
    entry.append(title);
    if (sub.excerpt) entry.append(excerpt(sub.excerpt));
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
