/* Login page (index.html). Needs app.js. */
(function () {
  'use strict';

  var form = document.getElementById('login-form');
  var user = document.getElementById('username');
  var pass = document.getElementById('password');
  var submit = document.getElementById('login-submit');
  var errorBox = document.getElementById('login-error');
  var statusBox = document.getElementById('login-status');
  var showPass = document.getElementById('show-password');
  var google = document.getElementById('google-signin');

  /* ?error=<code> from the Google callback, as friendly text. */
  var GOOGLE_ERRORS = {
    account_not_found: 'No EasyShifts account is linked to that Google account. Sign in with your username and password, or ask a manager to add you.',
    account_pending: 'Your account is waiting for a manager\u2019s approval. You can sign in once it has been approved.',
    account_inactive: 'This account has been deactivated. Ask a manager if you think this is a mistake.',
    google_failed: 'Google sign-in did not complete. Please try again.',
    access_denied: 'Google sign-in was cancelled.',
    invalid_state: 'That Google sign-in attempt expired or was already used. Please try again.',
    state_expired: 'That Google sign-in attempt expired. Please try again.',
    google_disabled: 'Google sign-in is not available here. Sign in with your username and password.',
    google_not_configured: 'Google sign-in is not available here. Sign in with your username and password.',
    email_not_verified: 'That Google account\u2019s email address is not verified.',
    domain_not_allowed: 'That Google account is not from an allowed domain.',
    too_many_attempts: 'Too many sign-in attempts. Please wait a few minutes and try again.',
    service_unavailable: 'EasyShifts is unavailable right now. Please try again shortly.'
  };

  function showError(text, focusEl) {
    statusBox.textContent = '';
    errorBox.textContent = text;
    if (focusEl) focusEl.focus();
  }

  function clearError() {
    errorBox.textContent = '';
    user.removeAttribute('aria-invalid');
    pass.removeAttribute('aria-invalid');
  }

  function showGoogleError() {
    var code;
    try { code = new URLSearchParams(window.location.search).get('error'); } catch (e) { code = null; }
    if (!code) return;
    var text = GOOGLE_ERRORS[code];
    if (!text) {
      text = 'Google sign-in did not work. Please try again or use your username and password.';
      if (/^[a-z0-9_]{1,64}$/.test(code)) text += ' (code: ' + code + ')';
    }
    errorBox.textContent = text;
    /* Drop ?error= so a reload does not show it again. */
    if (window.history && history.replaceState) {
      history.replaceState(null, '', window.location.pathname + window.location.hash);
    }
  }

  showPass.addEventListener('change', function () {
    pass.type = showPass.checked ? 'text' : 'password';
  });

  google.addEventListener('click', function () {
    statusBox.textContent = 'Opening Google sign-in\u2026';
  });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (submit.disabled) return;
    clearError();

    var username = user.value.trim();
    if (!username) {
      user.setAttribute('aria-invalid', 'true');
      return showError('Enter your username.', user);
    }
    if (!pass.value) {
      pass.setAttribute('aria-invalid', 'true');
      return showError('Enter your password.', pass);
    }

    ES.setBusy(submit, true, 'Signing in\u2026');
    statusBox.textContent = 'Signing in\u2026';

    ES.api('POST', '/auth/login', { username: username, password: pass.value }).then(function (res) {
      if (res.status === 200) {
        statusBox.textContent = 'Signed in. Opening your account\u2026';
        window.location.replace('/me.html');
        return;
      }
      ES.setBusy(submit, false);
      var err = ES.errorOf(res);
      var text = ES.messageFor(res, 'Sign-in failed.');

      if (res.status === 401 || err.code === 'invalid_credentials') {
        if (!err.message) text = 'Wrong username or password.';
        pass.value = '';
        pass.setAttribute('aria-invalid', 'true');
        return showError(text, pass);
      }
      if (res.status === 403 && GOOGLE_ERRORS[err.code] && !err.message) {
        text = GOOGLE_ERRORS[err.code];
      }
      if (res.status === 400 || res.status === 422) {
        var fields = ES.fieldErrors(res);
        var first = null;
        fields.forEach(function (f) {
          var el = f[0] === 'username' ? user : f[0] === 'password' ? pass : null;
          if (el) {
            el.setAttribute('aria-invalid', 'true');
            if (!first) first = el;
          }
          text += ' ' + f[0].charAt(0).toUpperCase() + f[0].slice(1) + ': ' + f[1];
        });
        return showError(text, first);
      }
      showError(text);
    });
  });

  showGoogleError();

  /* Already signed in? Go straight to the account page. */
  ES.api('GET', '/auth/me').then(function (res) {
    if (res.status === 200 && res.body && res.body.user) window.location.replace('/me.html');
  });
})();
