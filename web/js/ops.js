// The operators' page: Admin.Stats as tables (counts per collection, calls, errors and latency per method).
import {api, errorMessage} from './api.js';
import {h, replace} from './dom.js';
import {t} from './i18n.js';

const ms = (us) => (Number(us) / 1000).toFixed(2);

function duration(seconds) {
  const s = Number(seconds);
  const d = Math.floor(s / 86400), hh = Math.floor(s % 86400 / 3600), mm = Math.floor(s % 3600 / 60);
  return (d ? d + 'd ' : '') + hh + 'h ' + mm + 'm ' + (s % 60) + 's';
}

function table(id, caption, heads, rows) {
  return h('div', {class: 'scroll'}, h('table', {id},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, heads.map((x) => h('th', {scope: 'col'}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => i ? h('td', {}, c) : h('th', {scope: 'row'}, c)))))));
}

export async function render(view) {
  const out = h('div', {id: 'ops'});
  replace(view, h('h1', {}, t('ops.title')),
          h('button', {type: 'button', id: 'ops-refresh', onclick: () => load(out)}, t('ops.refresh')), out);
  await load(out);
}

async function load(out) {
  try {
    const s = await api('GET', '/v1/stats');
    replace(out,
      h('dl', {class: 'facts'},
        [['ops.version', s.serverVersion], ['ops.uptime', duration(s.uptimeSeconds)], ['ops.terms', s.terms],
         ['ops.segments', s.segments], ['ops.schema', s.schemaVersion],
         ['ops.used', (Number(s.usedBytes) / 1048576).toFixed(1) + ' MiB'], ['ops.dataDir', s.dataDir]]
            .map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, String(v))])),
      table('ops-collections', t('ops.collections'), [t('ops.name'), t('ops.terms'), t('ops.segments')],
            s.collections.map((c) => [c.name, c.terms, c.segments])),
      table('ops-methods', t('ops.methods'),
            [t('ops.method'), t('ops.calls'), t('ops.errors'), t('ops.p50'), t('ops.p99'), t('ops.max')],
            s.methods.map((m) => [m.method, m.calls, m.errors, ms(m.p50Us), ms(m.p99Us), ms(m.maxUs)])));
  } catch (e) {
    replace(out, h('p', {class: 'error', role: 'alert'}, errorMessage(e)));
  }
}
