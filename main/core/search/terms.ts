// Text → index terms for the search view's lexical ranker: identifiers split into words
// (`get_pull_request`, `browser-tabs`, `readFile`, `HTTPServer`, `server.tool`), lower case, a small
// stopword list, and a light suffix stripper so "files"/"file", "created"/"create"/"creating" meet.
// Deliberately small: no dictionary, no model, the same on every machine.

/** Words that say nothing about which tool is meant (English function words, request phrasing). */
const STOPWORDS = new Set(
  (
    'a an the of to in on at for from by with without into onto about and or but not no is are was were be been being ' +
    'this that these those it its it\'s i me my we our us you your he she they them their there here ' +
    'do does did done can could would should will shall may might must please want need like ' +
    'what which who whom whose how when where why some any each every all just also only then than so ' +
    'tool tools use using used via let lets'
  ).split(' '),
);

/**
 * Everyday words for the same action or thing. A query term also matches its group's other members
 * (at a lower weight, see SYNONYM_WEIGHT in search-index.ts). Groups are kept general on purpose.
 */
const SYNONYM_GROUPS: string[][] = [
  ['delete', 'remove', 'erase', 'drop', 'forget', 'destroy'],
  ['create', 'make', 'new', 'add'],
  ['get', 'fetch', 'retrieve', 'obtain', 'show', 'view', 'read'],
  ['list', 'enumerate', 'show'],
  ['search', 'find', 'lookup', 'look', 'query'],
  ['update', 'modify', 'change', 'edit'],
  ['send', 'post', 'publish'],
  ['write', 'save', 'store'],
  ['run', 'execute', 'evaluate', 'eval'],
  ['directory', 'folder', 'dir'],
  ['repository', 'repo', 'project'],
  ['pull', 'pr', 'merge'],
  ['screenshot', 'capture', 'image', 'picture', 'snapshot'],
  ['navigate', 'open', 'visit', 'go', 'goto', 'browse'],
  ['message', 'chat', 'post'],
  ['coordinate', 'latitude', 'longitude', 'geocode', 'location'],
  ['user', 'member', 'people', 'person', 'who'],
  ['rename', 'move'],
  ['sum', 'add', 'plus', 'total'],
  ['comment', 'reply', 'answer'],
  ['think', 'reason', 'thought', 'reasoning'],
  ['key', 'keyboard', 'press'],
  ['web', 'internet', 'online'],
  ['sql', 'database', 'db', 'table'],
];

/** Strips common English inflections so a word and its plural or -ed/-ing form share a term. */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  // "running" → "runn" → "run"; "dropped" → "dropp" → "drop"
  if (w.length > 3 && /([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
  // "create", "created", "creating" all end as "creat"
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** The words of a text or identifier, lower case, before stemming. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2') // readFile → read File
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') // HTTPServer → HTTP Server
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Index terms of a text: words without stopwords, stemmed. */
export function terms(text: string): string[] {
  return words(text)
    .filter((word) => !STOPWORDS.has(word))
    .map(stem);
}

const SYNONYMS = new Map<string, Set<string>>();
for (const group of SYNONYM_GROUPS) {
  const stems = group.map(stem);
  for (const member of stems) {
    const others = SYNONYMS.get(member) ?? new Set<string>();
    for (const other of stems) if (other !== member) others.add(other);
    SYNONYMS.set(member, others);
  }
}

/** Other terms that stand for the same thing as `term` (a stemmed term). */
export function synonymsOf(term: string): ReadonlySet<string> {
  return SYNONYMS.get(term) ?? new Set();
}
