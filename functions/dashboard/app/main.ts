/**
 * The dashboard's entry: the token gate, a hash router (#/ overview, #/experiments/{id}) and the
 * theme. Everything it shows comes from the authenticated API on the same origin.
 */
import { ApiClient, UnauthorizedError } from './api';
import { initTheme } from './theme';
import type { ViewContext } from './views/common';
import { renderExperiment } from './views/experiment';
import { renderLogin } from './views/login';
import { renderOverview } from './views/overview';

const TOKEN_KEY = 'verdict.apiToken';

const main = document.getElementById('main') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;
const themeButton = document.getElementById('theme-toggle') as HTMLButtonElement;

let current: ViewContext | undefined;
/** The view on screen ('overview' or an experiment id), so in-page anchors do not re-render it. */
let shownRoute: string | undefined;

function readToken(): string | null {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

function signOut(): void {
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* storage unavailable: nothing kept */ }
  teardown();
  showLogin();
}

function teardown(): void {
  current?.charts.forEach((c) => c.destroy());
  current = undefined;
  shownRoute = undefined;
}

function showLogin(message?: string): void {
  signOutButton.hidden = true;
  renderLogin(main, async (token) => {
    try {
      await new ApiClient(token).health();
    } catch (err) {
      return err instanceof UnauthorizedError ? 'That token was not accepted. Check it and try again.' : 'Could not reach the API. Is it running?';
    }
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch { /* kept for this page only */ }
    route(true);
    return null;
  });
  if (message) {
    const notice = document.getElementById('token-error');
    if (notice) { notice.textContent = message; notice.hidden = false; }
  }
}

function route(force = false): void {
  const token = readToken();
  if (!token) { teardown(); showLogin(); return; }
  const hash = location.hash;
  // Plain anchors (#log, #main) scroll within the page; only #/… routes change the view.
  if (!force && shownRoute !== undefined && hash !== '' && !hash.startsWith('#/')) return;
  const match = /^#\/experiments\/([^/]+)$/.exec(hash);
  const target = match ? `experiment:${decodeURIComponent(match[1])}` : 'overview';
  if (!force && target === shownRoute) return;
  teardown();
  signOutButton.hidden = false;
  const ctx: ViewContext = {
    api: new ApiClient(token, expired),
    now: new Date(),
    charts: [],
    navigate: (next) => { location.hash = next; },
  };
  current = ctx;
  shownRoute = target;
  window.scrollTo(0, 0);
  if (match) renderExperiment(main, ctx, decodeURIComponent(match[1]));
  else renderOverview(main, ctx);
}

/** The API stopped accepting the stored token (rotated, or a new local runtime): ask again. */
function expired(): void {
  teardown();
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* nothing kept */ }
  showLogin('The API no longer accepts this token. Enter it again.');
}

signOutButton.addEventListener('click', signOut);
initTheme(themeButton, () => current?.charts.forEach((c) => c.redraw()));
window.addEventListener('hashchange', () => route());
route();
