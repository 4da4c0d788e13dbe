// Check a text: paste Chinese (and optionally the English draft). RecognizeTerms marks every glossary term,
// with its rendering on hover and focus; with a draft, the terminology check (CheckTerminology) marks its
// issues in both texts and lists them; each sentence gets its best TM matches (LookupStream, one request
// for the whole text) with the differing spans marked and the figures the server carried over.
import {api, ApiError, errorMessage} from './api.js';
import {token} from './auth.js';
import {announce, h, marked, replace, utf16} from './dom.js';
import {copyButton} from './entry.js';
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

// `text` with the recognised terms marked; each mark is focusable and describes itself with the rendering
// (in an English draft, with the Chinese headword). `issueRanges` (the terminology check's spans on this
// side, below) are marked instead of the terms they overlap.
function markTerms(text, hits, lang, issueRanges = []) {
  const overlaps = (r) => issueRanges.some((i) => r.begin < i.end && i.begin < r.end);
  const terms = hits.map((hit) => ({...utf16(hit.span), hit})).filter((r) => !overlaps(r));
  return marked(text, [...terms, ...issueRanges], (piece, range) => {
    if (range.issues) return issueMark(piece, range.issues, lang);
    const {hit} = range;
    const id = 'term-tip-' + tipCount++;
    return h('mark', {class: 'term ' + (hit.entry.renderingStatus || '').toLowerCase().replace(/_/g, '-'),
                      tabindex: 0, 'aria-describedby': id, dataset: {id: hit.entry.id}},
             piece,
             h('span', {class: 'tip', role: 'tooltip', id},
               h('span', {class: 'other', lang: lang === 'en' ? 'zh-CN' : 'en'}, lang === 'en' ? hit.entry.zh : hit.entry.en),
               ' · ', t('status.' + (hit.entry.renderingStatus || 'RENDERING_STATUS_UNSPECIFIED'))));
  });
}

// --- Terminology QA (Glossary.CheckTerminology): the server finds the issues and says where they are, in
// both texts, in UTF-16 units (JavaScript's string indices); the page only marks those spans.

const kindName = (issue) => issue.kind.replace('TERM_ISSUE_KIND_', '').toLowerCase().replace(/_/g, '-');
const severityName = (issue) => issue.severity.replace('TERM_ISSUE_SEVERITY_', '').toLowerCase();

// The issues' spans on one side ('sourceSpan' or 'targetSpan') as ranges for marked(): issues on the same
// or overlapping characters (a term counted twice, a deprecated form for a term the source has twice)
// share one mark that lists them all.
function issueRanges(issues, side) {
  const spans = issues.filter((i) => i[side] && i[side].utf16End > i[side].utf16Begin)
      .map((i) => ({...utf16(i[side]), issues: [i]})).sort((a, b) => a.begin - b.begin);
  const out = [];
  for (const r of spans) {
    const last = out[out.length - 1];
    if (last && r.begin < last.end) {
      last.end = Math.max(last.end, r.end);
      last.issues.push(...r.issues);
    } else {
      out.push(r);
    }
  }
  return out;
}

// "1 · missing rendering (error): use “stability on six fronts”": what a mark's tooltip and the list say.
function issueSummary(issue) {
  return t('qa.summary', issue.number, t('qa.kind.' + kindName(issue)), t('qa.severity.' + severityName(issue))) +
         (issue.expected.length ? t('qa.use', issue.expected[0]) : '');
}

