// Check a text: paste Chinese (and optionally the English draft). RecognizeTerms marks every glossary term,
// with its rendering on hover and focus; each sentence gets its best TM matches (LookupStream, one request
// for the whole text) with the differing spans marked and the figures the server carried over.
import {api, ApiError, errorMessage} from './api.js';
import {token} from './auth.js';
import {h, marked, replace, utf16} from './dom.js';
import {t} from './i18n.js';

// The sentences of a text, by the rule the bundled TM was aligned with (server/core/text/segmenter.h): a
// sentence ends after 。！？!? and the closing quotes or brackets that follow; a line break ends one too.
export function sentences(text) {
  const out = [];
  for (const line of text.split(/\r?\n/)) {
    const re = /[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)/gu;
    for (const m of line.matchAll(re)) {
      if (m[0].trim()) out.push(m[0].trim());
    }
  }
  return out;
}

let tipCount = 0;

// In an English text, whether the form that matched is one the entry says not to use (the server names the
// form as stored, so this is a lookup, not matching).
function formStatus(hit) {
  if ((hit.entry.enForbidden || []).includes(hit.matchedForm)) return 'forbidden';
  if ((hit.entry.enDeprecated || []).includes(hit.matchedForm)) return 'deprecated';
  return '';
}

// `text` with the recognised terms marked; each mark is focusable and describes itself with the rendering
// (in an English draft, with the Chinese headword, or with the rendering to use instead of a banned form).
function markTerms(text, hits, lang) {
  return marked(text, hits.map((hit) => ({...utf16(hit.span), hit})), (piece, {hit}) => {
    const id = 'term-tip-' + tipCount++;
    const banned = lang === 'en' ? formStatus(hit) : '';
    const tip = banned ? t('check.use', t('term.' + banned), hit.entry.en)
                       : lang === 'en' ? hit.entry.zh : hit.entry.en;
    return h('mark', {class: 'term ' + (hit.entry.renderingStatus || '').toLowerCase().replace(/_/g, '-') +
                             (banned ? ' ' + banned : ''),
                      tabindex: 0, 'aria-describedby': id,
                      dataset: banned ? {id: hit.entry.id, status: banned} : {id: hit.entry.id}},
             piece,
             h('span', {class: 'tip', role: 'tooltip', id, lang: lang === 'en' && !banned ? 'zh-CN' : 'en'}, tip));
  });
}

async function lookupAll(texts) {
  const res = await fetch('/v1/tm:lookupStream', {
    method: 'POST',
    headers: Object.assign({'Content-Type': 'application/x-ndjson'},
                           token() ? {Authorization: 'Bearer ' + token()} : {}),
    body: texts.map((text) => JSON.stringify({text, maxResults: 3})).join('\n') + '\n',
  });
  if (!res.ok) {
    let e = {};
    try { e = (await res.json()).error || {}; } catch { /* keep the status line */ }
    throw new ApiError(res.status, e.status || '', e.message || res.statusText);
  }
  return (await res.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function matchView(query, m) {
  const queryDiffs = m.diffs.filter((d) => d.query).map((d) => utf16(d.query));
  const sourceDiffs = m.diffs.filter((d) => d.source).map((d) => utf16(d.source));
  const diffMark = (piece) => h('mark', {class: 'diff'}, piece);
  const failed = m.substitutions.filter((s) => !s.applied);
  return h('li', {class: 'match'},
    h('p', {class: 'score'}, t('check.score', m.score), ' · ', m.kind.replace('MATCH_KIND_', '').toLowerCase(),
      m.placeable ? h('span', {class: 'badge placeable'}, t('check.placeable')) : null,
      ' · ', h('code', {}, m.segment.id)),
    queryDiffs.length ? h('p', {class: 'query', lang: 'zh-CN'}, h('span', {class: 'label'}, t('check.yours')),
                          marked(query, queryDiffs, diffMark)) : null,
    h('p', {class: 'stored', lang: 'zh-CN'}, h('span', {class: 'label'}, t('check.stored')),
      marked(m.segment.source, sourceDiffs, diffMark)),
    h('p', {class: 'target', lang: 'en'}, h('span', {class: 'label'}, t('check.target.stored')), m.segment.target),
    m.placeable ? h('p', {class: 'substituted', lang: 'en'}, h('span', {class: 'label'}, t('check.substituted')),
                    m.substitutedTarget) : null,
    m.substitutions.length ? h('ul', {class: 'figures'}, m.substitutions.map((s) =>
        h('li', {class: s.applied ? 'applied' : 'not-applied'}, s.stored + ' → ' + s.query,
          s.applied ? ': “' + s.storedRendering + '” → “' + s.queryRendering + '”' : ': ' + s.reason))) : null,
    failed.length ? h('p', {class: 'warning', role: 'note'},
                      t('check.notCarried', failed.map((s) => s.stored + ' → ' + s.query).join(', '))) : null);
}

export async function render(view) {
  const source = h('textarea', {id: 'check-source', rows: 6, lang: 'zh-CN', required: true});
  const target = h('textarea', {id: 'check-target', rows: 4, lang: 'en'});
  const out = h('section', {id: 'check-results', 'aria-live': 'polite'});
  const form = h('form', {class: 'check'},
    h('div', {class: 'field'}, h('label', {for: 'check-source'}, t('check.source')), source),
    h('div', {class: 'field'}, h('label', {for: 'check-target'}, t('check.target')), target),
    h('div', {class: 'buttons'}, h('button', {type: 'submit', id: 'check-submit'}, t('check.submit'))));
  replace(view, h('h1', {}, t('check.title')), form, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = source.value.trim(), draft = target.value.trim();
    if (!text) return;
    replace(out, h('p', {}, t('loading')));
    try {
      const parts = sentences(text);
      const [zh, en, matches] = await Promise.all([
        api('POST', '/v1/terms:recognize', {body: {text, language: 'LANGUAGE_ZH'}}),
        draft ? api('POST', '/v1/terms:recognize', {body: {text: draft, language: 'LANGUAGE_EN'}}) : null,
        lookupAll(parts),
      ]);
      replace(out,
        h('h2', {id: 'terms-heading'}, t('check.terms', zh.hits.length)),
        h('p', {class: 'checked', lang: 'zh-CN', id: 'checked-source'}, markTerms(text, zh.hits, 'zh')),
        en ? [h('h2', {}, t('check.draftTerms', en.hits.length)),
              h('p', {class: 'checked', lang: 'en', id: 'checked-target'}, markTerms(draft, en.hits, 'en')),
              h('p', {class: 'hint'}, t('check.qaUnavailable'))] : null,
        h('h2', {}, t('check.sentences')),
        h('ol', {class: 'sentences'}, parts.map((s, i) => h('li', {class: 'sentence'},
          h('p', {class: 'sentence-text', lang: 'zh-CN'}, s),
          matches[i].matches.length ? h('ul', {class: 'matches'}, matches[i].matches.map((m) => matchView(s, m)))
                                    : h('p', {class: 'hint'}, t('check.noMatch'))))));
    } catch (err) {
      replace(out, h('p', {class: 'error', role: 'alert'}, errorMessage(err)));
    }
  });
  source.focus();
}
