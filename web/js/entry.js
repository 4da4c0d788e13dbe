// An entry's page (/terms/{id}): everything the TermEntry holds, copy buttons for the renderings, and, with
// a token, editing (only the changed fields are sent, named in the update mask) and deleting.
import {api, errorMessage} from './api.js';
import {token} from './auth.js';
import {announce, go, h, replace, safeUrl} from './dom.js';
import {t} from './i18n.js';

const STATUSES = ['RENDERING_STATUS_ESTABLISHED', 'RENDERING_STATUS_PROJECT'];

// The editable fields, by their JSON names (the update mask's paths). Lists are edited one per line.
// Fields of a newer server (enDeprecated, …) are edited only when the server sends them.
const FIELDS = [
  {name: 'zh', label: 'search.label', lang: 'zh-CN', required: true},
  {name: 'zhVariants', label: 'entry.variants', list: true, lang: 'zh-CN'},
  {name: 'en', label: 'entry.rendering', lang: 'en', required: true},
  {name: 'enVariants', label: 'entry.enVariants', list: true, lang: 'en'},
  {name: 'enDeprecated', label: 'entry.enDeprecated', list: true, lang: 'en', optional: true},
  {name: 'enForbidden', label: 'entry.enForbidden', list: true, lang: 'en', optional: true},
  {name: 'doNotTranslate', label: 'term.dnt', bool: true, optional: true},
  {name: 'caseSensitive', label: 'term.caseSensitive', bool: true, optional: true},
  {name: 'renderingStatus', label: 'entry.status', choices: STATUSES},
  {name: 'definitionZh', label: 'entry.definitionZh', long: true, lang: 'zh-CN'},
  {name: 'definitionEn', label: 'entry.definitionEn', long: true, lang: 'en'},
  {name: 'note', label: 'entry.note', long: true},
  {name: 'collection', label: 'entry.collection'},
  {name: 'kind', label: 'entry.kind'},
];
const SOURCE_FIELDS = [['outlet', 'entry.outlet'], ['title', 'entry.sourceTitle'], ['url', 'entry.url'],
                       ['date', 'entry.date']];

export function statusBadge(status) {
  const name = status || 'RENDERING_STATUS_UNSPECIFIED';
  return h('span', {class: 'badge ' + name.toLowerCase().replace(/_/g, '-'), title: t('status.title.' + name)},
           t('status.' + name));
}

// An entry in a result list: headword, the preferred rendering, then every other rendering with its status
// in words (admitted, deprecated, forbidden: a reader sees at once which forms not to use), the entry's
// status, where it belongs; the headword links to its page.
export function entryCard(e) {
  const others = [['admitted', e.enVariants], ['deprecated', e.enDeprecated], ['forbidden', e.enForbidden]]
      .flatMap(([status, list]) => (list || []).map((r) => [status, r]));
  return h('li', {class: 'card'},
           h('a', {href: '/terms/' + encodeURIComponent(e.id), lang: 'zh-CN', class: 'headword'}, e.zh),
           h('span', {class: 'rendering preferred'}, h('span', {lang: 'en', class: 'en'}, e.en), ' ',
             h('span', {class: 'badge preferred'}, t('term.preferred'))),
           statusBadge(e.renderingStatus),
           e.doNotTranslate ? h('span', {class: 'badge dnt'}, t('term.dnt')) : null,
           h('span', {class: 'meta'}, e.collection + ' · ' + e.kind),
           others.length ? h('ul', {class: 'card-renderings', 'aria-label': t('entry.otherRenderings')},
                             others.map(([status, r]) => h('li', {class: 'rendering ' + status},
                               h('span', {lang: 'en'}, r), ' ', h('span', {class: 'badge ' + status}, t('term.' + status)))))
                         : null);
}

export function copyButton(text) {
  return h('button', {type: 'button', class: 'copy', 'aria-label': t('entry.copy') + ': ' + text,
                      onclick: async () => {
                        try {
                          await navigator.clipboard.writeText(text);
                          announce(t('entry.copied', text));
                        } catch {
                          announce(t('entry.copyFailed'));
                        }
                      }}, t('entry.copy'));
}

function renderings(list, cls, label) {
  if (!list || !list.length) return null;
  return [h('dt', {}, t(label)),
          h('dd', {}, h('ul', {class: 'renderings ' + cls},
                        list.map((r) => h('li', {}, h('span', {lang: 'en'}, r), ' ', h('span', {class: 'badge ' + cls},
                                                                                         t('term.' + cls)), ' ',
                                                   cls === 'admitted' ? copyButton(r) : null))))];
}