// One mark for the issues on these characters: kind and severity as classes (colour and underline style),
// the issue numbers as visible text, and the summary on hover and keyboard focus.
function issueMark(piece, issues, lang) {
  const id = 'issue-tip-' + tipCount++;
  const worst = issues.some((i) => severityName(i) === 'error') ? 'error' : 'warning';
  const termId = issues.map((i) => i.termId).find(Boolean);
  // Enter or a click goes to the (first) issue in the list below, where its renderings can be copied.
  const open = (e) => {
    if (e.type === 'keydown' && e.key !== 'Enter') return;
    e.preventDefault();
    const item = document.getElementById('qa-issue-' + issues[0].number);
    item.scrollIntoView({block: 'nearest'});
    item.focus();
  };
  return h('mark', {onclick: open, onkeydown: open,class: 'issue sev-' + worst + ' ' + issues.map(kindName).join(' '), tabindex: 0,
                    'aria-describedby': id,
                    dataset: Object.assign({issues: issues.map((i) => i.number).join(' '),
                                            kind: kindName(issues[0])}, termId ? {id: termId} : {})},
           h('span', {class: 'text'}, piece),
           h('sup', {class: 'issue-no', 'aria-hidden': 'true'}, issues.map((i) => i.number).join(',')),
           h('span', {class: 'tip', role: 'tooltip', id, lang: document.documentElement.lang},
             issues.map((i) => h('span', {class: 'line'}, issueSummary(i)))));
}

// Issues that have no place in the draft (a rendering missing, a figure left out): listed under it, by
// number, with the rendering expected.
function unplaced(issues) {
  const list = issues.filter((i) => !i.targetSpan || i.targetSpan.utf16End <= i.targetSpan.utf16Begin);
  if (!list.length) return null;
  return h('div', {class: 'unplaced'}, h('p', {class: 'label', id: 'qa-unplaced-label'}, t('qa.notInDraft')),
    h('ul', {id: 'qa-unplaced', 'aria-labelledby': 'qa-unplaced-label'}, list.map((i) =>
      h('li', {class: 'issue-ref sev-' + severityName(i) + ' ' + kindName(i), dataset: {issue: i.number}},
        h('span', {class: 'issue-no'}, String(i.number)), ' ',
        i.expected.length ? h('span', {lang: 'en'}, i.expected[0]) : null,
        i.sourceText ? [' ', h('span', {class: 'hint', lang: 'zh-CN'}, '(' + i.sourceText + ')')] : null))));
}

// The list under the two texts: per issue its number, kind and severity in words, the server's sentence,
// what each text has, and the expected renderings (preferred first) with copy buttons.
function issueItem(issue) {
  const kind = kindName(issue), severity = severityName(issue);
  const preferred = issue.termId && !/do-not-translate/.test(kind);
  return h('li', {class: 'issue sev-' + severity + ' ' + kind, id: 'qa-issue-' + issue.number, tabindex: -1,
                  dataset: Object.assign({kind}, issue.termId ? {id: issue.termId} : {})},
    h('p', {class: 'head'}, h('span', {class: 'issue-no'}, String(issue.number)), ' ',
      h('span', {class: 'badge severity sev-' + severity}, t('qa.severity.' + severity)), ' ',
      h('strong', {class: 'kind'}, t('qa.kind.' + kind)),
      issue.termId ? [' · ', h('a', {href: '/terms/' + encodeURIComponent(issue.termId)}, issue.termId)] : null),
    h('p', {class: 'message', lang: 'en'}, issue.message),
    h('dl', {class: 'where'},
      issue.sourceText ? [h('dt', {}, t('qa.inSource')), h('dd', {lang: 'zh-CN', class: 'source-text'}, issue.sourceText)]
                       : null,
      h('dt', {}, t('qa.inDraft')),
      h('dd', {class: 'found'}, issue.found ? h('span', {lang: issue.kind.endsWith('UNTRANSLATED') ? 'zh-CN' : 'en'},
                                                issue.found)
                                            : h('span', {class: 'hint'}, t('qa.nothing'))),
      issue.expected.length
          ? [h('dt', {}, t('qa.expected')),
             h('dd', {}, h('ul', {class: 'expected'}, issue.expected.map((e, k) =>
               h('li', {}, h('span', {lang: 'en', class: 'rendering'}, e),
                 preferred ? [' ', h('span', {class: 'badge ' + (k ? 'admitted' : 'preferred')},
                                     t(k ? 'term.admitted' : 'term.preferred'))] : null,
                 ' ', copyButton(e)))))]
          : null));
}

// "1 issue", "3 issues" (the Chinese strings have one form).
const plural = (key, n) => t(key + (n === 1 ? '.one' : ''), n);

