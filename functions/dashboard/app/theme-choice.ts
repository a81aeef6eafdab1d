/**
 * The saved theme choice and how the page shows it, shared by the early script (theme-early.ts, which
 * pins it before first paint) and the toggle (theme.ts). The choice is a display preference, not a
 * secret, so it lives in localStorage (the token does not).
 */
export type ThemeChoice = 'auto' | 'light' | 'dark';

export const THEME_KEY = 'verdict.theme';

/** The saved choice; 'auto' when none is saved or storage is unavailable. */
export function savedThemeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

/** Pins the page's colour scheme to the choice (data-theme on <html>), or lets the system decide ('auto'). */
export function pinTheme(choice: ThemeChoice): void {
  if (choice === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}
