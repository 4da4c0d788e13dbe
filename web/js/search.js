// Search: one box for either language and any script. As you type, SuggestTerms completes the prefix; on
// submit, LookupTerm finds the entries whose forms equal the text after the server's folding, and the
// completions follow. Folding, matching and ranking are the server's.
import {api, errorMessage} from './api.js';
import {announce, go, h, replace} from './dom.js';
import {token} from './auth.js';
import {entryCard, entryForm} from './entry.js';
import {t} from './i18n.js';

// TermEntry.kind's values (proto/heluo/v1/glossary.proto).
const KINDS = ['report-glossary', 'report-slogan', 'national-term'];
const SUGGEST_LIMIT = 8;

export async function render(view, _params, query) {
  const input = h('input', {id: 'q', name: 'q', type: 'search', autocomplete: 'off', spellcheck: 'false',
                            role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
                            'aria-controls': 'suggestions', 'aria-describedby': 'search-hint'});
  const list = h('ul', {id: 'suggestions', role: 'listbox', class: 'suggestions', 'aria-label': t('search.suggestions'),
                        hidden: true});
  const collection = h('select', {id: 'collection', name: 'collection'}, h('option', {value: ''}, t('search.all')));
  const kind = h('select', {id: 'kind', name: 'kind'}, h('option', {value: ''}, t('search.all')),
                 KINDS.map((k) => h('option', {value: k}, k)));
  const results = h('section', {id: 'results'});  // A summary is announced, not every card.
  const form = h('form', {role: 'search', class: 'search'},
                 h('div', {class: 'combo'}, h('label', {for: 'q'}, t('search.label')), input, list),
                 h('div', {class: 'filters'},
                   h('span', {}, h('label', {for: 'collection'}, t('search.collection')), collection),
                   h('span', {}, h('label', {for: 'kind'}, t('search.kind')), kind),
                   h('button', {type: 'submit'}, t('search.submit'))));
  const deleted = query.get('deleted');
  const adding = h('div', {id: 'new-entry'});
  replace(view, h('h1', {}, t('search.title')), form, h('p', {id: 'search-hint', class: 'hint'}, t('search.hint')),
          deleted ? h('p', {role: 'status', class: 'done'}, t('entry.deleted', deleted)) : null,
          token() ? h('button', {type: 'button', id: 'new', onclick: () => newEntry(adding)}, t('entry.new')) : null,
          adding, results);

  input.value = query.get('q') || '';
  kind.value = query.get('kind') || '';
  wireSuggestions(input, list);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    hideSuggestions(input, list);
    const params = new URLSearchParams();
    for (const [k, v] of [['q', input.value.trim()], ['collection', collection.value], ['kind', kind.value]]) {
      if (v) params.set(k, v);
    }
    history.replaceState(null, '', '/' + (params.size ? '?' + params : ''));
    search(results, input.value.trim(), collection.value, kind.value);
  });
  input.focus();
  loadCollections(collection, query.get('collection') || '');
  if (input.value) await search(results, input.value.trim(), query.get('collection') || '', kind.value);
}

async function loadCollections(select, chosen) {
  try {
    const stats = await api('GET', '/v1/stats');
    for (const c of stats.collections) {
      if (Number(c.terms) > 0) select.append(h('option', {value: c.name}, c.name));
    }
    select.value = chosen;
  } catch {
    // The filter stays at "All"; searching still works.
  }
}

async function search(results, text, collection, kind) {
  if (!text) return replace(results);
  replace(results, h('p', {}, t('loading')));
  try {
    const [found, suggested] = await Promise.all([
      api('GET', '/v1/terms:lookup', {query: {text, collections: collection}}),
      [...text].length <= 64 ? api('GET', '/v1/terms:suggest', {query: {prefix: text, limit: 50}})
                             : {suggestions: []},
    ]);
    const keep = (e) => (!kind || e.kind === kind) && (!collection || e.collection === collection);
    const exact = found.entries.filter(keep);
    const seen = new Set(exact.map((e) => e.id));
    const more = suggested.suggestions.map((s) => s.entry).filter((e) => keep(e) && !seen.has(e.id));
    replace(results,
            exact.length ? [h('h2', {}, t('search.exact')), h('ul', {class: 'cards'}, exact.map(entryCard))] : null,
            more.length ? [h('h2', {}, t('search.starting', text)), h('ul', {class: 'cards'}, more.map(entryCard))]
                        : null,
            !exact.length && !more.length ? h('p', {}, t('search.none', text)) : null);
    announce(exact.length || more.length ? t('search.count', exact.length, more.length, text) : t('search.none', text));
  } catch (e) {
    replace(results, h('p', {class: 'error', role: 'alert'}, errorMessage(e)));
  }
}

function hideSuggestions(input, list) {
  list.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
}

// The combobox pattern of WAI-ARIA: arrows move through the suggestions, Enter opens one, Escape closes.
function wireSuggestions(input, list) {
  let pending = null, timer = 0, active = -1;
  const options = () => [...list.querySelectorAll('[role=option]')];
  const setActive = (i) => {
    const all = options();
    active = all.length ? (i + all.length) % all.length : -1;
    all.forEach((o, j) => o.setAttribute('aria-selected', j === active ? 'true' : 'false'));
    if (active >= 0) input.setAttribute('aria-activedescendant', all[active].id);
  };
  const fetchSuggestions = async () => {
    const prefix = input.value.trim();
    if (pending) pending.abort();
    if (!prefix || [...prefix].length > 64) return hideSuggestions(input, list);
    pending = new AbortController();
    try {
      const r = await api('GET', '/v1/terms:suggest', {query: {prefix, limit: SUGGEST_LIMIT}, signal: pending.signal});
      active = -1;
      replace(list, r.suggestions.map((s, i) => h('li', {id: 'suggestion-' + i, role: 'option', 'aria-selected': 'false',
                                                          dataset: {id: s.entry.id}},
        h('span', {lang: s.language === 'LANGUAGE_EN' ? 'en' : 'zh-CN', class: 'form'}, s.form),
        h('span', {class: 'other', lang: s.language === 'LANGUAGE_EN' ? 'zh-CN' : 'en'},
          s.language === 'LANGUAGE_EN' ? s.entry.zh : s.entry.en))));
      list.hidden = r.suggestions.length === 0;
      input.setAttribute('aria-expanded', String(!list.hidden));
    } catch (e) {
      if (e.name !== 'AbortError') hideSuggestions(input, list);
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 80);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      go('/terms/' + encodeURIComponent(options()[active].dataset.id));
    } else if (e.key === 'Escape') {
      hideSuggestions(input, list);
    }
  });
  input.addEventListener('blur', () => setTimeout(() => hideSuggestions(input, list), 150));
  list.addEventListener('mousedown', (e) => {
    const li = e.target.closest('[role=option]');
    if (!li) return;
    e.preventDefault();
    go('/terms/' + encodeURIComponent(li.dataset.id));
  });
}

// A new entry: the server needs id, zh and en; the mask names the fields filled in.
function newEntry(box) {
  const message = h('p', {role: 'status'});
  const form = entryForm({}, {withId: true, onSave: async (changed, id) => {
    try {
      await api('PUT', '/v1/terms/' + encodeURIComponent(id), {query: {updateMask: Object.keys(changed).join(',')},
                                                              body: changed});
      go('/terms/' + encodeURIComponent(id));
    } catch (err) {
      replace(message, h('span', {class: 'error', role: 'alert'}, errorMessage(err)));
    }
  }});
  replace(box, h('h2', {}, t('entry.new')), form, message);
  form.querySelector('input').focus();
}
