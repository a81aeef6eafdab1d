/** Asks for the API token once per browser session; the token is checked against the API before it is kept. */
import { h } from '../dom';

/** `check` resolves to an error message, or null when the token works. */
export function renderLogin(main: HTMLElement, check: (token: string) => Promise<string | null>): void {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help token-error' });
  const error = h('p', { id: 'token-error', class: 'notice error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Open dashboard');
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', { tabindex: '-1' }, 'Open the Verdict dashboard'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'muted small' },
      'Locally, ', h('code', {}, 'verdict start'), ' prints it; deployed, it is the secret named by the stack output ', h('code', {}, 'ApiTokenSecretName'),
      '. It is kept only in this tab’s session storage and sent only to this API.'),
    error,
    submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Enter the API token.';
      error.hidden = false;
      input.focus();
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    void check(token).then((message) => {
      submit.disabled = false;
      if (message) {
        error.textContent = message;
        error.hidden = false;
        input.select();
        input.focus();
      }
    });
  });
  main.replaceChildren(form);
  input.focus();
}
