// Import and export. An import is checked first (dry run: the server parses and counts everything and
// changes nothing), its report shown, and only then committed; both are all-or-nothing on the server.
import {download, errorMessage, upload} from './api.js';
import {announce, h, replace} from './dom.js';
import {t} from './i18n.js';

const TARGETS = {
  glossary: {path: '/v1/terms:import', label: 'transfer.glossary', accept: '.tbx,.xml,.tsv,.txt,.csv'},
  tm: {path: '/v1/tm:import', label: 'transfer.tm', accept: '.tmx,.xml,.tsv,.txt'},
};
const EXPORTS = [
  ['/v1/terms:export', 'transfer.glossary', ['tbx', 'tbx2008', 'tsv', 'csv', 'jsonl']],
  ['/v1/tm:export', 'transfer.tm', ['tmx', 'tsv', 'jsonl']],
];

function report(summary) {
  const counts = ['created', 'updated', 'unchanged', 'skipped'];
  return h('div', {class: 'report', id: 'import-report'},
    h('p', {class: summary.dryRun ? 'done dry-run' : 'done'}, t(summary.dryRun ? 'transfer.dryRunDone' : 'transfer.committed')),
    h('table', {},
      h('caption', {}, t('transfer.report')),
      h('tbody', {},
        h('tr', {}, h('th', {scope: 'row'}, t('transfer.format')), h('td', {}, summary.format)),
        counts.map((c) => h('tr', {}, h('th', {scope: 'row'}, t('transfer.' + c)), h('td', {class: c}, summary[c]))))),
    summary.issues.length ? [h('h3', {}, t('transfer.issues')), h('ul', {class: 'issues'}, summary.issues.map((i) =>
        h('li', {}, t('transfer.line', i.line, i.column), i.unitId ? ' · ' + i.unitId : '', ': ' + i.reason)))]
                          : null);
}

export async function render(view) {
  const target = h('select', {id: 'import-target'},
                   Object.entries(TARGETS).map(([k, v]) => h('option', {value: k}, t(v.label))));
  const file = h('input', {id: 'import-file', type: 'file', required: true, accept: TARGETS.glossary.accept});
  const collection = h('input', {id: 'import-collection', type: 'text'});
  const progress = h('progress', {id: 'import-progress', max: 1, value: 0, 'aria-label': t('transfer.progress')});
  const out = h('div', {id: 'import-result', 'aria-live': 'polite'});
  const dry = h('button', {type: 'button', id: 'dry-run'}, t('transfer.dryRun'));
  const commit = h('button', {type: 'button', id: 'commit', disabled: true}, t('transfer.commit'));
  target.addEventListener('change', () => {
    file.accept = TARGETS[target.value].accept;
    commit.disabled = true;
  });
  file.addEventListener('change', () => { commit.disabled = true; });

  const run = async (dryRun) => {
    if (!file.files.length) return file.reportValidity();
    dry.disabled = commit.disabled = true;
    progress.value = 0;
    replace(out);
    try {
      const summary = await upload(TARGETS[target.value].path, {dry_run: dryRun, collection: collection.value.trim()},
                                   file.files[0], (p) => { progress.value = p; });
      progress.value = 1;
      replace(out, report(summary));
      announce(out.textContent);
      commit.disabled = !dryRun;  // Commit what was just checked; after a commit, check again first.
    } catch (e) {
      replace(out, h('p', {class: 'error', role: 'alert', id: 'import-error'}, t('transfer.failed'), ' ', errorMessage(e)));
    } finally {
      dry.disabled = false;
    }
  };
  dry.addEventListener('click', () => run(true));
  commit.addEventListener('click', () => run(false));

  replace(view, h('h1', {}, t('transfer.title')),
    h('section', {}, h('h2', {}, t('transfer.import')),
      h('form', {class: 'import', onsubmit: (e) => e.preventDefault()},
        h('div', {class: 'field'}, h('label', {for: 'import-target'}, t('transfer.into')), target),
        h('div', {class: 'field'}, h('label', {for: 'import-file'}, t('transfer.file')), file),
        h('div', {class: 'field'}, h('label', {for: 'import-collection'}, t('transfer.collection')), collection),
        h('div', {class: 'buttons'}, dry, commit), progress),
      out),
    h('section', {}, h('h2', {}, t('transfer.export')),
      EXPORTS.map(([path, label, formats]) => h('div', {class: 'exports'}, h('h3', {}, t(label)),
        formats.map((f) => h('button', {type: 'button', class: 'export', dataset: {format: f}, onclick: async () => {
          try {
            announce(t('transfer.downloaded', await download(path, {format: f})));
          } catch (e) {
            announce(errorMessage(e));
          }
        }}, t('transfer.download', f.toUpperCase())))))));
}
