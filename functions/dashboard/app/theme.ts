/**
 * The theme toggle: light, dark or the system's choice, saved in localStorage (theme-choice.ts). The
 * early script has already pinned the saved choice before first paint; this labels the button, cycles
 * the choice and redraws the charts (they read CSS colours) when the effective scheme changes.
 */
import { pinTheme, savedThemeChoice, THEME_KEY, type ThemeChoice } from './theme-choice';

const ORDER: ThemeChoice[] = ['auto', 'light', 'dark'];

function apply(choice: ThemeChoice, button: HTMLButtonElement): void {
  pinTheme(choice);
  button.textContent = `Theme: ${choice}`;
  button.setAttribute('aria-label', `Colour theme: ${choice}. Change theme`);
}

/** Wires the toggle button; `onChange` runs whenever the effective colours change. */
export function initTheme(button: HTMLButtonElement, onChange: () => void): void {
  let choice = savedThemeChoice();
  apply(choice, button);
  button.addEventListener('click', () => {
    choice = ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length];
    try { localStorage.setItem(THEME_KEY, choice); } catch { /* private mode: the choice lasts this page */ }
    apply(choice, button);
    onChange();
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { if (choice === 'auto') onChange(); });
}
