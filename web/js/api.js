// The JSON API (docs/http-api.md): every call the page makes goes through here. The token, when signed in,
// goes in the Authorization header only, never in a URL.
import {token} from './auth.js';
import {t} from './i18n.js';

export class ApiError extends Error {
  constructor(httpStatus, status, message) {
    super(message);
    this.httpStatus = httpStatus;  // 400, 401, 403, …
    this.status = status;          // "INVALID_ARGUMENT", …
  }
}

// Query values: a string, number or boolean, or an array for a repeated field; empty ones are left out.
export function queryString(query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null && one !== '') q.append(k, String(one));
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

function headers(extra) {
  const h = new Headers(extra || {});
  const t = token();
  if (t) h.set('Authorization', 'Bearer ' + t);
  return h;
}

async function check(res) {
  if (res.ok) return res;
  let status = '', message = res.statusText;
  try {
    const body = await res.json();
    if (body && body.error) ({status, message} = body.error);
  } catch {
    // Not the API's error shape (a proxy in between?): keep the HTTP status text.
  }
  throw new ApiError(res.status, status, message);
}

// A JSON call: api('GET', '/v1/terms:lookup', {query: {text}}) or api('POST', '/v1/tm:lookup', {body}).
export async function api(method, path, {query, body, signal} = {}) {
  const init = {method, headers: headers(body === undefined ? {} : {'Content-Type': 'application/json'}), signal};
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await check(await fetch(path + queryString(query), init));
  return res.json();
}

// An upload (import) with progress: XMLHttpRequest, because fetch reports no upload progress.
export function upload(path, query, file, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', path + queryString(query));
    headers({'Content-Type': 'application/octet-stream'}).forEach((v, k) => x.setRequestHeader(k, v));
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch { /* handled below */ }
      if (x.status >= 200 && x.status < 300 && body) return resolve(body);
      const e = (body && body.error) || {};
      reject(new ApiError(x.status, e.status || '', e.message || x.statusText));
    };
    x.onerror = () => reject(new ApiError(0, 'UNAVAILABLE', 'the server could not be reached'));
    x.send(file);
  });
}

// A download (export) with the token in the header: fetched, then saved from a blob URL.
export async function download(path, query) {
  const res = await check(await fetch(path + queryString(query), {headers: headers()}));
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(disposition);
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m ? m[1] : 'heluo-export';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  return blob.size;
}

// An error for people, in the interface language, with the server's own words.
export function errorMessage(e) {
  if (!(e instanceof ApiError)) return t('error.network');
  if (e.httpStatus === 401) return t('error.401', e.message);
  if (e.httpStatus === 403) return t('error.403', e.message);
  if (e.httpStatus === 0) return t('error.network');
  return t('error.prefix') + ' ' + e.httpStatus + ': ' + e.message;
}