function when(label, at, by) {
  if (!at) return null;
  return [h('dt', {}, t(label)), h('dd', {class: label.replace('.', '-')}, h('time', {datetime: at}, at), ' · ',
                                   h('span', {class: 'by'}, by || '—'))];
}

function view(e) {
  const url = e.source ? safeUrl(e.source.url) : null;
  const src = e.source && (e.source.outlet || e.source.title || e.source.url)
      ? h('dd', {class: 'source'}, url ? h('a', {href: url, rel: 'noopener noreferrer', target: '_blank'},
                                           e.source.outlet || url)
                                       : e.source.outlet,
          e.source.title ? [' — ', h('cite', {}, e.source.title)] : null,
          !url && e.source.url ? [' ', h('span', {}, e.source.url)] : null,
          e.source.date ? ' (' + e.source.date + ')' : null)
      : null;
  return h('article', {class: 'entry', 'aria-labelledby': 'headword'},
    h('p', {class: 'meta'}, e.collection + ' · ' + e.kind + ' · ', h('code', {}, e.id)),
    h('h1', {id: 'headword', lang: 'zh-CN'}, e.zh),
    h('p', {class: 'rendering'}, h('span', {lang: 'en', class: 'en', id: 'rendering'}, e.en), ' ',
      statusBadge(e.renderingStatus), ' ', h('span', {class: 'badge preferred'}, t('term.preferred')), ' ',
      e.doNotTranslate ? h('span', {class: 'badge dnt'}, t('term.dnt')) : null,
      e.caseSensitive ? h('span', {class: 'badge dnt'}, t('term.caseSensitive')) : null, copyButton(e.en)),
    h('dl', {},
      e.zhVariants.length ? [h('dt', {}, t('entry.variants')),
                             h('dd', {lang: 'zh-CN'}, h('ul', {class: 'variants'}, e.zhVariants.map((v) => h('li', {}, v))))]
                          : null,
      renderings(e.enVariants, 'admitted', 'entry.enVariants'),
      renderings(e.enDeprecated, 'deprecated', 'entry.enDeprecated'),
      renderings(e.enForbidden, 'forbidden', 'entry.enForbidden'),
      e.definitionZh ? [h('dt', {}, t('entry.definitionZh')), h('dd', {lang: 'zh-CN'}, e.definitionZh)] : null,
      e.definitionEn ? [h('dt', {}, t('entry.definitionEn')), h('dd', {lang: 'en'}, e.definitionEn)] : null,
      src ? [h('dt', {}, t('entry.source')), src] : null,
      e.note ? [h('dt', {}, t('entry.note')), h('dd', {class: 'note', id: 'note'}, e.note)] : null,
      when('entry.created', e.createdAt, e.createdBy),
      when('entry.changed', e.changedAt, e.changedBy),
      h('dt', {}, t('entry.permalink')),
      h('dd', {}, h('a', {href: '/terms/' + encodeURIComponent(e.id)}, location.origin + '/terms/' + e.id))));
}

export async function render(root, [id]) {
  let e;
  try {
    e = (await api('GET', '/v1/terms/' + encodeURIComponent(id))).entry;
  } catch (err) {
    return replace(root, h('p', {class: 'error', role: 'alert'},
                           err.httpStatus === 404 ? t('entry.notFound', id) : errorMessage(err)));
  }
  document.title = e.zh + ' — heluo';
  const message = h('p', {id: 'entry-message', role: 'status'});
  const actions = token()
      ? h('div', {class: 'buttons'},
          h('button', {type: 'button', id: 'edit', onclick: () => edit(root, e, message)}, t('entry.edit')),
          h('button', {type: 'button', id: 'delete', class: 'danger', onclick: () => confirmDelete(e, message)},
            t('entry.delete')))
      : h('p', {class: 'hint'}, t('auth.needed'));
  replace(root, view(e), actions, message);
}

function fieldValue(e, f) {
  const v = e[f.name];
  if (f.list) return (v || []).join('\n');
  if (f.bool) return Boolean(v);
  return v || '';
}