// The terminology check's answer: both texts side by side with the issues marked, then the list.
function qaView(text, draft, zhHits, enHits, qa) {
  if (qa instanceof Error) {
    return [h('div', {class: 'qa-sides'},
              h('section', {class: 'side'}, h('h3', {}, t('check.source')),
                h('p', {class: 'checked', lang: 'zh-CN', id: 'checked-source'}, markTerms(text, zhHits, 'zh'))),
              h('section', {class: 'side'}, h('h3', {}, t('qa.draft')),
                h('p', {class: 'checked', lang: 'en', id: 'checked-target'}, markTerms(draft, enHits, 'en')))),
            h('h2', {id: 'qa-heading'}, t('qa.title')), h('p', {class: 'error', role: 'alert'}, errorMessage(qa))];
  }
  const issues = qa.issues.map((i, k) => ({...i, number: k + 1}));
  const errors = issues.filter((i) => severityName(i) === 'error').length;
  return [
    h('div', {class: 'qa-sides'},
      h('section', {class: 'side', 'aria-labelledby': 'qa-source-heading'},
        h('h3', {id: 'qa-source-heading'}, t('check.source')),
        h('p', {class: 'checked', lang: 'zh-CN', id: 'checked-source'},
          markTerms(text, zhHits, 'zh', issueRanges(issues, 'sourceSpan')))),
      h('section', {class: 'side', 'aria-labelledby': 'qa-target-heading'},
        h('h3', {id: 'qa-target-heading'}, t('qa.draft')),
        h('p', {class: 'checked', lang: 'en', id: 'checked-target'},
          markTerms(draft, enHits, 'en', issueRanges(issues, 'targetSpan'))),
        unplaced(issues))),
    h('h2', {id: 'qa-heading'}, issues.length ? t('qa.count', plural('qa.issues', issues.length),
                                                  plural('qa.errors', errors), plural('qa.warnings', issues.length - errors))
                                              : t('qa.clean')),
    issues.length ? h('ol', {id: 'qa-issues', class: 'issues'}, issues.map(issueItem))
                  : h('p', {class: 'done', id: 'qa-clean'}, t('qa.cleanHint')),
  ];
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
  // Not a live region (a screen reader would read the whole text again): a summary is announced instead.
  const out = h('section', {id: 'check-results'});
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
    out.setAttribute('aria-busy', 'true');
    try {
      const parts = sentences(text);
      const [zh, en, qa, matches] = await Promise.all([
        api('POST', '/v1/terms:recognize', {body: {text, language: 'LANGUAGE_ZH'}}),
        draft ? api('POST', '/v1/terms:recognize', {body: {text: draft, language: 'LANGUAGE_EN'}}) : null,
        // A draft the check refuses (too long, …) still gets its terms and TM matches; the error is shown
        // where the issues would be.
        draft ? api('POST', '/v1/terms:check', {body: {source: text, target: draft}}).catch((e) => e) : null,
        lookupAll(parts),
      ]);
      replace(out,
        h('h2', {id: 'terms-heading'}, t('check.terms', zh.hits.length)),
        draft ? qaView(text, draft, zh.hits, en.hits, qa)
              : h('p', {class: 'checked', lang: 'zh-CN', id: 'checked-source'}, markTerms(text, zh.hits, 'zh')),
        h('h2', {}, t('check.sentences')),
        h('ol', {class: 'sentences'}, parts.map((s, i) => h('li', {class: 'sentence'},
          h('p', {class: 'sentence-text', lang: 'zh-CN'}, s),
          matches[i].matches.length ? h('ul', {class: 'matches'}, matches[i].matches.map((m) => matchView(s, m)))
                                    : h('p', {class: 'hint'}, t('check.noMatch'))))));
      const heading = out.querySelector('#qa-heading');
      announce(t('check.terms', zh.hits.length) + (heading ? '. ' + heading.textContent : ''));
    } catch (err) {
      replace(out, h('p', {class: 'error', role: 'alert'}, errorMessage(err)));
    } finally {
      out.setAttribute('aria-busy', 'false');
    }
  });
  source.focus();
}
