// The web console's entry point: the path in the address bar names the view (the server answers every
// such path with index.html), links inside the page change it without a reload.
import {signIn, signOut, token} from './auth.js';
import {go, h, replace} from './dom.js';
import {lang, setLang, t, translateStatic} from './i18n.js';
import * as check from './check.js';
import * as concordance from './concordance.js';
import * as entry from './entry.js';
import * as ops from './ops.js';
import * as search from './search.js';
import * as transfer from './transfer.js';

const ROUTES = [
  [/^\/$/, search.render],
  [/^\/terms\/([^/]+)$/, entry.render],
  [/^\/check$/, check.render],
  [/^\/concordance$/, concordance.render],
  [/^\/transfer$/, transfer.render],
  [/^\/ops$/, ops.render],
];

let showing = 0;

async function show({focus = false} = {}) {
  const view = document.getElementById('view');
  const path = location.pathname;
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    const here = a.getAttribute('href') === path || (path.startsWith('/terms/') && a.getAttribute('href') === '/');
    if (here) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const [re, render] of ROUTES) {
    const m = re.exec(path);
    if (!m) continue;
    // Each showing renders into its own container: one still waiting for the server when the next starts
    // (sign-in, a language switch, a quick click) finishes into a detached container, never into the page.
    const root = h('div', {class: 'view-root'});
    const mine = ++showing;
    replace(view, root);
    view.setAttribute('aria-busy', 'true');  // Until the view's first answer is shown (the tests wait for it).
    try {
      await render(root, m.slice(1).map(decodeURIComponent), new URLSearchParams(location.search));
    } finally {
      if (mine === showing) view.setAttribute('aria-busy', 'false');
    }
    if (focus && mine === showing) view.focus();
    return;
  }
  ++showing;
  replace(view, h('p', {class: 'error', role: 'alert'}, '404 ' + path));
  view.setAttribute('aria-busy', 'false');
}

function showAuth() {
  const signed = token() !== '';
  document.getElementById('sign-in').hidden = signed;
  document.getElementById('sign-out').hidden = !signed;
  const badge = document.getElementById('signed-in');
  badge.hidden = !signed;
  badge.textContent = t('auth.signedIn');
}

function wireSignIn() {
  const dialog = document.getElementById('sign-in-dialog');
  const input = document.getElementById('token-input');
  document.getElementById('sign-in').addEventListener('click', () => {
    input.value = '';
    dialog.showModal();
    input.focus();
  });
  document.getElementById('sign-in-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('sign-in-form').addEventListener('submit', (e) => {
    if (!input.value.trim()) {
      e.preventDefault();
      return;
    }
    signIn(input.value);
    input.value = '';
  });
  document.getElementById('sign-out').addEventListener('click', signOut);
  document.addEventListener('heluo:auth', () => {
    showAuth();
    show();
  });
}

function start() {
  translateStatic();
  showAuth();
  wireSignIn();
  document.getElementById('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    translateStatic();
    showAuth();
    show();
  });
  // Links inside the page (marked data-nav, or any same-origin link to a view) change the view in place.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/v1/') || a.hasAttribute('download')) return;
    e.preventDefault();
    go(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => show({focus: true}));
  window.addEventListener('heluo:navigate', () => show({focus: true}));
  show();
}

start();