// The form for `e` (an empty entry for a new one); on submit, `save(changed)` gets the JSON names and
// values of the fields that differ from `e`.
export function entryForm(e, {withId = false, onSave}) {
  const inputs = new Map();
  const control = (f) => {
    const id = 'field-' + f.name;
    let input;
    if (f.choices) {
      input = h('select', {id}, f.choices.map((c) => h('option', {value: c}, t('status.' + c))));
    } else if (f.bool) {
      input = h('input', {id, type: 'checkbox'});
    } else if (f.list || f.long) {
      input = h('textarea', {id, rows: f.long ? 4 : 3, lang: f.lang});
    } else {
      input = h('input', {id, type: 'text', lang: f.lang, required: f.required && withId});
    }
    if (f.bool) input.checked = fieldValue(e, f);
    else input.value = f.choices ? (e[f.name] || STATUSES[1]) : fieldValue(e, f);
    inputs.set(f.name, input);
    return h('div', {class: 'field'}, h('label', {for: id}, t(f.label), f.list ? ' (' + t('entry.onePerLine') + ')' : ''),
             input);
  };
  const src = e.source || {};
  const sourceInputs = SOURCE_FIELDS.map(([k, label]) => {
    const input = h('input', {id: 'field-source-' + k, type: k === 'url' ? 'url' : 'text', value: src[k] || ''});
    return [k, input, h('div', {class: 'field'}, h('label', {for: 'field-source-' + k}, t(label)), input)];
  });
  const idInput = withId ? h('input', {id: 'field-id', type: 'text', required: true, spellcheck: 'false'})
                         : null;
  const fields = FIELDS.filter((f) => !f.optional || f.name in e);
  const form = h('form', {class: 'edit', id: 'entry-form'},
    withId ? h('div', {class: 'field'}, h('label', {for: 'field-id'}, t('entry.id')), idInput) : null,
    fields.map(control),
    h('fieldset', {}, h('legend', {}, t('entry.source')), sourceInputs.map((s) => s[2])),
    h('div', {class: 'buttons'}, h('button', {type: 'submit', id: 'save'}, t('entry.save'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const changed = {};
    for (const f of fields) {
      const input = inputs.get(f.name);
      let value = f.bool ? input.checked : input.value;
      if (f.list) value = value.split('\n').map((s) => s.trim()).filter(Boolean);
      else if (!f.bool) value = value.trim();
      const before = f.bool ? Boolean(e[f.name]) : f.list ? (e[f.name] || []) : (e[f.name] || '');
      if (JSON.stringify(value) !== JSON.stringify(before)) changed[f.name] = value;
    }
    const source = Object.fromEntries(sourceInputs.map(([k, input]) => [k, input.value.trim()]));
    if (SOURCE_FIELDS.some(([k]) => source[k] !== (src[k] || ''))) changed.source = source;
    onSave(changed, idInput ? idInput.value.trim() : e.id);
  });
  return form;
}

function edit(root, e, message) {
  const form = entryForm(e, {onSave: async (changed) => {
    const names = Object.keys(changed);
    if (!names.length) return replace(message, t('entry.nothingChanged'));
    try {
      await api('PUT', '/v1/terms/' + encodeURIComponent(e.id),
                {query: {updateMask: names.join(',')}, body: changed});
      await render(root, [e.id]);
      const m = document.getElementById('entry-message');
      replace(m, t('entry.saved', names.join(', ')));
      announce(m.textContent);
    } catch (err) {
      replace(message, h('span', {class: 'error', role: 'alert'}, errorMessage(err)));
    }
  }});
  document.getElementById('edit').disabled = true;
  message.before(form);
  form.querySelector('input, textarea, select').focus();
}

function confirmDelete(e, message) {
  const dialog = h('dialog', {id: 'delete-dialog', 'aria-labelledby': 'delete-title'},
    h('form', {method: 'dialog'},
      h('p', {id: 'delete-title'}, t('entry.deleteConfirm', e.zh, e.id)),
      h('div', {class: 'buttons'},
        h('button', {value: 'delete', class: 'danger', id: 'confirm-delete'}, t('entry.delete')),
        h('button', {value: 'cancel', autofocus: true}, t('cancel')))));
  dialog.addEventListener('close', async () => {
    dialog.remove();
    if (dialog.returnValue !== 'delete') return;
    try {
      await api('DELETE', '/v1/terms/' + encodeURIComponent(e.id));
      announce(t('entry.deleted', e.id));
      go('/?deleted=' + encodeURIComponent(e.id));
    } catch (err) {
      replace(message, h('span', {class: 'error', role: 'alert'}, errorMessage(err)));
    }
  });
  document.body.append(dialog);
  dialog.showModal();
}
