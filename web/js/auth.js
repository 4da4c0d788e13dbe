// Signing in: the token is kept in sessionStorage (this tab only, gone when it closes), sent as a Bearer
// header by api.js, never put in a URL or a cookie. The server decides what it may do; the page only
// shows the server's answer.
const KEY = 'heluo.token';

export function token() {
  return sessionStorage.getItem(KEY) || '';
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value.trim());
  document.dispatchEvent(new Event('heluo:auth'));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  document.dispatchEvent(new Event('heluo:auth'));
}
