// Concordance: the pairs holding a phrase on either side, hits highlighted, with the pair's neighbours in
// the document on request.
import {api, errorMessage} from './api.js';
import {announce, h, marked, replace, utf16} from './dom.js';
import {t} from './i18n.js';

const hit = (piece) => h('mark', {class: 'hit'}, piece);

async function neighbours(box, seg) {
  const get = (id) => id ? api('GET', '/v1/segments/' + encodeURIComponent(id)).then((r) => r.segment, () => null)
                         : null;
  const [prev, next] = await Promise.all([get(seg.previousId), get(seg.nextId)]);
  const pair = (label, s) => s ? h('div', {class: 'neighbour'}, h('p', {class: 'label'}, t(label)),
                                   h('p', {lang: 'zh-CN'}, s.source), h('p', {lang: 'en'}, s.target)) : null;
  replace(box, pair('conc.previous', prev), pair('conc.next', next));
}

export async function render(view, _params, query) {
  const input = h('input', {id: 'conc-query', type: 'search', required: true});
  const side = h('select', {id: 'conc-side'}, [['', 'conc.both'], ['source', 'conc.source'], ['target', 'conc.target']]
                   .map(([v, label]) => h('option', {value: v}, t(label))));
  const out = h('section', {id: 'conc-results'});  // A summary is announced, not every pair.
  const form = h('form', {role: 'search', class: 'search'},
    h('div', {class: 'field'}, h('label', {for: 'conc-query'}, t('conc.query')), input),
    h('div', {class: 'field'}, h('label', {for: 'conc-side'}, t('conc.side')), side),
    h('button', {type: 'submit'}, t('conc.submit')));
  replace(view, h('h1', {}, t('conc.title')), form, out);
  const run = async () => {
    const q = input.value.trim();
    if (!q) return;
    history.replaceState(null, '', '/concordance?' + new URLSearchParams({q, side: side.value}));
    try {
      const r = await api('GET', '/v1/tm:concordance', {query: {query: q, side: side.value, limit: 50}});
      announce(r.hits.length ? t('conc.hits', r.hits.length) : t('conc.none', q));
      if (!r.hits.length) return replace(out, h('p', {}, t('conc.none', q)));
      replace(out, h('p', {}, t('conc.hits', r.hits.length)), h('ol', {class: 'hits'}, r.hits.map((x) => {
        const box = h('div', {class: 'context'});
        const details = h('details', {}, h('summary', {}, t('conc.context')), box);
        details.addEventListener('toggle', () => { if (details.open && !box.hasChildNodes()) neighbours(box, x.segment); },
                                 {once: false});
        return h('li', {class: 'pair'},
          h('p', {lang: 'zh-CN', class: 'source'}, marked(x.segment.source, x.sourceHighlights.map(utf16), hit)),
          h('p', {lang: 'en', class: 'target'}, marked(x.segment.target, x.targetHighlights.map(utf16), hit)),
          h('p', {class: 'meta'}, h('code', {}, x.segment.id), ' · ' + x.segment.collection), details);
      })));
    } catch (e) {
      replace(out, h('p', {class: 'error', role: 'alert'}, errorMessage(e)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  input.value = query.get('q') || '';
  side.value = query.get('side') || '';
  input.focus();
  if (input.value) await run();
}
