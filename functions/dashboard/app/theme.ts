/**
 * Light, dark or the system's choice. The choice is a display preference, not a secret, so it lives in
 * localStorage (the token does not). Charts redraw from CSS variables when the scheme changes.
 */
type ThemeChoice = 'auto' | 'light' | 'dark';
const KEY = 'verdict.theme';
const ORDER: ThemeChoice[] = ['auto', 'light', 'dark'];

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

function apply(choice: ThemeChoice, button: HTMLButtonElement): void {
  if (choice === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  button.textContent = `Theme: ${choice}`;
  button.setAttribute('aria-label', `Colour theme: ${choice}. Change theme`);
}

/** Wires the toggle button; `onChange` runs whenever the effective colours change. */
export function initTheme(button: HTMLButtonElement, onChange: () => void): void {
  let choice = stored();
  apply(choice, button);
  button.addEventListener('click', () => {
    choice = ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length];
    try { localStorage.setItem(KEY, choice); } catch { /* private mode: the choice lasts this page */ }
    apply(choice, button);
    onChange();
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { if (choice === 'auto') onChange(); });
}
