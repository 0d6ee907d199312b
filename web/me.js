/* Account page (me.html). Needs app.js. */
(function () {
  'use strict';

  var main = document.getElementById('main');
  var statusBox = document.getElementById('me-status');
  var errorBox = document.getElementById('me-error');
  var retry = document.getElementById('me-retry');
  var profile = document.getElementById('me-profile');
  var logout = document.getElementById('logout');
  var csrf = '';

  var CERTS = { can_crew_chief: 'Crew chief', can_forklift: 'Forklift', can_truck: 'Truck' };

  function initials(name) {
    var parts = String(name || '').trim().split(/\s+/).filter(Boolean);
    var s = parts.length ? parts[0].charAt(0) : '?';
    if (parts.length > 1) s += parts[parts.length - 1].charAt(0);
    return s.toUpperCase();
  }

  function render(data) {
    var u = data.user || {};
    csrf = typeof data.csrf_token === 'string' ? data.csrf_token : '';

    ES.setText('me-name', u.name || u.username || '');
    ES.setText('me-username', u.username || '');
    var role = ES.setText('me-role', ES.roleLabel(u.role));
    role.setAttribute('data-role', u.role || '');

    document.getElementById('me-email-row').hidden = !u.email;
    ES.setText('me-email', u.email || '');

    var certs = [];
    var c = data.certifications || {};
    Object.keys(CERTS).forEach(function (k) { if (c[k] === true) certs.push(CERTS[k]); });
    document.getElementById('me-certs-row').hidden = certs.length === 0;
    ES.setText('me-certs', certs.join(', '));

    var pic = document.getElementById('me-picture');
    var ini = document.getElementById('me-initials');
    ini.textContent = initials(u.name || u.username);
    if (typeof u.picture_url === 'string' && /^https?:\/\//i.test(u.picture_url)) {
      pic.onload = function () { pic.hidden = false; ini.hidden = true; };
      pic.onerror = function () { pic.hidden = true; ini.hidden = false; };
      pic.src = u.picture_url;
    }

    document.title = (u.name || u.username || 'Your account') + ' \u00b7 EasyShifts';
    statusBox.textContent = '';
    profile.hidden = false;
    main.setAttribute('aria-busy', 'false');
  }

  function fail(text) {
    statusBox.textContent = '';
    errorBox.textContent = text;
    main.setAttribute('aria-busy', 'false');
  }

  function load() {
    errorBox.textContent = '';
    retry.hidden = true;
    statusBox.textContent = 'Loading your account\u2026';
    main.setAttribute('aria-busy', 'true');
    return ES.api('GET', '/auth/me').then(function (res) {
      if (res.status === 200 && res.body && res.body.user) return render(res.body);
      if (res.status === 401) {
        window.location.replace('/');
        return;
      }
      fail(ES.messageFor(res, 'Could not load your account.'));
      retry.hidden = false;
      retry.focus();
    });
  }

  function doLogout(secondTry) {
    return ES.api('POST', '/auth/logout', null, csrf).then(function (res) {
      if (res.status === 204 || res.status === 200 || res.status === 401) {
        window.location.replace('/');
        return;
      }
      /* A stale CSRF token: fetch a fresh one once and try again. */
      if (res.status === 403 && !secondTry) {
        return ES.api('GET', '/auth/me').then(function (me) {
          if (me.status === 401) { window.location.replace('/'); return; }
          if (me.status === 200 && me.body && typeof me.body.csrf_token === 'string') {
            csrf = me.body.csrf_token;
            return doLogout(true);
          }
          ES.setBusy(logout, false);
          fail(ES.messageFor(me, 'Could not sign out.'));
        });
      }
      ES.setBusy(logout, false);
      fail(ES.messageFor(res, 'Could not sign out.'));
      logout.focus();
    });
  }

  logout.addEventListener('click', function () {
    if (logout.disabled) return;
    errorBox.textContent = '';
    ES.setBusy(logout, true, 'Signing out\u2026');
    statusBox.textContent = 'Signing out\u2026';
    doLogout(false);
  });

  retry.addEventListener('click', load);

  load();
})();
