// Building the page's DOM. Text always goes in as text nodes (append of a string, textContent), never as
// markup: a stored note holding <script> shows as those characters. No function here takes HTML.

// h('a', {href: '/x', class: 'c', onclick: f}, 'text', child…): an element with attributes, listeners
// and children; strings become text nodes, null/false children are skipped.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// `text` with the given UTF-16 ranges [{begin, end, …}] wrapped by make(piece, range); ranges sorted,
// non-overlapping (overlaps are skipped). The API gives spans in UTF-16 units, JavaScript's string indices.
export function marked(text, ranges, make) {
  const out = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.begin - b.begin)) {
    if (r.begin < at || r.end <= r.begin) continue;
    if (r.begin > at) out.push(text.slice(at, r.begin));
    out.push(make(text.slice(r.begin, r.end), r));
    at = r.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

// A TextSpan of the API as a UTF-16 range.
export function utf16(span) {
  return {begin: span ? span.utf16Begin : 0, end: span ? span.utf16End : 0};
}

// Only http(s) links from stored data become links; anything else (javascript:, data:) stays text.
export function safeUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

// Tells screen readers what just happened (the live region in index.html).
export function announce(message) {
  const s = document.getElementById('status');
  s.textContent = '';
  setTimeout(() => { s.textContent = message; }, 50);
}

// Shows another view of the page (main.js listens), as a link would.
export function go(path) {
  history.pushState(null, '', path);
  window.dispatchEvent(new Event('heluo:navigate'));
}
