/**
 * The page's one render-blocking script (a plain <script> in <head>, an asset of its own because the CSP
 * forbids inline code): it pins the saved theme before the first paint, so a saved choice that differs
 * from the system's never shows the system's colours first. The rest of the app loads deferred.
 */
import { pinTheme, savedThemeChoice } from './theme-choice';

pinTheme(savedThemeChoice());
